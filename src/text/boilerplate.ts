import { LineHints, type HintGroup } from './line-hints.js';

/**
 * Page boilerplate: lines a site prints around every article (copyright lines, tips
 * hotlines, newsletter and sign-up prompts, verification and notification notices, video
 * and JavaScript notices, share buttons). They are not what the article says, so they are
 * removed when the article is built, before anything reads it: reprint detection, story
 * clustering and comparison all skip them, and a page that is nothing else (a site's "We
 * have sent you a verification email" page) is no article. Whole lines only, and only
 * short ones (a notice, not a paragraph that mentions a copyright); a line of prose that
 * merely contains such words stays.
 */

/** Longest line that can be boilerplate; a paragraph of news is longer or does not match. */
const MAX_LINE = 320;

// each: a whole notice. Matched against one line, case-insensitively.
const NOTICE: readonly RegExp[] = [
  // copyright and redistribution lines
  /\ball rights reserved\b/i,
  /^\W*(?:copyright|\(c\)|©)\s*(?:\d{4}|by|the)\b/i,
  /\bthis material may not be (?:published|broadcast|rewritten|redistributed)/i,
  // accounts, verification, notifications
  /\bverification (?:e-?mail|message|link|code)\b/i,
  /\b(?:activate|verify|update) your (?:profile|account|e-?mail)\b/i,
  /\bcheck your (?:spam|junk|inbox)\b/i,
  /\b(?:e-?mail )?notifications? (?:are only sent|has been saved)|\bproblem saving your notification\b|\bget e-?mail notifications\b|\byou'll get an e-?mail\b/i,
  /\bthank you for (?:registering|signing up|subscribing)\b|\bsign in to update your profile\b/i,
  /\byou must enter the characters\b|\bplease enable javascript\b|\benable javascript to\b|\bjavascript is (?:disabled|required)\b/i,
  /\btrouble viewing (?:the|this) video\b|\bdisabling any ad ?blocking\b|\bscroll down for video\b/i,
  /\bwe use cookies\b|\bby continuing to (?:use|browse) (?:this|our) site\b|\baccept (?:all )?cookies\b/i,
  /\byou are the owner of this article\b|\bnot in our deliverable area\b|\bre-enter zip code\b/i,
  // newsletters, subscriptions, apps, social media
  /\bsign up (?:for|to receive) (?:our|one of our|the|a)\b.{0,60}\b(?:newsletters?|e-?mails?|alerts|updates|digital access|value)\b/i,
  /\b(?:subscribe|sign up) (?:to|for) (?:our|the) (?:\w+ ){0,3}newsletters?\b|\bnewsletter sign-?up\b/i,
  /\bget (?:digital access|the latest from\b.*\b(?:apps?|alerts|iphone|android))|\benjoy the convenience of home delivery\b/i,
  /^\W*(?:follow|like|join) (?:us|the conversation)\b.{0,60}\b(?:on|at) (?:the )?(?:\w+ )?(?:twitter|facebook|instagram|page)\b/i,
  /^\W*stay up to date,? follow\b/i,
  /^\W*(?:follow|like) [\w.]+(?:\.com)?\W*:?\s*(?:facebook|twitter)\b/i,
];

// a line that is only a control or a section word
const CONTROL =
  /^\W*(?:advertisements?|close|print|e-?mail|twitter|facebook|pinterest|google\+?|linkedin|reddit|whatsapp|more|share|share this(?: story| article)?|share this:.*|like this:.*|photos?|enlarge|watch(?: this story| the video| video)?|related(?: links| stories| articles)?|read more|loading\W*|\d+ (?:pending )?comments?|comments?|just one more thing\W*|free apps \| .*|(?:[a-z]+ \| ){2,}[a-z ]+)\W*$/i;

// tips hotlines: the appeal opens the line ("Anyone with information is asked to call Crime
// Stoppers at 816-474-TIPS."), and it names a number or a tips line; a sentence that reports
// something first ("nobody was injured and anyone with information ...") is news
const APPEAL =
  /^\W*(?:(?:\w+\s+){0,4}?(?:anyone|anybody|those|people|residents|witnesses)\s+with\s+(?:any\s+)?information|if you have (?:any )?information|(?:police|authorities|officers|detectives|investigators|the \w+ (?:police|sheriff's) (?:department|office))\s+(?:are\s+)?(?:ask|asking|urge|urging|appeal|appealing|encourage|encouraging)|(?:to report|to leave) (?:a )?tips?|(?:call|contact|text)\s+(?:crime ?stoppers|the tips? ?(?:hot)?line))/i;
const HOTLINE = /\(?\d{3,4}\)?[-. ]\d{3}[-. ](?:\d{3,4}|[A-Z]{4})\b|\b\d{3}-TIPS\b|\bcrime ?stoppers\b|\btips? ?(?:hot)?line\b|\bhotline\b|\btipline\b/i;

// The speed device: most lines are none of the above, and the expressions above, run on
// every line, cost more than everything else the article is built with. A cheap look at the
// line (text/line-hints.ts: its first word, and a skip search for phrases) finds the words
// each expression cannot match without, and only the expressions whose words are there run.
// What a notice is stays the expressions; these lists only have to hold, for each, words it
// needs (a superset of what it matches).
// test/boilerplate-fast.test.ts checks the two agree on many lines; an expression changed
// above needs its words here checked.
const CONTROL_BIT = 1 << NOTICE.length;
const APPEAL_BIT = CONTROL_BIT << 1;
const notice = (i: number, hints: Omit<HintGroup, 'bits'>): HintGroup => ({ bits: 1 << i, ...hints });
const HINTS = new LineHints([
  notice(0, { anywhere: ['all rights reserved'] }),
  notice(1, { firstStarts: ['copyright'], leading: ['(c)', '©'] }),
  notice(2, { anywhere: ['this material may not be '] }),
  notice(3, { anywhere: ['verification '] }),
  notice(4, { anywhere: ['activate your ', 'verify your ', 'update your '] }),
  notice(5, { anywhere: ['check your '] }),
  notice(6, { anywhere: ['notification', "you'll get an "] }),
  notice(7, { anywhere: ['thank you for ', 'sign in to update your profile'] }),
  notice(8, { anywhere: ['you must enter the characters', 'enable javascript', 'javascript is '] }),
  notice(9, { anywhere: ['trouble viewing th', 'disabling any ad', 'scroll down for video'] }),
  notice(10, { anywhere: ['we use cookies', 'accept cookies', 'accept all cookies', 'by continuing to '] }),
  notice(11, { anywhere: ['you are the owner of this article', 'not in our deliverable area', 're-enter zip code'] }),
  notice(12, { anywhere: ['sign up for ', 'sign up to receive '] }),
  notice(13, { anywhere: ['subscribe to ', 'subscribe for ', 'sign up to ', 'sign up for ', 'newsletter sign'] }),
  notice(14, { anywhere: ['get digital access', 'get the latest from', 'enjoy the convenience of home delivery'] }),
  notice(15, { first: ['follow', 'like', 'join'] }),
  notice(16, { first: ['stay up to date'] }),
  notice(17, { first: ['follow', 'like'] }),
  {
    bits: CONTROL_BIT,
    first:
      'advertisement advertisements close print e-mail email twitter facebook pinterest google linkedin reddit whatsapp more share like photo photos enlarge watch related read loading comment comments just free'.split(
        ' ',
      ),
    // "12 comments"; "news | sports | weather"
    firstDigit: true,
    afterFirst: [' |'],
  },
  // the appeal: "information" asked for, or its opening words (the line's first, or "the
  // county police department"); the hotline it needs too is left to its expression
  {
    bits: APPEAL_BIT,
    anywhere: ['information', 'police department', 'police office', "sheriff's department", "sheriff's office"],
    first: ['police', 'authorities', 'officers', 'detectives', 'investigators', 'to report', 'to leave', 'call', 'contact', 'text'],
  },
]);

/** Whether one line (without its newline) is boilerplate. */
export function isBoilerplateLine(line: string): boolean {
  return boilerplateIn(line, 0, line.length) !== undefined;
}

/**
 * The definition isBoilerplateLine follows: every expression run on the line. The same
 * answer, slower; for tests.
 */
export function isBoilerplateLineByRegex(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > MAX_LINE) return false;
  return CONTROL.test(t) || (APPEAL.test(t) && HOTLINE.test(t)) || NOTICE.some((re) => re.test(t));
}

/** The line s[start, end), trimmed, when it is boilerplate. */
function boilerplateIn(s: string, start: number, end: number): string | undefined {
  // a line too long is too long trimmed too, unless it has white space to trim
  if (end - start > MAX_LINE && (!mayTrim(s, start, end) || s.slice(start, end).trim().length > MAX_LINE)) return undefined;
  const bits = HINTS.scan(s, start, end);
  if (bits === 0) return undefined;
  const t = (start === 0 && end === s.length ? s : s.slice(start, end)).trim();
  if (t === '' || t.length > MAX_LINE) return undefined;
  if (bits & CONTROL_BIT && CONTROL.test(t)) return t;
  if (bits & APPEAL_BIT && APPEAL.test(t) && HOTLINE.test(t)) return t;
  for (let i = 0; i < NOTICE.length; i++) if (bits & (1 << i) && NOTICE[i]!.test(t)) return t;
  return undefined;
}

/** Whether trim() could shorten s[start, end): an end outside printable ASCII (where all white space is). */
function mayTrim(s: string, start: number, end: number): boolean {
  const a = s.charCodeAt(start);
  const b = s.charCodeAt(end - 1);
  return a <= 32 || a >= 127 || b <= 32 || b >= 127;
}

/**
 * The text without its boilerplate lines (blank lines around them collapsed), and the lines
 * removed. Runs on normalised text (straight quotes, ASCII hyphens, `\n` line ends).
 */
export function stripBoilerplate(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  // the kept lines as runs of adjacent lines, each a slice of text: [runStart, runEnd) when runStart >= 0
  const runs: string[] = [];
  let runStart = -1;
  let runEnd = 0;
  for (let start = 0; ;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const t = boilerplateIn(text, start, end);
    if (t === undefined) {
      if (runStart < 0) runStart = start;
      runEnd = end;
    } else {
      removed.push(t);
      if (runStart >= 0) runs.push(text.slice(runStart, runEnd));
      runStart = -1;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  if (removed.length === 0) return { text, removed };
  if (runStart >= 0) runs.push(text.slice(runStart, runEnd));
  return {
    text: runs
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    removed,
  };
}

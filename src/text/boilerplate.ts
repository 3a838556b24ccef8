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

// words one of the NOTICE expressions needs, whichever matches (each holds one of these
// literally, in the same case-insensitive sense): a line with none of them is no notice,
// and one pass over it spares the twenty
const NOTICE_HINT =
  /rights reserved|copyright|\(c\)|©|may not be|verification|your|notification|get |thank you|characters|javascript|video|blocking|cookies|continuing|owner of|deliverable|zip code|sign up|newsletter|home delivery|follow|like|join|stay up/i;

/** Whether one line (without its newline) is boilerplate. */
export function isBoilerplateLine(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > MAX_LINE) return false;
  if (CONTROL.test(t)) return true;
  if (APPEAL.test(t) && HOTLINE.test(t)) return true;
  return NOTICE_HINT.test(t) && NOTICE.some((re) => re.test(t));
}

/**
 * The text without its boilerplate lines (blank lines around them collapsed), and the lines
 * removed. Runs on normalised text (straight quotes, ASCII hyphens, `\n` line ends).
 */
export function stripBoilerplate(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (isBoilerplateLine(line)) removed.push(line.trim());
    else kept.push(line);
  }
  if (removed.length === 0) return { text, removed };
  return {
    text: kept
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    removed,
  };
}

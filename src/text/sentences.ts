import type { Span } from '../domain/article.js';

/**
 * Rule-based sentence splitter over normalised text. Sentences are trimmed spans that
 * tile the text: in order, non-overlapping, and every non-space character belongs to
 * exactly one of them (a property test checks this).
 *
 * A boundary is a line break (news text puts paragraphs and headlines on lines), or
 * terminal punctuation followed by optional closing quotes/brackets, white space, and
 * something that can start a sentence. It is not a boundary after a known abbreviation,
 * an initial (`John F. Kennedy`), inside a number (`3.5`, `$2. 6` from detokenised text),
 * or when the next word starts in lower case (`"Why?" he asked`). The full-width stops of
 * Chinese and Japanese (`。！？`) end a sentence whether or not a space follows, as those
 * scripts put none.
 */

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'cpt',
  'maj',
  'adm',
  'cmdr',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'pres',
  'supt',
  'insp',
  'det',
  'cpl',
  'pvt',
  'fr',
  'messrs',
  'mme',
  'mlle',
  'atty',
  'amb',
  'sec',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'no',
  'nos',
  'vol',
  'fig',
  'figs',
  'p',
  'pp',
  'para',
  'ch',
  'art',
  'sec',
  'ed',
  'eds',
  'inc',
  'ltd',
  'co',
  'corp',
  'llc',
  'plc',
  'bros',
  'dept',
  'univ',
  'assn',
  'est',
  'approx',
  'vs',
  'v',
  'etc',
  'al',
  'cf',
  'ca',
  'viz',
  'mt',
  'ft',
  'ave',
  'blvd',
  'rd',
  'hwy',
  'mph',
  'km',
  'e.g',
  'i.e',
  'a.m',
  'p.m',
  'u.s',
  'u.k',
  'u.n',
  'e.u',
  'u.s.a',
  'd.c',
  'n.y',
  'l.a',
  'ala',
  'ariz',
  'ark',
  'calif',
  'colo',
  'conn',
  'del',
  'fla',
  'ga',
  'ill',
  'ind',
  'kan',
  'ky',
  'la',
  'md',
  'mass',
  'mich',
  'minn',
  'miss',
  'mo',
  'mont',
  'neb',
  'nev',
  'okla',
  'ore',
  'pa',
  'tenn',
  'tex',
  'va',
  'vt',
  'wash',
  'wis',
  'wyo',
]);

const HAS_WORD = /[\p{L}\p{N}]/u;
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'june', 'jul', 'july', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isClosing(c: number): boolean {
  // " ' ) ] }
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125;
}
function isOpening(c: number): boolean {
  return c === 34 || c === 39 || c === 40 || c === 91 || c === 123;
}
function isWideStop(c: number): boolean {
  // 。 ！ ？ and the half-width ideographic full stop
  return c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff61;
}
function isWideClosing(c: number): boolean {
  // 」 』 ） 】 ” ’ and the ASCII closers
  return c === 0x300d || c === 0x300f || c === 0xff09 || c === 0x3011 || c === 0x201d || c === 0x2019 || isClosing(c);
}
/** Whether `text[from, to)` holds an odd number of `quote` characters (one is left open). */
function opensQuote(text: string, from: number, to: number, quote: number): boolean {
  let open = false;
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === quote) open = !open;
  return open;
}
function isLower(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** The word (letters, digits, inner dots) that ends just before position `end`. */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (isSpace(c) || isOpening(c) || c === 44 /* , */) break;
    i--;
  }
  return text.slice(i, end);
}

function isNonBoundaryAfter(text: string, dot: number, nextStart: number): boolean {
  const word = wordBefore(text, dot);
  const lower = word.toLowerCase();
  if (lower.length === 0) return false;
  // an initial: a single letter (J. K. Rowling, detokenised "p. m."), or dotted letters (U.S., a.m.)
  if (/^\p{L}$/u.test(word)) return true;
  // a month before a day number: "May. 3"
  if (MONTHS.has(lower) && isDigit(text.charCodeAt(nextStart))) return true;
  if (ABBREVIATIONS.has(lower)) {
    // "in the U.S. The ..." is ambiguous; we keep abbreviations attached, the lesser harm
    return true;
  }
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true;
  // decimal split by detokenisation: "$2. 6 million", "08. 23 BST"
  // (a one-to-three digit number before the dot, a digit right after the space)
  if (isDigit(text.charCodeAt(nextStart)) && /(?:^|[^\d])\d{1,3}$/.test(word)) return true;
  return false;
}

/**
 * Whether a line ending in `prev` (a UTF-16 code unit) runs on into a next line opening with
 * `next` (its first character, '' for none): in lower case, after no terminal punctuation.
 * Anywhere else a line break ends a sentence, and no rule looks across it, so the sentences
 * of `a + '\n' + b`, when b does not run on from a, are those of a and of b (text/analyse.ts,
 * analyseHeaded, relies on this).
 */
export function lineContinues(prev: number, next: string): boolean {
  return next !== '' && isLower(next) && prev !== 46 && prev !== 33 && prev !== 63 && prev !== 58;
}

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  let start = 0;

  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) {
      const last = spans[spans.length - 1];
      // a piece with no letter or digit (a stray closing quote from detokenised text)
      // belongs to the sentence before it, when that is on the same line
      if (last && !HAS_WORD.test(text.slice(s, e)) && !text.slice(last.end, s).includes('\n')) {
        spans[spans.length - 1] = { start: last.start, end: e };
      } else spans.push({ start: s, end: e });
    }
    start = end;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      // A line break ends a sentence unless the next line continues it in lower case
      // (hard-wrapped plain text) and this line did not end with terminal punctuation.
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const continues = j === i + 1 && lineContinues(text.charCodeAt(i - 1), text[j] ?? '');
      if (!continues) push(i);
      // the white space after the break holds no boundary of its own: skipping it keeps a run
      // of blank lines linear (each break used to scan the whole run after it)
      i = continues ? i + 1 : j;
      continue;
    }
    if (isWideStop(c)) {
      let j = i + 1;
      while (j < n && isWideStop(text.charCodeAt(j))) j++;
      for (; j < n; j++) {
        const q = text.charCodeAt(j);
        if (!isWideClosing(q)) break;
        // a straight quote (normalisation makes “ ” both ") closes one only when the sentence
        // opened one; else it opens the next sentence: 他说完了。"我们走吧。"
        if ((q === 34 || q === 39) && !opensQuote(text, start, i, q)) break;
      }
      push(j);
      i = j;
      continue;
    }
    if (c === 46 || c === 33 || c === 63) {
      // . ! ? possibly repeated ("...", "?!")
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 33 || text.charCodeAt(j) === 63)) j++;
      while (j < n && isClosing(text.charCodeAt(j))) j++;
      if (j >= n) break;
      if (!isSpace(text.charCodeAt(j))) {
        i = j;
        continue;
      }
      let k = j;
      while (k < n && text.charCodeAt(k) === 32) k++;
      // a detached closing quote (`there. "` in detokenised text) still belongs here
      let q = k;
      while (q < n && (text.charCodeAt(q) === 34 || text.charCodeAt(q) === 39)) q++;
      if (q > k && (q >= n || isSpace(text.charCodeAt(q)))) {
        j = q;
        k = q;
        while (k < n && text.charCodeAt(k) === 32) k++;
      }
      // "is ... Ellen": an ellipsis after a space is a pause inside the sentence
      if (c === 46 && j - i >= 3 && i > 0 && text.charCodeAt(i - 1) === 32) {
        i = k;
        continue;
      }
      if (k >= n || text.charCodeAt(k) === 10) {
        i = k;
        continue; // the line break handles it
      }
      let m = k;
      while (m < n && isOpening(text.charCodeAt(m))) m++;
      const first = text[m] ?? '';
      const startsLower = first !== '' && isLower(first);
      // after a single "." check abbreviations and initials; "?" and "!" always end unless lower case follows
      const abbrev = c === 46 && text.charCodeAt(i + 1) !== 46 && isNonBoundaryAfter(text, i, k);
      if (!startsLower && !abbrev) push(j);
      i = k;
      continue;
    }
    i++;
  }
  push(n);
  return spans;
}

import { detached } from '../util/detach.js';
import { stemmer } from 'stemmer';
import { STOPWORDS, UNSPACED_STOPWORDS } from './stopwords.js';

/**
 * One tokeniser for every stage. Tokens are maximal runs of letters, marks and digits
 * (an apostrophe between letters stays inside: `don't`, `Reid's`); a number keeps its
 * inner `.` and `,` between digits (`29,514`, `1.2`). Hyphens and other punctuation
 * separate tokens, which also absorbs detokenisation noise (`six - year` = `six-year`).
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
 * Myanmar) are cut into words by ICU's dictionary word breaker (`Intl.Segmenter`, built into
 * Node): as runs of letters a whole clause would be one token, and no two reports would
 * share a word, a shingle or a sentence.
 *
 * The fast path (`tokenize`) fills typed arrays of offsets and 32-bit FNV-1a hashes of
 * the lower-cased token, allocating no string per token: dedup shingles run on it.
 * `analyse` adds strings, stems and flags for clustering and alignment.
 */

export const FLAG_NUMBER = 1;
export const FLAG_CAPITALISED = 2;
export const FLAG_STOPWORD = 4;
export const FLAG_SENTENCE_START = 8;

export interface TokenTable {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** FNV-1a 32-bit hash of the lower-cased token (possessive `'s` dropped). */
  readonly hash: Uint32Array;
  readonly flags: Uint8Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;

function isWordChar(c: number, text: string, i: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  // surrogate pairs are rare in news; test the code point
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(i) ?? c));
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether UTF-16 code unit `c` belongs to a script written without spaces between words:
 * Thai, Lao, Myanmar, Khmer, Hiragana, Katakana (with its phonetic extensions) and Han (with
 * its extensions and the ideographic marks 々 〆 〇 〻; a high surrogate of planes 2 and 3
 * counts as Han). Hangul is written with spaces and is not here.
 */
export function isUnspacedScript(c: number): boolean {
  if (c < 0x0e00) return false;
  return (
    c <= 0x0eff || // Thai, Lao
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) || // Khmer
    (c >= 0x3005 && c <= 0x3007) || // 々 〆 〇
    c === 0x303b || // 〻
    (c >= 0x3040 && c <= 0x30ff) || // Hiragana, Katakana
    (c >= 0x31f0 && c <= 0x31ff) || // Katakana phonetic extensions
    (c >= 0x3400 && c <= 0x4dbf) || // Han extension A
    (c >= 0x4e00 && c <= 0x9fff) || // Han
    (c >= 0xf900 && c <= 0xfaff) || // Han compatibility
    (c >= 0xff66 && c <= 0xff9f) || // half-width Katakana
    (c >= 0xd840 && c <= 0xd8bf) // planes 2 and 3 (Han extensions B-H), high surrogates
  );
}

/** A variation selector (U+FE00-FE0F; U+E0100-E01EF is read as its surrogate pair) stays in its run. */
function isSelectorAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xfe00 && c <= 0xfe0f) return 1;
  if (c === 0xdb40) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdd00 && d <= 0xddef) return 2;
  }
  return 0;
}

let wordBreaker: Intl.Segmenter | null = null;

/**
 * ICU's word breaker takes time that grows with the square of the string it is given
 * (100,000 characters of unpunctuated Chinese: 11 s; 5 MB: hours), so a long run is cut in
 * windows of this many characters: each window's last word may be cut short, so it is
 * dropped and the next window starts where it began. Runs shorter than this (any run of
 * real prose, which punctuation ends) are segmented whole.
 */
const SEGMENT_WINDOW = 1024;

/**
 * Cuts the run of unspaced-script characters starting at `from` into words and pushes
 * them; returns where the run ends. Punctuation and spaces end a run, so it is one
 * clause at most.
 */
function pushUnspacedRun(text: string, from: number, b: Builder): number {
  let end = from;
  const n = text.length;
  for (;;) {
    if (end < n && isUnspacedScript(text.charCodeAt(end))) {
      const c = text.charCodeAt(end);
      // a pair only when a low surrogate follows (a lone high surrogate is one unit)
      const low = text.charCodeAt(end + 1);
      end += c >= 0xd800 && c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
      continue;
    }
    const sel = end > from && end < n ? isSelectorAt(text, end) : 0;
    if (sel === 0) break;
    end += sel;
  }
  wordBreaker ??= new Intl.Segmenter('und', { granularity: 'word' });
  // a run that fits one window is segmented on its own, so its words depend on it alone: the
  // same run (a name, a stock phrase) is segmented once
  const whole = end - from <= SEGMENT_WINDOW ? text.slice(from, end) : null;
  const known = whole !== null ? runCache.get(whole) : undefined;
  if (known !== undefined) {
    for (let k = 0; k < known.length; k += 3) b.push(from + known[k]!, from + known[k + 1]!, known[k + 2]! >>> 0, 0);
    return end;
  }
  const mark = b.count;
  let at = from;
  while (at < end) {
    let stop = Math.min(end, at + SEGMENT_WINDOW);
    // never cut a surrogate pair
    if (stop < end && (text.charCodeAt(stop) & 0xfc00) === 0xdc00) stop++;
    const last = stop === end;
    let next = stop;
    const segs = [...wordBreaker.segment(text.slice(at, stop))];
    for (let k = 0; k < segs.length; k++) {
      const seg = segs[k]!;
      // the window's last word may be cut short: the next window starts with it
      if (!last && k === segs.length - 1 && k > 0) {
        next = at + seg.index;
        break;
      }
      if (!seg.isWordLike) continue;
      let h = FNV_OFFSET;
      for (let q = 0; q < seg.segment.length; q++) h = Math.imul(h ^ seg.segment.charCodeAt(q), FNV_PRIME);
      b.push(at + seg.index, at + seg.index + seg.segment.length, h >>> 0, 0);
    }
    at = next;
  }
  if (whole !== null) {
    const words = new Int32Array((b.count - mark) * 3);
    for (let k = mark; k < b.count; k++) {
      const o = (k - mark) * 3;
      words[o] = b.start[k]! - from;
      words[o + 1] = b.end[k]! - from;
      words[o + 2] = b.hash[k]! | 0;
    }
    if (runCache.size >= RUN_CACHE_SIZE) runCache.clear();
    runCache.set(detached(whole), words);
  }
  return end;
}

/** Words of runs already segmented (start, end, hash per word, relative to the run). */
const runCache = new Map<string, Int32Array>();
const RUN_CACHE_SIZE = 20_000;

function isUpperAscii(c: number): boolean {
  return c >= 65 && c <= 90;
}

function lowerCode(c: number): number {
  if (c >= 65 && c <= 90) return c | 0x20;
  if (c < 128) return c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

/** Grows typed arrays by doubling; avoids a per-token allocation. Reused from text to text. */
class Builder {
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  hash = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  count = 0;
  push(s: number, e: number, h: number, f: number): void {
    if (this.count === this.start.length) {
      const cap = this.count * 2;
      const grow = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      this.start = grow(this.start, (n) => new Int32Array(n));
      this.end = grow(this.end, (n) => new Int32Array(n));
      this.hash = grow(this.hash, (n) => new Uint32Array(n));
      this.flags = grow(this.flags, (n) => new Uint8Array(n));
    }
    this.start[this.count] = s;
    this.end[this.count] = e;
    this.hash[this.count] = h;
    this.flags[this.count] = f;
    this.count++;
  }
  build(): TokenTable {
    const n = this.count;
    // copies of the size used: the builder is the next text's
    return {
      count: n,
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      hash: this.hash.slice(0, n),
      flags: this.flags.slice(0, n),
    };
  }
}

const shared = new Builder();

// ASCII letters and digits, lower-cased; 0 for every other ASCII character
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = c;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = c;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = c | 0x20;

/**
 * The token table of a text. `flags: false` leaves every token's flags 0 (reprint detection
 * reads offsets and hashes only).
 */
export function tokenize(text: string, options: { flags?: boolean } = {}): TokenTable {
  return fill(text, options.flags ?? true).build();
}

/**
 * tokenize(text, { flags: false }) in the tokeniser's own buffers, which the next call
 * reuses: for a caller that reads the table at once and copies what it keeps (shingling, which
 * keeps offsets and reads hashes once). Copying the four arrays out was a tenth of signing.
 * `flags` is empty.
 */
export function tokenizeTransient(text: string): TokenTable {
  const b = fill(text, false);
  return { count: b.count, start: b.start, end: b.end, hash: b.hash, flags: NO_FLAGS };
}
const NO_FLAGS = new Uint8Array(0);

function fill(text: string, withFlags: boolean): Builder {
  const b = shared;
  b.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // most characters between words are ASCII spaces and punctuation
      const first = ASCII_WORD[c]!;
      if (first === 0) {
        i++;
        continue;
      }
      // most words are ASCII letters or digits ended by an ASCII space or punctuation: a
      // loop that does that alone, the general one taking over where it cannot tell
      const s = i;
      let h = Math.imul(FNV_OFFSET ^ first, FNV_PRIME);
      let seen = first;
      let d = 0;
      for (i++; i < n; i++) {
        d = text.charCodeAt(i);
        if (d >= 128) break;
        const lower = ASCII_WORD[d]!;
        if (lower === 0) break;
        seen |= lower;
        h = Math.imul(h ^ lower, FNV_PRIME);
      }
      if (i >= n || (d < 128 && d !== 39 && d !== 46 && d !== 44)) b.push(s, i, h >>> 0, withFlags ? flagsFor(text, s, seen) : 0);
      else i = restOfToken(text, s, i, h, seen, b, withFlags);
      continue;
    }
    if (!isWordChar(c, text, i)) {
      i++;
      continue;
    }
    if (c >= 0x0e00 && isUnspacedScript(c)) {
      i = pushUnspacedRun(text, i, b);
      continue;
    }
    i = restOfToken(text, i, i, FNV_OFFSET, 0, b, withFlags);
  }
  return b;
}

/**
 * The token that starts at `s`, read from `i` on (its hash so far `h`, and `seen` as below),
 * pushed; returns where the next one may start.
 */
function restOfToken(text: string, s: number, i: number, h: number, seen: number, b: Builder, withFlags: boolean): number {
  const n = text.length;
  // `seen`: the or of the token's lower-cased ASCII codes, with 0x40 for a character other
  // than an ASCII digit that is not ASCII (a letter, a mark, another script's digit) and for an
  // inner apostrophe; an inner `.` or `,` of a number adds nothing. So a token is all digits
  // (with a number's separators) while bit 0x40 is clear (ASCII digits are 0x30-0x39,
  // lower-case letters 0x61-0x7a): an or per character instead of a branch
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d < 128) {
      const lower = ASCII_WORD[d]!;
      if (lower !== 0) {
        seen |= lower;
        h = Math.imul(h ^ lower, FNV_PRIME);
        i++;
        continue;
      }
      // an apostrophe, or a full stop or comma inside a number: looked at below
      if (d !== 39 && d !== 46 && d !== 44) break;
    } else if (isWordChar(d, text, i)) {
      // "7.0级": a number or a Latin word ends where an unspaced script begins
      if (d >= 0x0e00 && isUnspacedScript(d)) break;
      if (!isDigit(d)) seen |= 0x40;
      h = Math.imul(h ^ lowerCode(d), FNV_PRIME);
      if (d >= 0xd800 && d <= 0xdbff) {
        // a letter outside the BMP (𝐀, plane-1 scripts): its low surrogate is hashed too
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          h = Math.imul(h ^ low, FNV_PRIME);
          i++;
        }
      }
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    // inner apostrophe between letters: don't, Reid's
    // (an unspaced script after the apostrophe is another word: Reuters'地震, Trump's声明)
    if (d === 39 && i + 1 < n && !isDigit(next) && isWordChar(next, text, i + 1) && !isUnspacedScript(next) && !isDigit(text.charCodeAt(i - 1))) {
      // drop a possessive 's at the end of the token: Reid's == Reid
      const after = text.charCodeAt(i + 2);
      if ((next === 115 || next === 83) && (i + 2 >= n || !isWordChar(after, text, i + 2) || isUnspacedScript(after))) {
        b.push(s, i, h >>> 0, withFlags ? flagsFor(text, s, seen) : 0);
        return i + 2;
      }
      h = Math.imul(h ^ 39, FNV_PRIME);
      seen |= 0x40;
      i++;
      continue;
    }
    // a number keeps inner . and , between digits
    if ((d === 46 || d === 44) && (seen & 0x40) === 0 && isDigit(next) && isDigit(text.charCodeAt(i - 1))) {
      h = Math.imul(h ^ d, FNV_PRIME);
      i++;
      continue;
    }
    break;
  }
  // (a flag, not a sentinel hash: any value, -1 included, is some word's hash)
  b.push(s, i, h >>> 0, withFlags ? flagsFor(text, s, seen) : 0);
  return i;
}

function flagsFor(text: string, s: number, seen: number): number {
  let f = 0;
  // digits alone, or with inner . and , (a token opens with a word character: a digit, then)
  if ((seen & 0x40) === 0) f |= FLAG_NUMBER;
  const c = text.charCodeAt(s);
  if (isUpperAscii(c) || (c >= 128 && text[s] !== text[s]!.toLowerCase())) f |= FLAG_CAPITALISED;
  return f;
}

/** The lower-cased form of token `i`, with the same folding as its hash. */
export function tokenNorm(text: string, t: TokenTable, i: number): string {
  return text.slice(t.start[i], t.end[i]).toLowerCase();
}

const stemCache = new Map<string, string>();
/** Porter stem of a lower-cased word, memoised (the vocabulary of news is small). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size > 500_000) stemCache.clear();
    stemCache.set(detached(word), s);
  }
  return s;
}

export function isStopword(word: string): boolean {
  if (STOPWORDS.has(word)) return true;
  const c = word.charCodeAt(0);
  if (c < 0x0e00) return false;
  if (UNSPACED_STOPWORDS.has(word)) return true;
  // a word in hiragana alone is Japanese grammar (particles, endings, auxiliaries: で, が, ます)
  for (let i = 0; i < word.length; i++) {
    const h = word.charCodeAt(i);
    if (h < 0x3041 || h > 0x309f) return false;
  }
  return true;
}

/** A token with its strings, for stages that need words rather than hashes. */
export interface Token {
  readonly start: number;
  readonly end: number;
  readonly sentence: number;
  /** lower-cased surface form */
  readonly norm: string;
  /** Porter stem of `norm` (numbers and stop words unchanged) */
  readonly stem: string;
  readonly hash: number;
  readonly isNumber: boolean;
  readonly isCapitalised: boolean;
  readonly isStopword: boolean;
  readonly isSentenceStart: boolean;
}

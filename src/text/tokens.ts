import { detached } from '../util/detach.js';
import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.js';

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
 * Thai, Lao, Myanmar, Khmer, Hiragana, Katakana and Han (with its extensions; a high
 * surrogate of planes 2-3 counts as Han). Hangul is written with spaces and is not here.
 */
export function isUnspacedScript(c: number): boolean {
  if (c < 0x0e00) return false;
  return (
    c <= 0x0eff || // Thai, Lao
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) || // Khmer
    (c >= 0x3040 && c <= 0x30ff) || // Hiragana, Katakana
    (c >= 0x3400 && c <= 0x4dbf) || // Han extension A
    (c >= 0x4e00 && c <= 0x9fff) || // Han
    (c >= 0xf900 && c <= 0xfaff) || // Han compatibility
    (c >= 0xff66 && c <= 0xff9f) || // half-width Katakana
    (c >= 0xd840 && c <= 0xd87f) // Han extensions B-F (high surrogates)
  );
}

let wordBreaker: Intl.Segmenter | null = null;

/**
 * Cuts the run of unspaced-script characters starting at `from` into words and pushes
 * them; returns where the run ends. Punctuation and spaces end a run, so it is one
 * clause at most.
 */
function pushUnspacedRun(text: string, from: number, b: Builder): number {
  let end = from;
  while (end < text.length && isUnspacedScript(text.charCodeAt(end))) {
    const c = text.charCodeAt(end);
    end += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  wordBreaker ??= new Intl.Segmenter('und', { granularity: 'word' });
  for (const seg of wordBreaker.segment(text.slice(from, end))) {
    if (!seg.isWordLike) continue;
    let h = FNV_OFFSET;
    for (let k = 0; k < seg.segment.length; k++) h = Math.imul(h ^ seg.segment.charCodeAt(k), FNV_PRIME);
    b.push(from + seg.index, from + seg.index + seg.segment.length, h >>> 0, 0);
  }
  return end;
}

function isUpperAscii(c: number): boolean {
  return c >= 65 && c <= 90;
}

function lowerCode(c: number): number {
  if (c >= 65 && c <= 90) return c | 0x20;
  if (c < 128) return c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

/** Grows typed arrays by doubling; avoids a per-token allocation. */
class Builder {
  start = new Int32Array(256);
  end = new Int32Array(256);
  hash = new Uint32Array(256);
  flags = new Uint8Array(256);
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
    // views, not copies: the builder is dropped right after
    return {
      count: n,
      start: this.start.subarray(0, n),
      end: this.end.subarray(0, n),
      hash: this.hash.subarray(0, n),
      flags: this.flags.subarray(0, n),
    };
  }
}

export function tokenize(text: string): TokenTable {
  const b = new Builder();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c, text, i)) {
      i++;
      continue;
    }
    if (c >= 0x0e00 && isUnspacedScript(c)) {
      i = pushUnspacedRun(text, i, b);
      continue;
    }
    const s = i;
    let h = FNV_OFFSET;
    let allDigits = true;
    let hasDigit = false;
    let pushed = false;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isWordChar(d, text, i)) {
        // "7.0级": a number or a Latin word ends where an unspaced script begins
        if (d >= 0x0e00 && isUnspacedScript(d)) break;
        if (!isDigit(d)) allDigits = false;
        else hasDigit = true;
        h = Math.imul(h ^ lowerCode(d), FNV_PRIME);
        i += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
        continue;
      }
      const next = text.charCodeAt(i + 1);
      // inner apostrophe between letters: don't, Reid's
      if (d === 39 && i + 1 < n && !isDigit(next) && isWordChar(next, text, i + 1) && !isDigit(text.charCodeAt(i - 1))) {
        // drop a possessive 's at the end of the token: Reid's == Reid
        const after = text.charCodeAt(i + 2);
        if ((next === 115 || next === 83) && (i + 2 >= n || !isWordChar(after, text, i + 2))) {
          const e = i;
          i += 2;
          b.push(s, e, h >>> 0, flagsFor(text, s, allDigits, hasDigit));
          pushed = true;
          break;
        }
        h = Math.imul(h ^ 39, FNV_PRIME);
        i++;
        continue;
      }
      // a number keeps inner . and , between digits
      if ((d === 46 || d === 44) && allDigits && isDigit(next) && isDigit(text.charCodeAt(i - 1))) {
        h = Math.imul(h ^ d, FNV_PRIME);
        i++;
        continue;
      }
      break;
    }
    // (a flag, not a sentinel hash: any value, -1 included, is some word's hash)
    if (!pushed) b.push(s, i, h >>> 0, flagsFor(text, s, allDigits, hasDigit));
  }
  return b.build();
}

function flagsFor(text: string, s: number, allDigits: boolean, hasDigit: boolean): number {
  let f = 0;
  if (allDigits && hasDigit) f |= FLAG_NUMBER;
  const c = text.charCodeAt(s);
  if (isUpperAscii(c) || (c >= 128 && text[s] !== text[s]!.toLowerCase())) f |= FLAG_CAPITALISED;
  return f;
}

/** The lower-cased form of token `i`, with the same folding as its hash. */
export function tokenNorm(text: string, t: TokenTable, i: number): string {
  return text.slice(t.start[i]!, t.end[i]!).toLowerCase();
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
  return STOPWORDS.has(word);
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

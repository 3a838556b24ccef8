/**
 * A speed device for line-by-line regular expressions: a cheap look at a line that says which
 * of a set of expressions could match it, so that the others are never run. Each expression
 * is given literals it cannot match without (its hints), and the look reports the bits of
 * every hint present. It must be a superset (a hint left out lets a match be missed), so
 * callers test it against their expressions run on every line.
 *
 * It follows the expressions' own (non-Unicode, `/i`) sense of things: a word character is
 * ASCII `[A-Za-z0-9_]` (`\w`), and a letter matches only the other case of the same ASCII
 * letter. Kinds of hint, from cheap to dear:
 * - the line's first word, whole (what `^\W*word\b` needs) or its start, and literals among
 *   the non-word characters before it: one look at the line's start;
 * - a symbol (a literal that starts with a non-word character), anywhere: found with
 *   indexOf, once per text when the lines of one text come in order;
 * - a word or phrase at the start of any word (what `\bphrase` needs): found by a
 *   multi-pattern skip search (Wu-Manber), which reads a few characters of every shortest
 *   phrase's length instead of every character; so these hints are best long and rare.
 */
export interface HintGroup {
  /** the bits reported when any of the hints below is present */
  readonly bits: number;
  /** words or phrases at the start of any word, as a prefix ("notification" finds "notifications") */
  readonly anywhere?: readonly string[];
  /** the line's first word (after any non-word characters), whole: a word or phrase not followed by a word character */
  readonly first?: readonly string[];
  /** what the line's first word (after any non-word characters) starts with (what `^\W*word` needs) */
  readonly firstStarts?: readonly string[];
  /** the line's first word starts with a digit */
  readonly firstDigit?: boolean;
  /** what follows the line's first word, whatever it is (` |` after "news" in "news | sports") */
  readonly afterFirst?: readonly string[];
  /** literals that start with a non-word character (below U+0100) among the line's leading non-word characters (what `^\W*\(c\)` needs) */
  readonly leading?: readonly string[];
  /** literals that start with a non-word character (below U+0100), anywhere */
  readonly symbols?: readonly string[];
}

// 1 letter, 2 digit, 3 underscore, 0 anything else (no character above U+007F is \w)
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) WORD[c] = 1;
  else if (c >= 48 && c <= 57) WORD[c] = 2;
  else if (c === 95) WORD[c] = 3;
}

function isWordCode(c: number): boolean {
  return c < 128 && WORD[c] !== 0;
}

/** ASCII letters lower-cased, others as they are (equal after fold = equal under /i, for ASCII). */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

// the skip search's alphabet: a letter of either case 1-26, a space 27, anything else 0 (two
// characters of one class may differ: the class only decides how far to skip, never a
// match); a table of every UTF-16 code unit, so that the inner loop loads without a branch
const CLASS = new Uint8Array(65536);
for (let c = 0; c < 128; c++) CLASS[c] = c === 32 ? 27 : WORD[c] === 1 ? fold(c) - 96 : 0;
const classOf = (c: number): number => CLASS[c]!;

/** Literals with their bits, grouped by a key: group k is [start[k], start[k + 1]). */
class Buckets {
  readonly start: Int32Array;
  readonly codes: Uint16Array[] = [];
  readonly bits: number[] = [];
  // whether the literal is a whole word (not followed by a word character), or a prefix
  readonly whole: boolean[] = [];
  // where the literal starts, before the place its key was taken from
  readonly offset: number[] = [];

  constructor(keys: number, entries: readonly { key: number; codes: readonly number[]; bits: number; whole?: boolean; offset?: number }[]) {
    this.start = new Int32Array(keys + 1);
    const sorted = [...entries].sort((a, b) => a.key - b.key);
    let e = 0;
    for (let k = 0; k <= keys; k++) {
      this.start[k] = e;
      while (e < sorted.length && sorted[e]!.key === k) {
        this.codes.push(Uint16Array.from(sorted[e]!.codes));
        this.bits.push(sorted[e]!.bits);
        this.whole.push(sorted[e]!.whole ?? false);
        this.offset.push(sorted[e]!.offset ?? 0);
        e++;
      }
    }
  }
}

// the skip search's blocks: three characters' classes, five bits each
const BLOCKS = 32 * 32 * 32;
const blockOf = (a: number, b: number, c: number): number => (classOf(a) << 10) | (classOf(b) << 5) | classOf(c);

// a first word's bucket: its first two characters, (letter) * 129 + (second below 128, or 128)
const FIRST_KEYS = 26 * 129;
const firstKey = (a: number, b: number): number => (fold(a) - 97) * 129 + (b < 128 ? fold(b) : 128);

export class LineHints {
  private readonly firsts: Buckets;
  private readonly firstDigitBits: number;
  private readonly afterFirst: { codes: readonly number[]; bits: number }[] = [];
  private readonly leading: { codes: readonly number[]; bits: number }[] = [];
  // the skip search: `shortest` characters of every phrase (its window) decide the skips
  private readonly shortest: number;
  private readonly shift = new Uint8Array(BLOCKS);
  private readonly phrases: Buckets;
  // symbols by their first character, and where that character next occurs in the text being read
  private readonly symbolChars: number[] = [];
  private readonly symbolStrings: string[] = [];
  private readonly symbols: Buckets;
  private readonly symbolNext: Int32Array;
  private symbolText = '';
  private symbolEnd = 0;

  constructor(groups: readonly HintGroup[]) {
    const firsts: { key: number; codes: number[]; bits: number; whole: boolean }[] = [];
    const phrases: { codes: number[]; bits: number }[] = [];
    const symbols: { key: number; codes: number[]; bits: number }[] = [];
    let firstDigitBits = 0;
    for (const g of groups) {
      for (const w of g.first ?? []) {
        const codes = codesOf(w, 'word');
        firsts.push({ key: firstKey(codes[0]!, codes[1]!), codes, bits: g.bits, whole: true });
      }
      for (const w of g.firstStarts ?? []) {
        const codes = codesOf(w, 'word');
        firsts.push({ key: firstKey(codes[0]!, codes[1]!), codes, bits: g.bits, whole: false });
      }
      for (const w of g.anywhere ?? []) phrases.push({ codes: codesOf(w, 'word'), bits: g.bits });
      for (const s of g.afterFirst ?? []) this.afterFirst.push({ codes: codesOf(s, 'any'), bits: g.bits });
      for (const s of g.leading ?? []) this.leading.push({ codes: codesOf(s, 'symbol'), bits: g.bits });
      for (const s of g.symbols ?? []) {
        const codes = codesOf(s, 'symbol');
        if (!this.symbolChars.includes(codes[0]!)) {
          this.symbolChars.push(codes[0]!);
          this.symbolStrings.push(String.fromCharCode(codes[0]!));
        }
        symbols.push({ key: this.symbolChars.indexOf(codes[0]!), codes, bits: g.bits });
      }
      if (g.firstDigit) firstDigitBits |= g.bits;
    }
    this.firsts = new Buckets(FIRST_KEYS, firsts);
    this.firstDigitBits = firstDigitBits;
    this.symbols = new Buckets(this.symbolChars.length, symbols);
    this.symbolNext = new Int32Array(this.symbolChars.length);
    // Wu-Manber with blocks of three characters over a window of m characters of each phrase
    // (m the shortest phrase's length): a block that ends a window is a candidate (skip 0,
    // verify the phrase); one that ends inside a window, q characters in, skips m - 1 - q; any
    // other skips m - 2
    const m = phrases.length === 0 ? 0 : Math.min(...phrases.map((p) => p.codes.length));
    if (m > 0 && m < 3) throw new Error('line hints: a phrase of three characters or more');
    this.shortest = m;
    this.shift.fill(Math.max(m - 2, 0));
    const ends: { key: number; codes: number[]; bits: number; offset: number }[] = [];
    for (const { codes, bits } of phrases) {
      const offset = rarestWindow(codes, m);
      for (let q = 2; q < m; q++) {
        const block = blockOf(codes[offset + q - 2]!, codes[offset + q - 1]!, codes[offset + q]!);
        this.shift[block] = Math.min(this.shift[block]!, m - 1 - q);
      }
      ends.push({ key: blockOf(codes[offset + m - 3]!, codes[offset + m - 2]!, codes[offset + m - 1]!), codes, bits, offset });
    }
    this.phrases = new Buckets(BLOCKS, ends);
  }

  /**
   * The bits of every group with a hint in the line s[start, end). Symbols are found fastest
   * when the lines of a text are asked for in order.
   */
  scan(s: string, start: number, end: number): number {
    if (start >= end) return 0;
    let bits = this.firstWord(s, start, end);
    if (this.shortest > 0) bits |= this.phrasesIn(s, start, end, bits);
    if (this.symbolChars.length > 0) bits |= this.symbolsIn(s, start, end);
    return bits;
  }

  private firstWord(s: string, start: number, end: number): number {
    let bits = 0;
    let i = start;
    for (; i < end && !isWordCode(s.charCodeAt(i)); i++) for (const l of this.leading) if (matchesAt(s, i, end, l.codes)) bits |= l.bits;
    if (i === end) return bits;
    const c = s.charCodeAt(i);
    if (WORD[c] === 2) bits |= this.firstDigitBits;
    if (WORD[c] === 1) {
      const f = this.firsts;
      const k = firstKey(c, i + 1 < end ? s.charCodeAt(i + 1) : 128);
      for (let e = f.start[k]!, last = f.start[k + 1]!; e < last; e++) {
        const lit = f.codes[e]!;
        const after = i + lit.length;
        if (matchesAt(s, i, end, lit) && (!f.whole[e] || after === end || !isWordCode(s.charCodeAt(after)))) bits |= f.bits[e]!;
      }
    }
    if (this.afterFirst.length > 0) {
      let j = i;
      while (j < end && isWordCode(s.charCodeAt(j))) j++;
      for (const a of this.afterFirst) if (matchesAt(s, j, end, a.codes)) bits |= a.bits;
    }
    return bits;
  }

  /** The bits of the phrases starting a word in s[start, end) that `known` lacks. */
  private phrasesIn(s: string, start: number, end: number, known: number): number {
    const m = this.shortest;
    const shift = this.shift;
    const p = this.phrases;
    let bits = known;
    let j = start + m - 1;
    while (j < end) {
      const block = blockOf(s.charCodeAt(j - 2), s.charCodeAt(j - 1), s.charCodeAt(j));
      const skip = shift[block]!;
      if (skip !== 0) {
        j += skip;
        continue;
      }
      for (let e = p.start[block]!, last = p.start[block + 1]!; e < last; e++) {
        const at = j - m + 1 - p.offset[e]!;
        if (at < start || (bits & p.bits[e]!) === p.bits[e]!) continue;
        if ((at === start || !isWordCode(s.charCodeAt(at - 1))) && matchesAt(s, at, end, p.codes[e]!)) bits |= p.bits[e]!;
      }
      j++;
    }
    return bits & ~known;
  }

  private symbolsIn(s: string, start: number, end: number): number {
    // where each symbol's first character next occurs, from an earlier line of the same text
    // (-1: nowhere after it); a new text, or a line that does not start after the last one
    // ended, starts again. (The text is kept, so that for the next line of the same text the
    // comparison finds the same string at once, without reading its characters.)
    if (s !== this.symbolText || start < this.symbolEnd) this.symbolNext.fill(-2);
    this.symbolText = s;
    this.symbolEnd = end;
    const sym = this.symbols;
    let bits = 0;
    for (let k = 0; k < this.symbolChars.length; k++) {
      let at = this.symbolNext[k]!;
      if (at === -1) continue;
      if (at < start) at = s.indexOf(this.symbolStrings[k]!, start);
      while (at >= 0 && at < end) {
        for (let e = sym.start[k]!, last = sym.start[k + 1]!; e < last; e++) if (matchesAt(s, at, end, sym.codes[e]!)) bits |= sym.bits[e]!;
        at = s.indexOf(this.symbolStrings[k]!, at + 1);
      }
      this.symbolNext[k] = at;
    }
    return bits;
  }
}

// rough frequencies (per mille) of letters a-z in English text; 180 for a space, 30 for anything else
const FREQ = [82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1];
const freqOf = (c: number): number => (c === 32 ? 180 : WORD[c] === 1 ? FREQ[fold(c) - 97]! : 30);

/**
 * Which m characters of a phrase its window is: the ones that end in the rarest three in
 * running text, so that the search stops to verify as seldom as it can.
 */
function rarestWindow(codes: readonly number[], m: number): number {
  let best = 0;
  let bestScore = Infinity;
  for (let o = 0; o + m <= codes.length; o++) {
    const score = freqOf(codes[o + m - 3]!) * freqOf(codes[o + m - 2]!) * freqOf(codes[o + m - 1]!);
    if (score < bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

/** Whether s[i, ...) holds lit (lower-cased), ASCII letters in either case, before end. */
function matchesAt(s: string, i: number, end: number, lit: ArrayLike<number>): boolean {
  const n = lit.length;
  if (i + n > end) return false;
  for (let j = 0; j < n; j++) if (fold(s.charCodeAt(i + j)) !== lit[j]) return false;
  return true;
}

/**
 * A hint's characters, lower-cased. A word: two ASCII characters or more, a letter first; a
 * symbol: a non-word character first. None has a letter outside ASCII (fold knows ASCII case
 * only, and /i without the u flag matches those by their own case rules).
 */
function codesOf(literal: string, kind: 'word' | 'symbol' | 'any'): number[] {
  const chars = [...literal];
  const codes = chars.map((ch) => ch.toLowerCase().charCodeAt(0));
  const caseless = chars.every((ch) => ch.charCodeAt(0) < 128 || (ch.charCodeAt(0) < 256 && ch.toLowerCase() === ch.toUpperCase()));
  const ok = caseless && codes.length >= 1 && (kind === 'word' ? codes.length >= 2 && WORD[codes[0]!] === 1 && codes.every((c) => c < 128) : kind === 'symbol' ? !isWordCode(codes[0]!) : true);
  if (!ok) throw new Error(`line hint ${JSON.stringify(literal)} cannot be looked for`);
  return codes;
}

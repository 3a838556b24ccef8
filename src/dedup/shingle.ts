import { LineHints } from '../text/line-hints.js';
import { tokenizeTransient, type TokenTable } from '../text/tokens.js';
import { fmix32 } from './hash.js';

/**
 * Word shingles over normalised text. Reprint noise is absorbed before shingling:
 * case and punctuation by the tokeniser (hashes of lower-cased words), and syndication
 * boilerplate (copyright and "read more" lines, syndication brackets, bylines, share
 * prompts) by dropping the character ranges that match BOILERPLATE.
 */
export interface Shingles {
  /** shingle hashes in text order */
  readonly hashes: Uint32Array;
  /** token index of each shingle's first word */
  readonly first: Int32Array;
  /** character start and end of every kept token */
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  /** kept tokens (after boilerplate) */
  readonly tokens: number;
}

// A short line (under 200 characters) is dropped when it is one of these; a longer line
// is article text even if it mentions copyright.
const BOILERPLATE_LINE = [
  /\b(?:copyright|all rights reserved)\b|\(c\) \d{4}|©/i,
  /^\s*(?:read more|read also|also read|related:|see also|click here|subscribe|sign up|follow us|share this|share on|advertisement)\b/i,
  /^\s*by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*[,|-].{0,60})?$/,
  /^\s*(?:with inputs from|source:|credit:)\s/i,
  /^\s*(?:updated|published|posted|last updated)\b/i,
];
// Inline syndication marks, anywhere: "(MENAFN- Gulf Times)"
const BOILERPLATE_INLINE = /\((?:MENAFN|AFP|Reuters|AP)\s*-\s*[^)]{1,80}\)/g;

// The speed device: one pass over a line finds the words each BOILERPLATE_LINE expression
// cannot match without (text/line-hints.ts), and only those expressions run. The
// expressions stay the definition; test/boilerplate-fast.test.ts checks the two agree.
const LINE_HINTS = new LineHints([
  { bits: 1, anywhere: ['copyright', 'all rights reserved'], symbols: ['(c) ', '©'] },
  { bits: 2, first: ['read', 'also', 'related', 'see', 'click', 'subscribe', 'sign', 'follow', 'share', 'advertisement'] },
  { bits: 4, first: ['by'] },
  { bits: 8, first: ['with', 'source', 'credit'] },
  { bits: 16, first: ['updated', 'published', 'posted', 'last'] },
]);

/** Character ranges removed as boilerplate, merged and sorted. */
export function boilerplateRanges(text: string): [number, number][] {
  return rangesOf(text, isBoilerplateSpan, firstInlineMark(text));
}

/** The definition boilerplateRanges follows, every expression run on every line: the same ranges, slower; for tests. */
export function boilerplateRangesByRegex(text: string): [number, number][] {
  return rangesOf(text, (s, start, end) => isBoilerplateLine(s.slice(start, end)), 0);
}

function isBoilerplateLine(line: string): boolean {
  return BOILERPLATE_LINE.some((re) => re.test(line));
}

function isBoilerplateSpan(text: string, start: number, end: number): boolean {
  const bits = LINE_HINTS.scan(text, start, end);
  if (bits === 0) return false;
  const line = text.slice(start, end);
  for (let i = 0; i < BOILERPLATE_LINE.length; i++) if (bits & (1 << i) && BOILERPLATE_LINE[i]!.test(line)) return true;
  return false;
}

/** Where BOILERPLATE_INLINE can first match: the first "(" before M, A or R (text.length if none). */
function firstInlineMark(text: string): number {
  // indexOf finds a "(" several times faster than an expression scans for one, and news has
  // few; a text of nothing but "(" costs a call each, still linear
  for (let p = text.indexOf('('); p >= 0; p = text.indexOf('(', p + 1)) {
    const c = text.charCodeAt(p + 1);
    if (c === 77 || c === 65 || c === 82) return p;
  }
  return text.length;
}

/** The ranges of the lines isLine takes, and of the inline marks at or after inlineFrom. */
function rangesOf(text: string, isLine: (text: string, start: number, end: number) => boolean, inlineFrom: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  let lineNo = 0;
  const lastLines = text.length - 600;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // boilerplate is a short line, and a sentence-long line only at the top or bottom
    const len = end - start;
    if ((len < 90 || (len < 200 && (lineNo < 3 || start > lastLines))) && isLine(text, start, end)) ranges.push([start, end]);
    start = end + 1;
    lineNo++;
  }
  if (inlineFrom < text.length) {
    BOILERPLATE_INLINE.lastIndex = inlineFrom;
    for (let m = BOILERPLATE_INLINE.exec(text); m; m = BOILERPLATE_INLINE.exec(text)) ranges.push([m.index, m.index + m[0].length]);
  }
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** 0, 1, 2, ...: shared by every Shingles whose shingles start one word apart (never written to). */
let IDENTITY = new Int32Array(0);

/** The first n of 0, 1, 2, ... (a view: read it, never write it). */
export function identity(n: number): Int32Array {
  if (IDENTITY.length < n) {
    IDENTITY = new Int32Array(Math.max(n, IDENTITY.length * 2, 4096));
    for (let i = 0; i < IDENTITY.length; i++) IDENTITY[i] = i;
  }
  return IDENTITY.subarray(0, n);
}

/** Whether `first` is identity's (or holds 0, 1, 2, ... all the same). */
export function isIdentity(first: Int32Array): boolean {
  if (first.buffer === IDENTITY.buffer && first.byteOffset === 0) return true;
  for (let i = 0; i < first.length; i++) if (first[i] !== i) return false;
  return true;
}

export function shingle(text: string, k: number): Shingles {
  // the tokeniser's buffers, valid until its next call: offsets copied, hashes read here
  return shingleTokens(text, tokenizeTransient(text), k);
}

/**
 * The shingles of `text` from its token table (`tokenizeTransient`'s, or the tail of an
 * analysis's: text/analyse.ts tokensFrom); the offsets kept are copies, the table is only read.
 */
export function shingleTokens(text: string, t: TokenTable, k: number): Shingles {
  const drop = boilerplateRanges(text);
  let tokenStart: Int32Array;
  let tokenEnd: Int32Array;
  let words = t.hash;
  let kept = t.count;
  if (drop.length === 0) {
    tokenStart = t.start.slice(0, kept);
    tokenEnd = t.end.slice(0, kept);
  } else {
    tokenStart = new Int32Array(t.count);
    tokenEnd = new Int32Array(t.count);
    words = new Uint32Array(t.count);
    kept = 0;
    let ri = 0;
    for (let i = 0; i < t.count; i++) {
      const s = t.start[i]!;
      while (ri < drop.length && drop[ri]![1] <= s) ri++;
      if (ri < drop.length && drop[ri]![0] <= s) continue;
      tokenStart[kept] = s;
      tokenEnd[kept] = t.end[i]!;
      words[kept] = t.hash[i]!;
      kept++;
    }
    tokenStart = tokenStart.subarray(0, kept);
    tokenEnd = tokenEnd.subarray(0, kept);
    words = words.subarray(0, kept);
  }
  // texts shorter than k words make one shingle of what there is
  const n = kept >= k ? kept - k + 1 : kept > 0 ? 1 : 0;
  const hashes = new Uint32Array(n);
  const first = identity(n);
  const width = Math.min(k, kept);
  // rolling polynomial hash of the k word hashes (mod 2^32), finalised with fmix32
  const P = 0x01000193;
  let pk = 1;
  for (let j = 0; j < width; j++) pk = Math.imul(pk, P);
  let roll = 0;
  for (let j = 0; j < width; j++) roll = (Math.imul(roll, P) + words[j]!) | 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) roll = (Math.imul(roll, P) + words[i + width - 1]! - Math.imul(words[i - 1]!, pk)) | 0;
    hashes[i] = fmix32(roll ^ width);
  }
  return { hashes, first, tokenStart, tokenEnd, tokens: kept };
}

let scratchA: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
let scratchB: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
const counts = new Int32Array(256);
let buckets = new Int32Array(1024);

/**
 * `values` sorted ascending, in a scratch array that the next call reuses; it neither copies
 * nor allocates. Shingle hashes are fmix32 outputs, spread evenly over 32 bits: one counting
 * pass on the top bits (a bucket per one or two values) leaves them nearly sorted, and an
 * insertion pass finishes, three passes where LSD radix takes eight. Values that crowd into
 * few buckets (text made to collide) would make that pass quadratic: past a few moves per
 * value it gives up, and LSD radix sorts them.
 */
function sortedScratch(values: Uint32Array): Uint32Array {
  const n = values.length;
  if (scratchA.length < n) {
    scratchA = new Uint32Array(n * 2);
    scratchB = new Uint32Array(n * 2);
  }
  if (n < 64) {
    const a = scratchA.subarray(0, n);
    a.set(values);
    return a.sort();
  }
  // the largest power of two <= n buckets, by the top bits
  const bits = 31 - Math.clz32(n);
  const shift = 32 - bits;
  const size = 1 << bits;
  if (buckets.length < size + 1) buckets = new Int32Array(size * 2 + 1);
  const at = buckets;
  at.fill(0, 0, size + 1);
  for (let i = 0; i < n; i++) at[(values[i]! >>> shift) + 1]!++;
  for (let b = 1; b <= size; b++) at[b]! += at[b - 1]!;
  const dst = scratchA;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    dst[at[v >>> shift]!++] = v;
  }
  let budget = 4 * n;
  for (let i = 1; i < n; i++) {
    const v = dst[i]!;
    let j = i - 1;
    if (dst[j]! <= v) continue;
    while (j >= 0 && dst[j]! > v) {
      dst[j + 1] = dst[j]!;
      j--;
    }
    dst[j + 1] = v;
    budget -= i - 1 - j;
    if (budget < 0) return radixSorted(values);
  }
  return dst.subarray(0, n);
}

/** LSD radix, four passes of 8 bits, for any values (scratch arrays as sortedScratch's). */
function radixSorted(values: Uint32Array): Uint32Array {
  const n = values.length;
  let src: Uint32Array = values;
  let dst = scratchA;
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & 255]!++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      dst[counts[(v >>> shift) & 255]!++] = v;
    }
    src = dst;
    dst = dst === scratchA ? scratchB : scratchA;
  }
  // four passes: A, B, A, B
  return src.subarray(0, n);
}

/** The distinct shingle hashes, sorted: the exact set for Jaccard and containment. */
export function shingleSet(s: Shingles): Uint32Array {
  const sorted = sortedScratch(s.hashes);
  let w = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[w++] = sorted[i]!;
  return sorted.slice(0, w);
}

export { intersectionSize } from '../util/sorted.js';

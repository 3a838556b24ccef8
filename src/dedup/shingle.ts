import { tokenize } from '../text/tokens.js';
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

export const BOILERPLATE: readonly RegExp[] = [
  /^.*\b(?:copyright|all rights reserved|\(c\) \d{4}|©)\b.*$/gim,
  /^\s*(?:read more|read also|also read|related|see also|click here|subscribe|sign up|follow us|share this|share on|advertisement)\b.*$/gim,
  /\((?:MENAFN|AFP|Reuters|AP)\s*-\s*[^)]{1,80}\)/g,
  /^\s*by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*[,|-].{0,60})?$/gm,
  /^\s*(?:with inputs from|source:|credit:)\s.*$/gim,
  /^\s*(?:updated|published|posted|last updated)\b[^\n]{0,60}$/gim,
];

/** Character ranges removed as boilerplate, merged and sorted. */
export function boilerplateRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const re of BOILERPLATE) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      ranges.push([m.index, m.index + m[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

export function shingle(text: string, k: number): Shingles {
  const t = tokenize(text);
  const drop = boilerplateRanges(text);
  const keep = new Int32Array(t.count);
  let kept = 0;
  let ri = 0;
  for (let i = 0; i < t.count; i++) {
    const s = t.start[i]!;
    while (ri < drop.length && drop[ri]![1] <= s) ri++;
    if (ri < drop.length && drop[ri]![0] <= s) continue;
    keep[kept++] = i;
  }
  const tokenStart = new Int32Array(kept);
  const tokenEnd = new Int32Array(kept);
  const words = new Uint32Array(kept);
  for (let j = 0; j < kept; j++) {
    const i = keep[j]!;
    tokenStart[j] = t.start[i]!;
    tokenEnd[j] = t.end[i]!;
    words[j] = t.hash[i]!;
  }
  // texts shorter than k words make one shingle of what there is
  const n = kept >= k ? kept - k + 1 : kept > 0 ? 1 : 0;
  const hashes = new Uint32Array(n);
  const first = new Int32Array(n);
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
    first[i] = i;
  }
  return { hashes, first, tokenStart, tokenEnd, tokens: kept };
}

/** The distinct shingle hashes, sorted: the exact set for Jaccard and containment. */
export function shingleSet(s: Shingles): Uint32Array {
  const sorted = Uint32Array.from(s.hashes).sort();
  let w = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[w++] = sorted[i]!;
  return sorted.slice(0, w);
}

/** |A ∩ B| of two sorted distinct arrays, by merge. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

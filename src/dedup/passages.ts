import type { Passage } from '../domain/reuse.js';
import type { Shingles } from './shingle.js';

export type { Passage };

/**
 * Reused passages by seed-and-extend on shingle hashes (as passim does for text reuse):
 * every shingle shared by both texts is a seed on a diagonal (position in A minus position
 * in B); seeds that follow each other on nearly the same diagonal, with small gaps (edits),
 * extend into one passage. Passages map back to character offsets through the tokens.
 */
export interface PassageOptions {
  /** largest gap in tokens between seeds of one passage */
  readonly maxGap: number;
  /** largest diagonal drift (inserted or deleted words) inside one passage */
  readonly maxDrift: number;
  /** shortest passage reported, in words */
  readonly minWords: number;
}

export const DEFAULT_PASSAGE_OPTIONS: PassageOptions = { maxGap: 12, maxDrift: 4, minWords: 12 };

/**
 * Where each shingle hash occurs in one text (at most MAX_POSITIONS times: boilerplate
 * repeats), as an open-addressing table over typed arrays: no array per shingle. Built once
 * per text and kept beside it (a reprint's text is compared with many others).
 */
export interface PositionIndex {
  readonly keys: Uint32Array;
  /** first position of the key in the slot, or -1 for an empty slot */
  readonly head: Int32Array;
  /** the next position with the same hash, or -1 (ascending) */
  readonly next: Int32Array;
  readonly mask: number;
}

const MAX_POSITIONS = 8;
const indexes = new WeakMap<Shingles, PositionIndex>();

export function positionIndex(b: Shingles): PositionIndex {
  const known = indexes.get(b);
  if (known) return known;
  const n = b.hashes.length;
  let size = 16;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const head = new Int32Array(size).fill(-1);
  const count = new Uint8Array(size);
  const next = new Int32Array(n).fill(-1);
  // first occurrences first, so that the MAX_POSITIONS kept are the earliest, as before
  const tail = new Int32Array(size).fill(-1);
  for (let j = 0; j < n; j++) {
    const h = b.hashes[j]!;
    let s = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
    while (head[s] !== -1 && keys[s] !== h) s = (s + 1) & mask;
    if (head[s] === -1) {
      keys[s] = h;
      head[s] = j;
      tail[s] = j;
      count[s] = 1;
    } else if (count[s]! < MAX_POSITIONS) {
      next[tail[s]!] = j;
      tail[s] = j;
      count[s]!++;
    }
  }
  const index = { keys, head, next, mask };
  indexes.set(b, index);
  return index;
}

export function firstPosition(index: PositionIndex, h: number): number {
  let s = (Math.imul(h, 0x9e3779b1) >>> 0) & index.mask;
  while (index.head[s] !== -1) {
    if (index.keys[s] === h) return index.head[s]!;
    s = (s + 1) & index.mask;
  }
  return -1;
}

export function findPassages(a: Shingles, b: Shingles, k: number, options: PassageOptions = DEFAULT_PASSAGE_OPTIONS): Passage[] {
  // positions of each shingle in B; common boilerplate shingles occur a few times at most
  const inB = positionIndex(b);
  // seeds in A order; for each, the B position nearest the current run's diagonal
  type Run = { a0: number; a1: number; b0: number; b1: number; diag: number; seeds: number; covered: number; coveredTo: number };
  const runs: Run[] = [];
  const open: Run[] = [];
  for (let i = 0; i < a.hashes.length; i++) {
    const first = firstPosition(inB, a.hashes[i]!);
    // runs are closed only where A has a seed, as they always were: closing them elsewhere
    // would change the order of passages that start at the same place
    if (first === -1) continue;
    for (let j = first; j !== -1; j = inB.next[j]!) {
      const diag = i - j;
      let target: Run | undefined;
      for (const r of open) {
        if (i - r.a1 <= options.maxGap && Math.abs(diag - r.diag) <= options.maxDrift && j > r.b1 - options.maxDrift && (!target || Math.abs(diag - r.diag) < Math.abs(diag - target.diag))) target = r;
      }
      if (target) {
        // words of A covered by matched shingles (gaps inside a passage do not count)
        const from = Math.max(i, target.coveredTo);
        target.covered += i + k - from;
        target.coveredTo = i + k;
        target.a1 = i;
        target.b1 = Math.max(target.b1, j);
        target.b0 = Math.min(target.b0, j);
        target.diag = diag;
        target.seeds++;
      } else open.push({ a0: i, a1: i, b0: j, b1: j, diag, seeds: 1, covered: k, coveredTo: i + k });
    }
    // runs that can no longer be extended are closed (compacted in place: no array per seed)
    let kept = 0;
    for (const r of open) {
      if (i - r.a1 > options.maxGap) runs.push(r);
      else open[kept++] = r;
    }
    // (setting an array's length is not free in V8: only when something closed)
    if (kept !== open.length) open.length = kept;
  }
  runs.push(...open);
  const out: Passage[] = [];
  for (const r of runs) {
    const aFirst = a.first[r.a0]!;
    const aLast = Math.min(a.tokens - 1, a.first[r.a1]! + k - 1);
    const bFirst = b.first[r.b0]!;
    const bLast = Math.min(b.tokens - 1, b.first[r.b1]! + k - 1);
    const words = Math.min(r.covered, aLast - aFirst + 1);
    if (words < options.minWords) continue;
    out.push({ a: { start: a.tokenStart[aFirst]!, end: a.tokenEnd[aLast]! }, b: { start: b.tokenStart[bFirst]!, end: b.tokenEnd[bLast]! }, words });
  }
  out.sort((x, y) => x.a.start - y.a.start);
  return out;
}

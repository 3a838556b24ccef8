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

export function findPassages(a: Shingles, b: Shingles, k: number, options: PassageOptions = DEFAULT_PASSAGE_OPTIONS): Passage[] {
  // positions of each shingle in B; common boilerplate shingles occur a few times at most
  const inB = new Map<number, number[]>();
  for (let j = 0; j < b.hashes.length; j++) {
    const h = b.hashes[j]!;
    const l = inB.get(h);
    if (l) {
      if (l.length < 8) l.push(j);
    } else inB.set(h, [j]);
  }
  // seeds in A order; for each, the B position nearest the current run's diagonal
  type Run = { a0: number; a1: number; b0: number; b1: number; diag: number; seeds: number; covered: number; coveredTo: number };
  const runs: Run[] = [];
  let open: Run[] = [];
  for (let i = 0; i < a.hashes.length; i++) {
    const js = inB.get(a.hashes[i]!);
    if (!js) continue;
    for (const j of js) {
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
    // runs that can no longer be extended are closed
    const still: Run[] = [];
    for (const r of open) (i - r.a1 > options.maxGap ? runs : still).push(r);
    open = still;
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

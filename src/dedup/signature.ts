import { createError } from '../errors.js';
import { fmix32 } from './hash.js';

/**
 * One-permutation MinHash with optimal densification (Shrivastava, ICML 2017): each
 * shingle is hashed once and falls in one of K bins, keeping the minimum per bin; empty
 * bins borrow from a bin chosen by a seeded hash of (bin, attempt), which keeps the
 * estimator unbiased. K hashes per article instead of K per shingle.
 */
export interface DedupParams {
  /** words per shingle */
  readonly shingleSize: number;
  /** signature slots (bins) */
  readonly numPerm: number;
  readonly bands: number;
  readonly rows: number;
  readonly seed: number;
  /**
   * anchors for containment lookups are chosen by winnowing with this window (in shingles):
   * any passage of window + shingleSize - 1 words shared verbatim shares at least one anchor
   */
  readonly anchorWindow: number;
  /** format of signatures made with these parameters */
  readonly version: number;
}

export const SIGNATURE_VERSION = 1;

export type Signature = Uint32Array;

const EMPTY = 0xffffffff;

export function minhash(shingleHashes: Uint32Array, params: DedupParams): Signature {
  const k = params.numPerm;
  const sig = new Uint32Array(k).fill(EMPTY);
  const seed = params.seed >>> 0;
  for (let i = 0; i < shingleHashes.length; i++) {
    const h = fmix32(shingleHashes[i]! ^ seed);
    // bin from the high bits' product, value from a second mix (independent of the bin)
    const bin = Math.floor((h * k) / 4294967296);
    const v = fmix32(h + 0x6a09e667);
    if (v < sig[bin]!) sig[bin] = v;
  }
  densify(sig, seed);
  return sig;
}

function densify(sig: Uint32Array, seed: number): void {
  const k = sig.length;
  let filled = 0;
  for (let i = 0; i < k; i++) if (sig[i] !== EMPTY) filled++;
  if (filled === 0 || filled === k) return;
  const source = Uint32Array.from(sig);
  for (let i = 0; i < k; i++) {
    if (source[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b) ^ seed) % k;
      if (source[j] !== EMPTY) {
        sig[i] = source[j]!;
        break;
      }
    }
  }
}

/** Estimated Jaccard similarity: the share of equal slots. */
export function estimateJaccard(a: Signature, b: Signature): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Probability that a pair of Jaccard similarity s becomes a candidate in b bands of r rows. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/**
 * Bands and rows for a threshold, as datasketch chooses them: minimise the weighted sum of
 * the false-positive area below the threshold and the false-negative area above it.
 */
export function optimalBands(threshold: number, numPerm: number, fnWeight = 0.7): { bands: number; rows: number } {
  const integrate = (f: (x: number) => number, a: number, b: number): number => {
    const steps = 200;
    const h = (b - a) / steps;
    let s = 0;
    for (let i = 0; i < steps; i++) s += f(a + (i + 0.5) * h) * h;
    return s;
  };
  let best = { bands: 1, rows: numPerm, error: Infinity };
  for (let bands = 1; bands <= numPerm; bands++) {
    const rows = Math.floor(numPerm / bands);
    if (rows < 1) break;
    const fp = integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
    const fn = integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
    const error = (1 - fnWeight) * fp + fnWeight * fn;
    if (error < best.error) best = { bands, rows, error };
  }
  return { bands: best.bands, rows: best.rows };
}

export function makeParams(options: { threshold?: number; shingleSize?: number; numPerm?: number; seed?: number; anchorWindow?: number } = {}): DedupParams {
  // 64 slots in 12 bands of 5: a pair of Jaccard 0.8 becomes a candidate with probability
  // 0.99, and near-duplicates also share anchors; small enough for ~1 KB of index per article
  const numPerm = options.numPerm ?? 64;
  const threshold = options.threshold ?? 0.6;
  if (!(threshold > 0 && threshold < 1)) throw createError('INVALID_FIELD', `dedup: threshold must be between 0 and 1, found ${threshold}`, { subject: 'threshold' });
  const { bands, rows } = optimalBands(threshold, numPerm, 0.7);
  const shingleSize = options.shingleSize ?? 5;
  // window chosen so that a 50-word verbatim passage always shares an anchor
  const anchorWindow = options.anchorWindow ?? 51 - shingleSize;
  if (!(Number.isInteger(anchorWindow) && anchorWindow >= 1)) {
    throw createError('INVALID_FIELD', `dedup: anchorWindow must be a whole number of shingles, at least 1, found ${anchorWindow}`, { subject: 'anchorWindow' });
  }
  return { shingleSize, numPerm, bands, rows, seed: options.seed ?? 1, anchorWindow, version: SIGNATURE_VERSION };
}

export function paramsKey(p: DedupParams): string {
  return `v${p.version}:k${p.shingleSize}:n${p.numPerm}:b${p.bands}x${p.rows}:s${p.seed}:w${p.anchorWindow}`;
}

/** Refuses to compare signatures made with other parameters. */
export function assertSameParams(a: string, b: string, subject: string): void {
  if (a !== b) throw createError('PARAMS_MISMATCH', `dedup: ${subject} was signed with parameters ${a}, this index uses ${b}; re-index instead of comparing`, { subject });
}

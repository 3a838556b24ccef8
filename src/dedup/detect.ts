import type { Passage, ReuseClass, ReuseLink } from '../domain/reuse.js';
import { findPassages, firstPosition, positionIndex } from './passages.js';
import { intersectionSize, shingle, shingleSet, type Shingles } from './shingle.js';
import { estimateJaccard, minhash, type DedupParams, type Signature } from './signature.js';

/**
 * Verification and classification of one candidate pair: exact Jaccard and containment on
 * the sorted shingle sets, reused passages, a class, and which article is likely the
 * original, with the reason.
 */
export type { ReuseClass, ReuseLink };

export interface DedupDoc {
  readonly id: string;
  readonly text: string;
  /** ISO date, when known */
  readonly published: string | null;
  /**
   * False when `published` is certainly null, told more cheaply than reading it (a lean
   * article's date is read from its text by chrono): a pair's dates decide only when both
   * have one, so then neither is read.
   */
  readonly dated?: boolean;
  /** wire agencies credited */
  readonly credits: readonly string[];
  /** arrival order (ingest sequence), the last tie-breaker */
  readonly order: number;
}

export interface Fingerprint {
  readonly doc: DedupDoc;
  readonly shingles: Shingles;
  readonly set: Uint32Array;
  readonly sig: Signature;
}

export interface ClassifyOptions {
  /** Jaccard at or above which a pair is a near-duplicate */
  readonly nearDuplicate: number;
  /** containment of the smaller text at or above which it is wholly inside the other */
  readonly contains: number;
  /** words of reused passage that make partial reuse */
  readonly partialWords: number;
}

export const DEFAULT_CLASSIFY: ClassifyOptions = { nearDuplicate: 0.8, contains: 0.9, partialWords: 50 };

/** A text's sorted shingle set and how many shingles it has, repeats counted. */
export interface ShingleSketch {
  readonly set: Uint32Array;
  /** shingles in text order, repeats counted (>= set.length) */
  readonly count: number;
  /** words (kept tokens) */
  readonly tokens: number;
}

/**
 * The share of a text's words that lie inside a shingle the other text has. A copy whose
 * paragraphs were shuffled, dropped or interleaved with another text's loses the shingles
 * that cross a paragraph boundary (four per boundary: with news paragraphs of one or two
 * sentences, a fifth of them), but keeps every word of every paragraph of five words or more:
 * its shingle containment fell under 0.8 where its word coverage stays above 0.95.
 */
export function wordCoverage(a: Shingles, other: Shingles, k: number): number {
  if (a.tokens === 0) return 0;
  // the other text's shingle table, which finding passages builds (and keeps) anyway
  const index = positionIndex(other);
  let covered = 0;
  let to = 0;
  for (let i = 0; i < a.hashes.length; i++) {
    if (firstPosition(index, a.hashes[i]!) === -1) continue;
    const end = Math.min(i + k, a.tokens);
    if (end > to) {
      covered += end - Math.max(i, to);
      to = end;
    }
  }
  return covered / a.tokens;
}

/**
 * Whether two texts with `inter` shared distinct shingles can be related at all, by bounds
 * that hold for every class comparePair gives: exact, near-duplicate and contains need one
 * text at least min(nearDuplicate, contains) inside the other; a passage gains at most
 * shingleSize words per position of A whose shingle B has, and those positions number at
 * most inter plus A's repeated shingles. False means comparePair returns null, and finding
 * passages (the expensive part) is skipped: most candidates met through a shared anchor (a
 * stock phrase, a name) share a handful of shingles and fail here.
 */
export function mayRelate(inter: number, a: ShingleSketch, b: ShingleSketch, params: DedupParams, options: ClassifyOptions = DEFAULT_CLASSIFY): boolean {
  if (inter === 0 || a.set.length === 0 || b.set.length === 0) return false;
  const least = Math.min(options.nearDuplicate, options.contains);
  if (Math.max(inter / a.set.length, inter / b.set.length) >= least) return true;
  // a text's covered words (wordCoverage) number at most shingleSize per position of it
  // whose shingle the other has, and those positions at most inter plus its repeats
  const repeats = Math.max(a.count - a.set.length, b.count - b.set.length);
  const reach = params.shingleSize * (inter + repeats);
  return reach >= options.partialWords || reach >= least * Math.min(a.tokens, b.tokens);
}

export function fingerprint(doc: DedupDoc, params: DedupParams): Fingerprint {
  const shingles = shingle(doc.text, params.shingleSize);
  return { doc, shingles, set: shingleSet(shingles), sig: minhash(shingles.hashes, params) };
}

function original(a: Fingerprint, b: Fingerprint, cls: ReuseClass, coverA: number, coverB: number, passages: readonly Passage[]): { original: string | null; reason: string | null } {
  const both = a.doc.dated !== false && b.doc.dated !== false;
  const da = both && a.doc.published ? Date.parse(a.doc.published) : Number.NaN;
  const db = both && b.doc.published ? Date.parse(b.doc.published) : Number.NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) {
    return da < db ? { original: a.doc.id, reason: 'published earlier' } : { original: b.doc.id, reason: 'published earlier' };
  }
  if (cls === 'contains') {
    // a wire story pasted into a longer piece is the original; a copy cut short is not:
    // when the shorter text is the beginning of the longer one, the longer came first
    const [inner, outer] = coverA >= coverB ? [a, b] : [b, a];
    const firstReused = passages.length > 0 ? Math.min(...passages.map((p) => (inner === a ? p.b.start : p.a.start))) : 0;
    const prefix = firstReused <= outer.doc.text.length * 0.05;
    return prefix && outer.doc.text.length > inner.doc.text.length
      ? { original: outer.doc.id, reason: 'the other is a shortened copy of it' }
      : { original: inner.doc.id, reason: 'wholly contained in the other' };
  }
  const ca = a.doc.credits.length > 0;
  const cb = b.doc.credits.length > 0;
  if (ca !== cb)
    return ca ? { original: a.doc.id, reason: `carries the wire credit (${a.doc.credits.join(', ')})` } : { original: b.doc.id, reason: `carries the wire credit (${b.doc.credits.join(', ')})` };
  if (a.doc.order !== b.doc.order) return a.doc.order < b.doc.order ? { original: a.doc.id, reason: 'received first' } : { original: b.doc.id, reason: 'received first' };
  return { original: null, reason: null };
}

/**
 * An upper bound on how many shingles one set shares with others, by a bitmap of its hashes
 * (2^18 bits, 32 KB; a set of 600 shingles sets 0.2 % of them): one probe per shingle of the
 * other set, without the branches of a merge. A verification compares one new text with its
 * candidates, and most candidates met through a shared anchor share a handful of shingles:
 * the bound then already tells they cannot relate (mayRelate), and the exact count, three
 * quarters of verification's time on 21,000 articles, is skipped. Reused for each new text.
 */
export class SharedBound {
  private readonly bits = new Int32Array(1 << 13);
  private loaded: Uint32Array | null = null;

  /** Makes `set` the one the bounds are for. */
  load(set: Uint32Array): void {
    if (this.loaded === set) return;
    const bits = this.bits;
    if (this.loaded) for (let i = 0; i < this.loaded.length; i++) bits[(this.loaded[i]! >>> 5) & 0x1fff] = 0;
    for (let i = 0; i < set.length; i++) {
      const h = set[i]!;
      bits[(h >>> 5) & 0x1fff]! |= 1 << (h & 31);
    }
    this.loaded = set;
  }

  /** At least |loaded ∩ other|: the other's hashes whose bit the loaded set has set. */
  bound(other: Uint32Array): number {
    const bits = this.bits;
    let n = 0;
    for (let i = 0; i < other.length; i++) {
      const h = other[i]!;
      n += (bits[(h >>> 5) & 0x1fff]! >>> (h & 31)) & 1;
    }
    return n;
  }
}

/**
 * Verifies a candidate pair; null when they are not related enough to report. `shared`, when
 * given, bounds from above how many distinct shingles the two share (SharedBound): a pair that
 * could not relate even then is refused without counting them exactly (the same answer).
 */
export function comparePair(p: Fingerprint, q: Fingerprint, params: DedupParams, options: ClassifyOptions = DEFAULT_CLASSIFY, shared?: number): ReuseLink | null {
  // always the same orientation (lower id first), so the result does not depend on which
  // of the two arrived first
  const [a, b] = p.doc.id <= q.doc.id ? [p, q] : [q, p];
  // fewer words than one shingle: too short to call anything a copy
  if (a.set.length === 0 || b.set.length === 0 || a.shingles.tokens < params.shingleSize || b.shingles.tokens < params.shingleSize) return null;
  const sa = { set: a.set, count: a.shingles.hashes.length, tokens: a.shingles.tokens };
  const sb = { set: b.set, count: b.shingles.hashes.length, tokens: b.shingles.tokens };
  // mayRelate only grows with the count: false at a bound is false at the count
  if (shared !== undefined && !mayRelate(Math.min(shared, a.set.length, b.set.length), sa, sb, params, options)) return null;
  const inter = intersectionSize(a.set, b.set);
  if (!mayRelate(inter, sa, sb, params, options)) return null;
  const union = a.set.length + b.set.length - inter;
  const jaccard = inter / union;
  const aInB = inter / a.set.length;
  const bInA = inter / b.set.length;
  let cls: ReuseClass | null = null;
  const passages = findPassages(a.shingles, b.shingles, params.shingleSize);
  // by words as well as by shingles (see wordCoverage: paragraphs moved), counted only where
  // the shingles leave it open and the bound of mayRelate lets it reach a threshold
  const least = Math.min(options.nearDuplicate, options.contains);
  const k = params.shingleSize;
  const cover = (x: Fingerprint, y: Fingerprint): number => {
    const bound = (k * (inter + x.shingles.hashes.length - x.set.length)) / Math.max(1, x.shingles.tokens);
    return bound >= least ? wordCoverage(x.shingles, y.shingles, k) : bound;
  };
  const exact = inter === a.set.length && inter === b.set.length && a.shingles.tokens === b.shingles.tokens;
  const byShingles = exact || jaccard >= options.nearDuplicate || Math.min(aInB, bInA) >= options.nearDuplicate;
  const coverA = byShingles ? aInB : cover(a, b);
  const coverB = byShingles ? bInA : cover(b, a);
  if (exact) cls = 'exact';
  // nearly all of each in the other (paragraphs reordered, a line added) is a near-duplicate too
  else if (byShingles || Math.min(coverA, coverB) >= options.nearDuplicate) cls = 'near-duplicate';
  else if (Math.max(aInB, bInA) >= options.contains || Math.max(coverA, coverB) >= options.contains) cls = 'contains';
  else if (passages.some((p) => p.words >= options.partialWords)) cls = 'partial-reuse';
  if (!cls) return null;
  return {
    a: a.doc.id,
    b: b.doc.id,
    class: cls,
    estimatedJaccard: estimateJaccard(a.sig, b.sig),
    jaccard,
    containment: { aInB, bInA },
    passages,
    ...original(a, b, cls, coverA, coverB, passages),
  };
}

import { intersectionSize } from '../util/sorted.js';
import { KIND_ENTITY, KIND_NUMBER, type SentenceVector } from './vectorize.js';

/**
 * The pair scorer: how far two sentences express the same content. Used for sentence
 * alignment, quote matching and `parallax similarity`, so all three agree.
 *
 * Features (each in [0, 1]):
 * - coverage of each side by the other: IDF-weighted share of its concepts found in the
 *   other sentence, exact (same lemma, synonym group or phrase) or soft (one stem a prefix
 *   of the other: Israel/Israeli, Egypt/Egyptian) at SOFT_MATCH credit;
 * - bigram agreement (word order and multi-word units);
 * - numbers present on both sides that disagree (a different figure is a different fact);
 * - negation on one side only;
 * - names (capitalised words) of one side missing from the other;
 * - weighted length ratio.
 * A logistic model combines them; its weights are fitted on a hand-labelled set of
 * sentence pairs (see docs/DESIGN.md) and the result is a probability-like score with
 * `same` at 0.5.
 */

export const SOFT_MATCH = 0.75;

export interface PairFeatures {
  /** share of a's weight found in b */
  readonly coverA: number;
  readonly coverB: number;
  readonly bigram: number;
  readonly numberConflict: number;
  /** 1 when each side has a number the other lacks ("5%" / "50%"): a different figure */
  readonly figureClash: number;
  readonly negationMismatch: number;
  readonly entityMissing: number;
  readonly lengthRatio: number;
}

export interface ScoreModel {
  readonly version: number;
  readonly bias: number;
  readonly coverMin: number;
  readonly coverMax: number;
  readonly bigram: number;
  readonly numberConflict: number;
  readonly negationMismatch: number;
  readonly entityMissing: number;
  readonly lengthRatio: number;
  /** score at or above which two sentences say the same thing */
  readonly sameThreshold: number;
}

/** Fitted by bench/compare-fit.ts on the development topics of test/fixtures/compare/paraphrase-labelled.jsonl (see docs/DESIGN.md). */
export const DEFAULT_MODEL: ScoreModel = {
  version: 2,
  bias: -3.9,
  coverMin: 3.23,
  coverMax: 1.99,
  bigram: 0.77,
  numberConflict: -0.82,
  negationMismatch: -1.82,
  entityMissing: -0.44,
  lengthRatio: 1.85,
  sameThreshold: 0.5,
};

function prefixMatch(a: string, b: string): boolean {
  const short = a.length <= b.length ? a : b;
  const long = a.length <= b.length ? b : a;
  return short.length >= 4 && long.startsWith(short) && short.charCodeAt(0) !== 35;
}

// Scratch buffers reused across calls: scoring runs in hot loops and must not allocate
// per call beyond what soft matching needs.
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

export function pairFeatures(a: SentenceVector, b: SentenceVector): PairFeatures {
  const na = a.concepts.length;
  const nb = b.concepts.length;
  if (na === 0 || nb === 0) {
    return { coverA: 0, coverB: 0, bigram: 0, numberConflict: 0, figureClash: 0, negationMismatch: 0, entityMissing: 0, lengthRatio: 0 };
  }
  if (matchedA.length < na) matchedA = new Uint8Array(na * 2);
  if (matchedB.length < nb) matchedB = new Uint8Array(nb * 2);
  matchedA.fill(0, 0, na);
  matchedB.fill(0, 0, nb);
  let sharedA = 0;
  let sharedB = 0;
  let i = 0;
  let j = 0;
  while (i < na && j < nb) {
    const x = a.concepts[i]!;
    const y = b.concepts[j]!;
    if (x === y) {
      sharedA += a.weights[i]!;
      sharedB += b.weights[j]!;
      matchedA[i] = 1;
      matchedB[j] = 1;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  // soft matches between the leftovers (derivations the stemmer keeps apart)
  for (let p = 0; p < na; p++) {
    const pa = a.prefix4[p]!;
    if (matchedA[p] || pa === 0) continue;
    for (let q = 0; q < nb; q++) {
      // integer pre-filter: strings are compared only when the first four letters agree
      if (matchedB[q] === 1 || b.prefix4[q] !== pa) continue;
      if (prefixMatch(a.names[p]!, b.names[q]!)) {
        sharedA += SOFT_MATCH * a.weights[p]!;
        sharedB += SOFT_MATCH * b.weights[q]!;
        matchedA[p] = 2;
        matchedB[q] = 2;
        break;
      }
    }
  }
  // numbers on both sides that find no equal on the other
  let numA = 0;
  let numB = 0;
  let lonelyA = 0;
  let lonelyB = 0;
  let entW = 0;
  let entMissW = 0;
  for (let p = 0; p < na; p++) {
    if (a.kinds[p] === KIND_NUMBER) {
      numA++;
      if (!matchedA[p]) lonelyA++;
    } else if (a.kinds[p] === KIND_ENTITY) {
      entW += a.weights[p]!;
      if (!matchedA[p]) entMissW += a.weights[p]!;
    }
  }
  let entWB = 0;
  let entMissWB = 0;
  for (let q = 0; q < nb; q++) {
    if (b.kinds[q] === KIND_NUMBER) {
      numB++;
      if (!matchedB[q]) lonelyB++;
    } else if (b.kinds[q] === KIND_ENTITY) {
      entWB += b.weights[q]!;
      if (!matchedB[q]) entMissWB += b.weights[q]!;
    }
  }
  const numberConflict = numA > 0 && numB > 0 ? (lonelyA + lonelyB) / (numA + numB) : 0;
  const entityMissing = Math.max(entW > 0 ? entMissW / (a.total + 1e-9) : 0, entWB > 0 ? entMissWB / (b.total + 1e-9) : 0);

  const ba = a.bigrams;
  const bb = b.bigrams;
  const bigramShared = intersectionSize(ba, bb);
  const bigram = ba.length + bb.length > 0 ? (2 * bigramShared) / (ba.length + bb.length) : 0;
  return {
    coverA: Math.min(1, sharedA / a.total),
    coverB: Math.min(1, sharedB / b.total),
    bigram,
    numberConflict,
    figureClash: lonelyA > 0 && lonelyB > 0 ? 1 : 0,
    negationMismatch: a.negations % 2 !== b.negations % 2 ? 1 : 0,
    entityMissing,
    lengthRatio: Math.min(a.total, b.total) / Math.max(a.total, b.total),
  };
}

/** Logit of the model for the given features. */
export function logit(f: PairFeatures, m: ScoreModel = DEFAULT_MODEL): number {
  return (
    m.bias +
    m.coverMin * Math.min(f.coverA, f.coverB) +
    m.coverMax * Math.max(f.coverA, f.coverB) +
    m.bigram * f.bigram +
    m.numberConflict * f.numberConflict +
    m.negationMismatch * f.negationMismatch +
    m.entityMissing * f.entityMissing +
    m.lengthRatio * f.lengthRatio
  );
}

export function scoreFeatures(f: PairFeatures, m: ScoreModel = DEFAULT_MODEL): number {
  if (f.coverA === 0 && f.coverB === 0) return 0;
  return 1 / (1 + Math.exp(-logit(f, m)));
}

/**
 * The verdict "these say the same thing": a score at the threshold, and neither a different
 * figure on each side nor a negation on one side only. The score alone weighs those two
 * softly, which suits alignment (sentences that differ in a figure are aligned, and the
 * difference is reported as a conflict) but not a yes/no answer: "prices rose 5%" and
 * "prices rose 50%" are not the same content.
 */
export function sameContent(f: PairFeatures, score: number, m: ScoreModel = DEFAULT_MODEL): boolean {
  return score >= m.sameThreshold && f.figureClash === 0 && f.negationMismatch === 0;
}

/** Similarity in [0, 1] of two sentence vectors; `>= model.sameThreshold` means same content. */
export function scorePair(a: SentenceVector, b: SentenceVector, m: ScoreModel = DEFAULT_MODEL): number {
  return scoreFeatures(pairFeatures(a, b), m);
}

/** Feature vector as an array, in the order of `MODEL_FEATURES`, for fitting. */
export const MODEL_FEATURES = ['coverMin', 'coverMax', 'bigram', 'numberConflict', 'negationMismatch', 'entityMissing', 'lengthRatio'] as const;
export function featureArray(f: PairFeatures): number[] {
  return [Math.min(f.coverA, f.coverB), Math.max(f.coverA, f.coverB), f.bigram, f.numberConflict, f.negationMismatch, f.entityMissing, f.lengthRatio];
}

import type { PairFeatures, ScoreModel } from './score.js';
import type { SentenceVector } from './vectorize.js';

/** The types of sentence alignment (align.ts), shared by its steps. */

export interface SentenceRef {
  /** index of the document in the input */
  readonly article: number;
  readonly index: number;
}

export type Relation = 'identical' | 'paraphrase' | 'partial';

export interface Fact {
  /** ordered by article, then index */
  readonly sentences: readonly SentenceRef[];
  readonly relation: Relation;
  /** mean score of the pairs that formed the fact */
  readonly score: number;
  /** number of distinct articles */
  readonly articles: number;
}

export interface AlignedPair {
  readonly a: SentenceRef;
  readonly b: SentenceRef;
  readonly score: number;
  readonly features: PairFeatures;
}

export interface Alignment {
  readonly facts: readonly Fact[];
  /** for each document, indexes of its sentences in no fact */
  readonly unique: readonly (readonly number[])[];
  /** pairs accepted into facts */
  readonly pairs: readonly AlignedPair[];
  /** candidate pairs scored (for benchmarks) */
  readonly scored: number;
}

export interface AlignDocument {
  readonly vectors: readonly SentenceVector[];
  /** sentence texts, to tell identical sentences from paraphrases (optional) */
  readonly texts?: readonly string[];
  /** documents of different languages are not aligned with each other */
  readonly language?: string;
}

export interface AlignOptions {
  readonly model?: ScoreModel;
  /** lowest score of a partial pair */
  readonly partialThreshold?: number;
  /** a partial pair needs one side covered at least this much by the other */
  readonly partialCover?: number;
  /** bonus for a pair in step with a neighbouring paraphrase pair */
  readonly monotoneBonus?: number;
  /** share of a sentence's weight it must share with another to be scored (prefix filter) */
  readonly minSharedWeight?: number;
  readonly maxCandidates?: number;
  /** concepts on more postings than this are too common to make candidates */
  readonly maxPostings?: number;
  /** score every cross-article pair instead of index candidates (the naive reference for tests) */
  readonly exhaustive?: boolean;
}

export const DEFAULT_ALIGN_OPTIONS: Required<Omit<AlignOptions, 'model'>> = {
  exhaustive: false,
  partialThreshold: 0.3,
  partialCover: 0.5,
  monotoneBonus: 0.08,
  minSharedWeight: 0.18,
  maxCandidates: 48,
  maxPostings: 20_000,
};

/** The options with their defaults filled in. */
export type ResolvedAlignOptions = typeof DEFAULT_ALIGN_OPTIONS;

/**
 * The sentences of all documents under global ids 0..total-1, document after document:
 * the id's document, its index there and its vector.
 */
export interface Sentences {
  readonly total: number;
  readonly docOf: Int32Array;
  readonly idxOf: Int32Array;
  readonly vecs: readonly SentenceVector[];
  /** whether two documents may be aligned (same language, or one of them unknown) */
  readonly comparable: (a: number, b: number) => boolean;
}

/** A scored candidate pair of sentences g < h (global ids). */
export interface Edge {
  g: number;
  h: number;
  score: number;
  f: PairFeatures;
  paraphrase: boolean;
}

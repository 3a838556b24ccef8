import { normaliseText } from '../text/index.js';
import type { IdfTable } from './idf.js';
import { DEFAULT_MODEL, type ScoreModel, scorePair } from './score.js';
import { vectorizeText } from './vectorize.js';

export interface SimilarityResult {
  /** in [0, 1] */
  readonly score: number;
  /** the two texts express the same content */
  readonly same: boolean;
}

/** Scores two raw texts with the alignment's pair scorer (each text read as one sentence). */
export function similarity(a: string, b: string, options: { idf?: IdfTable; model?: ScoreModel } = {}): SimilarityResult {
  const model = options.model ?? DEFAULT_MODEL;
  const v = { ...(options.idf ? { idf: options.idf } : {}) };
  const score = scorePair(vectorizeText(normaliseText(a), v), vectorizeText(normaliseText(b), v), model);
  return { score, same: score >= model.sameThreshold };
}

import { normaliseText } from '../text/index.js';
import { textKey } from './align.js';
import type { IdfTable } from './idf.js';
import { DEFAULT_MODEL, type ScoreModel, pairFeatures, sameContent, scoreFeatures } from './score.js';
import { vectorizeText } from './vectorize.js';

export interface SimilarityResult {
  /** in [0, 1] */
  readonly score: number;
  /** the two texts express the same content */
  readonly same: boolean;
}

/**
 * Scores two raw texts with the alignment's pair scorer (each text read as one sentence).
 * Texts equal but for case, punctuation and spacing score 1 (the scorer only sees content
 * words, so "the same" against itself would otherwise score 0). `same` is `sameContent`:
 * the score at the threshold, and no different figure or one-sided negation.
 */
export function similarity(a: string, b: string, options: { idf?: IdfTable; model?: ScoreModel } = {}): SimilarityResult {
  const model = options.model ?? DEFAULT_MODEL;
  const na = normaliseText(a);
  const nb = normaliseText(b);
  const ka = textKey(na);
  if (ka !== '' && ka === textKey(nb)) return { score: 1, same: true };
  const v = { ...(options.idf ? { idf: options.idf } : {}) };
  const f = pairFeatures(vectorizeText(na, v), vectorizeText(nb, v));
  const score = scoreFeatures(f, model);
  return { score, same: sameContent(f, score, model) };
}

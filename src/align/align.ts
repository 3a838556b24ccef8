import { acceptPairs, scorePairs } from './scoring.js';
import { candidatePairs, flatten } from './candidates.js';
import { mergeFacts } from './merging.js';
import { DEFAULT_MODEL } from './score.js';
import { type AlignDocument, type Alignment, type AlignOptions, DEFAULT_ALIGN_OPTIONS } from './types.js';

export { textKey } from './merging.js';
export { DEFAULT_ALIGN_OPTIONS } from './types.js';
export type { AlignDocument, AlignedPair, Alignment, AlignOptions, Fact, Relation, SentenceRef } from './types.js';

/**
 * Sentence alignment across the articles of one story, in three steps:
 *
 * 1. candidates.ts: the pairs worth scoring, from an inverted index of concepts (not all
 *    pairs), so the work grows with the number of sentences, not its square.
 * 2. scoring.ts: each candidate gets the pair score (the same as `parallax similarity`);
 *    paraphrases and partial pairs are accepted, with a bonus for pairs in step with a
 *    neighbouring paraphrase pair.
 * 3. merging.ts: accepted pairs are merged into facts best first, at most one sentence per
 *    article (except a long sentence split across two of another article).
 */
export function alignSentences(docs: readonly AlignDocument[], options: AlignOptions = {}): Alignment {
  const o = { ...DEFAULT_ALIGN_OPTIONS, ...options };
  const model = options.model ?? DEFAULT_MODEL;
  const sentences = flatten(docs);
  const candidates = candidatePairs(sentences, o);
  const scored = scorePairs(sentences, candidates, o, model);
  const accepted = acceptPairs(sentences, scored, o, model);
  const { facts, unique, pairs } = mergeFacts(docs, sentences, accepted, scored, o);
  return { facts, unique, pairs, scored: candidates.length };
}

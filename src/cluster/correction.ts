import type { ArticleId, StoryId } from '../domain/ids.js';

/**
 * An analyst's correction to the stories. `merge`: story `story` joins `into`. `split`: the
 * articles leave `story` for a new story. `move`: one article goes to story `to`, or with null
 * to a new story of its own.
 */
export type Correction =
  | { readonly kind: 'merge'; readonly story: StoryId; readonly into: StoryId }
  | { readonly kind: 'split'; readonly story: StoryId; readonly articles: readonly ArticleId[] }
  | { readonly kind: 'move'; readonly article: ArticleId; readonly to: StoryId | null };

export interface CorrectionResult {
  readonly kind: Correction['kind'];
  /** the story the articles are in now (for a merge, `into`) */
  readonly story: StoryId;
  /** the stories the correction changed, the one above first */
  readonly changed: readonly StoryId[];
  /** the articles that changed story */
  readonly articles: readonly ArticleId[];
}

/** A correction as logged (stage state `cluster.corrections`): what was asked, when, and what it did. */
export interface LoggedCorrection {
  readonly seq: number;
  readonly at: string;
  readonly correction: Correction;
  readonly result: CorrectionResult;
}

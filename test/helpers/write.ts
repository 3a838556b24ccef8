import type { Article } from '../../src/domain/article.js';
import type { ArticleId } from '../../src/domain/ids.js';
import type { ReuseLink } from '../../src/domain/reuse.js';
import type { PutOutcome, StageState, Store, StoredSignature, StoryMembership, StoryMerge, StoryUpsert } from '../../src/store/store.js';

/** Everything a test writes at once: the articles and each repository's part. */
export interface TestBatch {
  readonly articles: readonly Article[];
  readonly states?: readonly StageState[];
  readonly stories?: readonly StoryUpsert[];
  readonly memberships?: readonly StoryMembership[];
  readonly storyMerges?: readonly StoryMerge[];
  readonly signatures?: readonly StoredSignature[];
  readonly reuseLinks?: readonly ReuseLink[];
  readonly relinked?: readonly ArticleId[];
}

/** Writes a batch in one transaction of the store, as the engine does. */
export function write(store: Store, batch: TestBatch): Promise<PutOutcome[]> {
  return store.transaction(async (tx) => {
    const outcomes = await store.put(tx, batch.articles);
    await store.stories.write(tx, { stories: batch.stories ?? [], memberships: batch.memberships ?? [], storyMerges: batch.storyMerges ?? [] });
    await store.reuse.write(tx, { signatures: batch.signatures ?? [], reuseLinks: batch.reuseLinks ?? [], relinked: batch.relinked ?? [] });
    await store.states.write(tx, batch.states ?? []);
    return outcomes;
  });
}

import type { ArticleStore } from './articles.js';
import type { ReuseRepository } from './reuse.js';
import type { SourceRepository } from './sources.js';
import type { StateRepository } from './states.js';
import type { StoryRepository } from './stories.js';
import type { UnitOfWork } from './unit-of-work.js';

export type { UnitOfWork } from './unit-of-work.js';
export type { ArticleStore, PutStatus, PutOutcome, IdentityMatch, ArticleSummary, ArticleQuery, SearchHit } from './articles.js';

/**
 * A store: the article store, and beside it the repositories each stage owns (reprint links,
 * stories, stage state, sources), all in one database and written through one transaction
 * handle. Each repository has its own schema migrations (src/store/tracks.ts).
 */
export interface Store extends ArticleStore {
  /** `sqlite`, `postgres`, `memory` */
  readonly kind: string;
  readonly stories: StoryRepository;
  readonly reuse: ReuseRepository;
  readonly states: StateRepository;
  readonly sources: SourceRepository;
  /**
   * Runs `fn` in one transaction: what the article store and the repositories write through
   * `tx` is committed together when `fn` resolves, and none of it if `fn` throws. Inside
   * `exclusive` it nests (a savepoint: a failed `fn` leaves the caller's earlier writes);
   * outside, it takes the write lock for its own duration and does not count as another
   * writer's commit for this object.
   */
  transaction<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` as the store's only writer: other writers (other processes, or other Store
   * objects on the same store) wait until it settles, and `fn` does its reads and writes
   * through this object meanwhile. Calls on one object run one after another. `othersWrote`
   * tells whether another writer committed since this object last held the lock (true the
   * first time): a writer with in-memory state derived from the store (the stages) must
   * catch up before it writes, or two writers would each cluster as if the other did not
   * exist. If `fn` throws, what it wrote is rolled back. Waiting longer than the store's
   * lock timeout is DB_LOCKED. A writer is a Store object: two engines must not share one.
   * (PostgreSQL: an advisory lock and a commit counter.)
   */
  exclusive<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T>;
  /**
   * A token that changes whenever anything is committed, by this process or another one
   * sharing the store: readers use it to know when cached answers are stale.
   */
  changeToken(): Promise<string>;
  close(): Promise<void>;
}

export type { StageState, StateRepository } from './states.js';
export type { StoredSignature, ReuseChanges, ReuseRepository } from './reuse.js';
export type { StorySummary, StoryQuery, StoryUpsert, StoryMembership, StoryMerge, StoryChanges, StoryRepository } from './stories.js';
export type { SourceRepository } from './sources.js';

import type { Article } from '../domain/article.js';
import type { PutStatus, StageState, Store } from '../store/store.js';
import type { StoryChanges } from '../store/stories.js';
import type { ReuseChanges } from '../store/reuse.js';

import type { StoryId } from '../domain/ids.js';
import type { DedupParams } from '../dedup/signature.js';
import type { Analysis } from './prepare.js';

/** An event a stage announces; the engine emits it once the batch is committed. */
export type StageEvent = { readonly type: 'story.created' | 'story.changed'; readonly id: StoryId };

type Appendable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/**
 * A batch being assembled: the articles, and what the stages append for their repositories
 * (the stories', the reuse links', stage states); the engine writes each part to its
 * repository in one transaction.
 */
export type PendingBatch = { articles: Article[]; states: StageState[]; events: StageEvent[] } & Appendable<StoryChanges> & Appendable<ReuseChanges>;

export interface ChangedArticle {
  readonly article: Article;
  readonly status: Exclude<PutStatus, 'unchanged'>;
  /** analyses of its text made where it was built (see Stage.wants), when they were */
  readonly analysis?: Analysis;
}

/**
 * A processing stage after storage (dedup, clustering). Its algorithm is pure; the stage
 * adapts it: `open` loads its persisted state from the store once, `apply` updates the
 * in-memory state for the new or changed articles of a batch and adds what must be
 * written to the batch, so the articles and the stage's results commit in one
 * transaction. If the commit fails, the engine calls `open` again to drop the
 * uncommitted in-memory changes.
 */
export interface Stage {
  readonly name: string;
  /**
   * What the stage reads of an article's text, which the engine computes where it builds the
   * article (in worker threads, if asked) and hands over in ChangedArticle.analysis:
   * clustering features, a reprint sketch made with these parameters. `article: 'lean'`: the
   * stage reads only an article's id, text, dates and credits, so a pipeline of such stages
   * over a store that is not kept may build lean articles (ingest/lean.ts).
   */
  readonly wants?: { readonly features?: boolean; readonly print?: DedupParams; readonly article?: 'lean' | 'whole' };
  open(store: Store): Promise<void>;
  /**
   * Called each time the engine takes the store's write lock, after the first (which opens):
   * when `othersWrote` (Store.exclusive), brings the in-memory state up to date with what
   * another writer committed since this engine last held the lock, so that it is what it
   * would be had this process stored those articles itself. Without it, the engine calls
   * `open` again when others wrote.
   */
  catchUp?(store: Store, othersWrote: boolean): Promise<void>;
  /** May read from the store (e.g. candidate texts); must not write to it. */
  apply(changed: readonly ChangedArticle[], batch: PendingBatch): void | Promise<void>;
  /**
   * Adds what the stage deferred (a state it saves only now and then) to a batch without
   * articles, written when the engine closes. A stage that defers must still be whole after
   * a crash: `open` rebuilds what was not saved from what the store holds.
   */
  checkpoint?(batch: PendingBatch): void;
}

/**
 * What runs a stage outside a batch of articles (the Engine): `withStage` calls `fn` with the
 * stage named `name`, up to date, as the store's only writer, and commits what it adds to the
 * batch. A correction from an analyst goes through it.
 */
export interface StageRunner {
  readonly store: Store;
  withStage<T>(name: string, fn: (stage: Stage, batch: PendingBatch) => Promise<T>): Promise<T>;
}

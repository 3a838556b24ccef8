import type { Article, ArticleVersion } from '../domain/article.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import type { ReuseLink } from '../domain/reuse.js';

/** What happened to one article in a write. */
export type PutStatus = 'new' | 'unchanged' | 'updated';

export interface PutOutcome {
  readonly id: ArticleId;
  readonly status: PutStatus;
  /** The version now current for this id. */
  readonly version: number;
  readonly source: string;
}

/** An article stored under an identity key (ingest/identity.ts), with the texts of all its versions. */
export interface IdentityMatch {
  readonly key: string;
  readonly id: ArticleId;
  /** the current version */
  readonly version: number;
  /** the current title */
  readonly title: string | null;
  /** the text of every version, oldest first, the current one last */
  readonly texts: readonly string[];
}

/** A short listing row: what a list or search shows without the full text. */
export interface ArticleSummary {
  readonly id: ArticleId;
  readonly version: number;
  readonly title: string | null;
  readonly url: string | null;
  readonly externalId: string | null;
  readonly outlet: string | null;
  readonly published: string | null;
  readonly language: string;
  readonly fetchedAt: string;
  readonly sentenceCount: number;
  readonly source: string;
  /** the story it belongs to; null before it is clustered */
  readonly story: StoryId | null;
}

export interface ArticleQuery {
  readonly limit: number;
  readonly offset?: number;
  readonly outlet?: string;
  /** ISO date: published on or after */
  readonly since?: string;
  /** ISO date: published before */
  readonly until?: string;
  readonly language?: string;
}

export interface SearchHit extends ArticleSummary {
  /** A short extract around the matched terms, as plain text (the caller escapes it). */
  readonly snippet: string;
  /** Where the matched terms are in `snippet` (UTF-16 offsets, end exclusive), in order. */
  readonly highlights: readonly { readonly start: number; readonly end: number }[];
  readonly rank: number;
}

/** An opaque, versioned value a stage keeps between runs (an index, a clustering state). */
export interface StageState {
  readonly key: string;
  readonly formatVersion: number;
  readonly data: Uint8Array;
}

/** A story as listed: what the story list and the API show. */
export interface StorySummary {
  readonly id: StoryId;
  readonly label: string;
  readonly size: number;
  readonly outlets: readonly string[];
  /**
   * The earliest and latest publication date of its articles (ISO date or date-time, as
   * stored), null when none is dated: an ingest time is never a publication date.
   */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** How many of its articles have no publication date. */
  readonly undated: number;
  /** When its most recently ingested article was read (ISO date-time); the time to show for an undated story. */
  readonly lastIngested: string | null;
  /**
   * Its articles in publication order (the undated last); in a list (listStories) at most 200, evenly spaced
   * over the story, while size and outlets count every article.
   */
  readonly articles: readonly { id: ArticleId; outlet: string | null; published: string | null }[];
}

export interface StoryQuery {
  readonly limit: number;
  readonly offset?: number;
  readonly sort?: 'newest' | 'largest' | 'outlets';
  /** words that one of the story's articles contains (title or text; prefixes, as `search`) */
  readonly search?: string;
  /** one of its articles is from this outlet (case-insensitive) */
  readonly outlet?: string;
  /** ISO date: the story reaches this date or later (its last article on or after it) */
  readonly since?: string;
  /** ISO date: the story began before this date (its first article before it) */
  readonly until?: string;
  /** at least this many articles */
  readonly minArticles?: number;
  /** at least this many distinct outlets */
  readonly minOutlets?: number;
}

/** A story's state after a batch: created or changed (grown, relabelled, merged into). */
export interface StoryUpsert {
  readonly id: StoryId;
  readonly label: string;
}

export interface StoryMembership {
  readonly article: ArticleId;
  readonly story: StoryId;
  /** similarity to the story when the article joined (0 for the article that started it) */
  readonly similarity: number;
}

export interface StoryMerge {
  readonly from: StoryId;
  readonly into: StoryId;
}

/** A dedup signature as stored: bytes plus the key of the parameters that made it. */
export interface StoredSignature {
  readonly article: ArticleId;
  readonly params: string;
  readonly signature: Uint8Array;
  readonly anchors: Uint8Array;
}

/**
 * Everything written for one batch of articles, applied in one transaction: either all
 * of it is stored or none of it. Stages add their own fields here as they land.
 */
export interface WriteBatch {
  readonly articles: readonly Article[];
  readonly states?: readonly StageState[];
  /** clustering: stories created or relabelled, memberships, merges (applied in that order after memberships) */
  readonly stories?: readonly StoryUpsert[];
  readonly memberships?: readonly StoryMembership[];
  readonly storyMerges?: readonly StoryMerge[];
  /** dedup: signatures of new or changed articles, and the reuse links found for them */
  readonly signatures?: readonly StoredSignature[];
  readonly reuseLinks?: readonly ReuseLink[];
  /** dedup: articles whose old links are dropped first (their text changed) */
  readonly relinked?: readonly ArticleId[];
}

/**
 * The persistence boundary. Async because the PostgreSQL implementation does I/O; the
 * SQLite one answers from the same thread. Every implementation passes
 * test/conformance/store.case.ts.
 */
export interface Store {
  /** `sqlite`, `postgres`, ... */
  readonly kind: string;
  /**
   * Writes a batch in one transaction. For each article: a new id is stored as version 1;
   * the same id with the same content hash is left alone (`unchanged`); the same id with
   * other content becomes a new version, the old one kept (`updated`).
   */
  write(batch: WriteBatch): Promise<PutOutcome[]>;
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
   * The articles stored under these identity keys (several may share one: different
   * articles at one URL), in the order they were first stored. The engine decides from
   * them whether an input is one of them, unchanged or changed, or a new article.
   */
  identityMatches(keys: readonly string[]): Promise<IdentityMatch[]>;
  /** What `write` would report for these articles, without writing. */
  classify(articles: readonly Article[]): Promise<PutStatus[]>;
  getArticle(id: ArticleId): Promise<Article | null>;
  getArticles(ids: readonly ArticleId[]): Promise<Article[]>;
  /**
   * Up to `limit` articles first stored after article `after` (from the first with null), in
   * the order they were first stored; a new version keeps its article's place. With
   * `firstVersions`, each with the title, text, sentences, metadata and hashes it was first
   * stored with (version 1; url and external id are the current ones). Stages replay
   * these on top of a saved state that is older than the store, and they met each article
   * as first stored. DB_INCOMPATIBLE if `after` is not stored.
   */
  articlesStoredAfter(after: ArticleId | null, limit: number, options?: { readonly firstVersions?: boolean }): Promise<Article[]>;
  /** All versions, oldest first, the current one last. Empty for an unknown id. */
  getVersions(id: ArticleId): Promise<ArticleVersion[]>;
  listArticles(query: ArticleQuery): Promise<{ items: ArticleSummary[]; total: number }>;
  /** Full-text search over titles and texts. */
  search(text: string, options: { limit: number; offset?: number }): Promise<SearchHit[]>;
  /** How many articles `search` finds for these words in all (for a pager). */
  countMatches(text: string): Promise<number>;
  countArticles(): Promise<number>;
  /**
   * A token that changes whenever anything is committed, by this process or another one
   * sharing the store: readers use it to know when cached answers are stale.
   */
  changeToken(): Promise<string>;
  getState(key: string): Promise<StageState | null>;
  listStories(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }>;
  /** A story with all its articles (summaries), or null. */
  getStory(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null>;
  /** The story an article belongs to, or null. */
  storyOf(article: ArticleId): Promise<StoryId | null>;
  /**
   * Every stored signature (to rebuild the dedup index at start), in the order the articles
   * were first stored: the index ranks candidates by age, which must survive a restart.
   */
  loadSignatures(): Promise<StoredSignature[]>;
  /**
   * Up to `limit` signatures written (new or replaced) after position `cursor` (0: from the
   * first), in the order they were written, and the position of the last one returned: a
   * dedup index sharing the store with another writer adds what that writer signed. Each
   * carries its article's place in first-stored order (`stored`; -1 without an article), the
   * order loadSignatures returns them in.
   */
  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }>;
  /** The position of the last signature written (0 if none). */
  signatureCursor(): Promise<number>;
  /** Reuse links that involve an article. */
  reuseLinksOf(article: ArticleId): Promise<ReuseLink[]>;
  /** Reuse links between articles of a set (a story's reprint graph). */
  reuseLinksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]>;
  listReuseLinks(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }>;
  close(): Promise<void>;
}

import type { Article, ArticleVersion } from '../domain/article.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What happened to one article in a write. */
export type PutStatus = 'new' | 'unchanged' | 'updated';

export interface PutOutcome {
  readonly id: ArticleId;
  readonly status: PutStatus;
  /** The version now current for this id. */
  readonly version: number;
  readonly source: string;
}

/** An article stored under an identity key (domain/identity.ts), with the texts of all its versions. */
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

/**
 * The article store: articles and their versions, identity keys, listing and full-text
 * search. Async because the PostgreSQL implementation does I/O; the SQLite and memory ones
 * answer from the same thread. Every implementation passes test/conformance/store.case.ts.
 */
export interface ArticleStore {
  /**
   * Writes articles inside `tx`. For each: a new id is stored as version 1; the same id with
   * the same content hash is left alone (`unchanged`); the same id with other content becomes
   * a new version, the old one kept (`updated`).
   */
  put(tx: UnitOfWork, articles: readonly Article[]): Promise<PutOutcome[]>;
  /**
   * The articles stored under these identity keys (several may share one: different
   * articles at one URL), in the order they were first stored. The engine decides from
   * them whether an input is one of them, unchanged or changed, or a new article.
   */
  identityMatches(keys: readonly string[]): Promise<IdentityMatch[]>;
  /** What `put` would report for these articles, without writing. */
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
}

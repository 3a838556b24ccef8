import type { ArticleId, StoryId } from '../domain/ids.js';
import type { ArticleSummary } from './articles.js';
import type { UnitOfWork } from './unit-of-work.js';

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
   * Its articles in publication order (the undated last); in a list (`list`) at most 200, evenly spaced
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

/** What the clustering stage writes for a batch: stories created or relabelled, memberships, merges (applied in that order). */
export interface StoryChanges {
  readonly stories: readonly StoryUpsert[];
  readonly memberships: readonly StoryMembership[];
  readonly storyMerges: readonly StoryMerge[];
}

/**
 * The stories repository: stories, the articles that belong to them, and the statistics a
 * listing sorts and filters on (kept up to date at write time). Its tables sit beside the
 * article store's, so a listing filters stories by their articles in one query. Every
 * implementation passes test/conformance/stories.case.ts.
 */
export interface StoryRepository {
  /**
   * Applies a batch's changes inside `tx`: stories upserted, memberships set (a later one of
   * the same article wins), merges moved and dropped; then each touched story's size, outlets,
   * dates and label are redone from its articles (which must be written first, in `tx`).
   */
  write(tx: UnitOfWork, changes: StoryChanges): Promise<void>;
  list(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }>;
  /** A story with all its articles (summaries), or null. */
  get(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null>;
  /** The story an article belongs to, or null. */
  storyOf(article: ArticleId): Promise<StoryId | null>;
}

/** No changes (a batch a stage did not touch). */
export const NO_STORY_CHANGES: StoryChanges = { stories: [], memberships: [], storyMerges: [] };

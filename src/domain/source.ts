/**
 * Live sources: feeds (and sites, through the feed their page names) that the poller
 * follows. Plain data; the repository stores it, the scheduler and the poller read it.
 */

/** `feed`: added by its feed URL; `site`: added by a page whose `<link rel="alternate">` named the feed. */
export type SourceKind = 'feed' | 'site';
export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';
/** When an item's link is fetched for the full article: `auto` when the item carries only a summary. */
export type FollowMode = 'auto' | 'always' | 'never';

export const FOLLOW_MODES: readonly FollowMode[] = ['auto', 'always', 'never'];

export interface Source {
  readonly id: number;
  /** The feed URL polled. */
  readonly url: string;
  /** The page it was discovered from (kind `site`), else null. */
  readonly siteUrl: string | null;
  readonly title: string | null;
  readonly kind: SourceKind;
  /** Known after the first successful poll (or at add time when the feed was read). */
  readonly format: FeedFormat | null;
  readonly intervalSeconds: number;
  readonly allowPrivate: boolean;
  readonly follow: FollowMode;
  readonly addedAt: string;
  /** Validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly lastFetchAt: string | null;
  /** HTTP status of the last poll; null when no answer came (refused, timeout, DNS). */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  /** ISO: when the poller next asks. */
  readonly nextDueAt: string;
  /** Articles stored from its items (full pages and summaries). */
  readonly articles: number;
}

/** What `sources add` and `sources import` give for a new source; the rest starts empty. */
export type NewSource = Pick<Source, 'url' | 'siteUrl' | 'title' | 'kind' | 'format' | 'intervalSeconds' | 'allowPrivate' | 'follow' | 'addedAt'>;

/** What one poll of a source changes in its record. */
export interface PollRecord {
  readonly fetchedAt: string;
  readonly status: number | null;
  /** null after a success: the error is cleared and the failure count reset. */
  readonly error: string | null;
  readonly nextDueAt: string;
  /** Validators to keep; undefined leaves the stored ones (a 304 or a failure). */
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  readonly title?: string | null;
  readonly format?: FeedFormat;
}

/** How an item was stored: the linked page's article, its feed text, or not at all. */
export type SeenStatus = 'page' | 'summary' | 'feed' | 'failed';

export interface SeenItem {
  /** The item's guid, else its link. */
  readonly key: string;
  readonly articleId: string | null;
  readonly status: SeenStatus;
  /** Why the page (or the item) failed. */
  readonly error: string | null;
  readonly seenAt: string;
}

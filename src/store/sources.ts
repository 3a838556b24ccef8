import type { NewSource, PollRecord, SeenItem, Source } from '../domain/source.js';

/**
 * The sources stage's own repository, beside the article store (ARCHITECTURE: stages own
 * their data): the sources, their polling state and the items already seen. Async, like
 * the Store, so that a PostgreSQL implementation fits; every implementation passes
 * test/conformance/sources.case.ts.
 */
export interface SourceRepository {
  /** Adds a source, or returns the one already stored with that URL (`created` false, unchanged). */
  add(source: NewSource): Promise<{ source: Source; created: boolean }>;
  /** Adds each as `add` does, in one transaction: all of them or, when one fails, none. */
  addAll(sources: readonly NewSource[]): Promise<Array<{ source: Source; created: boolean }>>;
  /** By id, or by URL (the feed's or the site's it was added by). */
  find(idOrUrl: number | string): Promise<Source | null>;
  /** Every source, by id. */
  list(): Promise<Source[]>;
  /** Sources due at `now` (nextDueAt <= now), earliest first. */
  due(now: string): Promise<Source[]>;
  /** The earliest nextDueAt of all sources, or null when there are none. */
  nextDue(): Promise<string | null>;
  /** Removes a source and its seen items (the articles stay). False when it was not there. */
  remove(id: number): Promise<boolean>;
  /** Records one poll (health, validators, schedule). Unknown ids are ignored: removed meanwhile. */
  recordPoll(id: number, record: PollRecord): Promise<void>;
  /** Which of these item keys were seen before for this source. */
  seenKeys(id: number, keys: readonly string[]): Promise<Set<string>>;
  /** Marks items seen (first write wins: an item is never seen twice). */
  markSeen(id: number, items: readonly SeenItem[]): Promise<void>;
  /** Articles stored per UTC day over the last `days` days ending at `today` (YYYY-MM-DD), oldest first, zeros included. */
  articlesPerDay(id: number, days: number, today: string): Promise<Array<{ day: string; articles: number }>>;
  /** The last failures of items (page fetches that fell back to the summary, items not stored), newest first. */
  itemErrors(id: number, limit: number): Promise<Array<{ key: string; status: string; error: string; seenAt: string }>>;
}

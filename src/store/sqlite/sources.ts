import type Database from 'better-sqlite3';
import { createError } from '../../errors.js';
import type { SourceRepository } from '../sources.js';
import type { FeedFormat, FollowMode, NewSource, PollRecord, SeenItem, Source, SourceKind } from '../../domain/source.js';

/**
 * The SQLite SourceRepository: its tables live in the store's file, on the store's
 * connection, and every write runs inside the store's `exclusive`, so it queues behind the
 * engine's commits and takes the same lock as other processes' writers.
 */
interface SourceRow {
  id: number;
  url: string;
  site_url: string | null;
  title: string | null;
  kind: string;
  format: string | null;
  interval_seconds: number;
  allow_private: number;
  follow: string;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: string | null;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: number;
  next_due_at: string;
  articles: number;
}

const SELECT = `SELECT s.*, (SELECT count(*) FROM source_items i WHERE i.source_id = s.id AND i.article_id IS NOT NULL) AS articles FROM sources s`;

function toSource(r: SourceRow): Source {
  return {
    id: r.id,
    url: r.url,
    siteUrl: r.site_url,
    title: r.title,
    kind: r.kind as SourceKind,
    format: r.format as FeedFormat | null,
    intervalSeconds: r.interval_seconds,
    allowPrivate: r.allow_private === 1,
    follow: r.follow as FollowMode,
    addedAt: r.added_at,
    etag: r.etag,
    lastModified: r.last_modified,
    lastFetchAt: r.last_fetch_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    nextDueAt: r.next_due_at,
    articles: r.articles,
  };
}

export class SqliteSourceRepository implements SourceRepository {
  /**
   * `ready`: false on a read-only file that never had sources: it reads as empty and refuses
   * writes. `exclusive`: the store's (Store.exclusive).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly ready: boolean,
    private readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  private write<T>(fn: () => T): Promise<T> {
    if (!this.ready) {
      return Promise.reject(createError('DB_READONLY', `store: ${this.path} is opened read-only and has no sources tables yet; nothing was written`, { subject: this.path }));
    }
    return this.exclusive(() => Promise.resolve(fn()));
  }

  private read<T>(fn: () => T, empty: T): Promise<T> {
    if (!this.ready) return Promise.resolve(empty);
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(createError('DB_FAILED', `store: reading sources from ${this.path} failed: ${(e as Error).message}`, { subject: this.path, cause: e }));
    }
  }

  private byId(id: number): Source | null {
    const r = this.db.prepare<[number], SourceRow>(`${SELECT} WHERE s.id = ?`).get(id);
    return r ? toSource(r) : null;
  }

  add(s: NewSource): Promise<{ source: Source; created: boolean }> {
    return this.write(() => this.insert(s));
  }

  addAll(list: readonly NewSource[]): Promise<Array<{ source: Source; created: boolean }>> {
    return this.write(() => list.map((s) => this.insert(s)));
  }

  private insert(s: NewSource): { source: Source; created: boolean } {
    const existing = this.db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE url = ?').get(s.url);
    if (existing) return { source: this.byId(existing.id)!, created: false };
    const info = this.db
      .prepare(
        `INSERT INTO sources (url, site_url, title, kind, format, interval_seconds, allow_private, follow, added_at, next_due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.url, s.siteUrl, s.title, s.kind, s.format, s.intervalSeconds, s.allowPrivate ? 1 : 0, s.follow, s.addedAt, s.addedAt);
    return { source: this.byId(Number(info.lastInsertRowid))!, created: true };
  }

  find(idOrUrl: number | string): Promise<Source | null> {
    return this.read(() => {
      if (typeof idOrUrl === 'number') return this.byId(idOrUrl);
      const r = this.db.prepare<[string, string], SourceRow>(`${SELECT} WHERE s.url = ? OR s.site_url = ? ORDER BY s.id LIMIT 1`).get(idOrUrl, idOrUrl);
      return r ? toSource(r) : null;
    }, null);
  }

  list(): Promise<Source[]> {
    return this.read(() => this.db.prepare<[], SourceRow>(`${SELECT} ORDER BY s.id`).all().map(toSource), []);
  }

  due(now: string): Promise<Source[]> {
    return this.read(() => this.db.prepare<[string], SourceRow>(`${SELECT} WHERE s.next_due_at <= ? ORDER BY s.next_due_at, s.id`).all(now).map(toSource), []);
  }

  nextDue(): Promise<string | null> {
    return this.read(() => (this.db.prepare('SELECT min(next_due_at) AS t FROM sources').get() as { t: string | null }).t, null);
  }

  remove(id: number): Promise<boolean> {
    return this.write(() => this.db.prepare('DELETE FROM sources WHERE id = ?').run(id).changes > 0);
  }

  recordPoll(id: number, r: PollRecord): Promise<void> {
    return this.write(() => {
      const failed = r.error !== null;
      this.db
        .prepare(
          `UPDATE sources SET last_fetch_at = @fetchedAt, last_status = @status, last_error = @error, next_due_at = @nextDueAt,
             consecutive_failures = CASE WHEN @failed THEN consecutive_failures + 1 ELSE 0 END,
             etag = CASE WHEN @setEtag THEN @etag ELSE etag END,
             last_modified = CASE WHEN @setLastModified THEN @lastModified ELSE last_modified END,
             title = coalesce(@title, title), format = coalesce(@format, format)
           WHERE id = @id`,
        )
        .run({
          id,
          fetchedAt: r.fetchedAt,
          status: r.status,
          error: r.error,
          nextDueAt: r.nextDueAt,
          failed: failed ? 1 : 0,
          setEtag: r.etag !== undefined ? 1 : 0,
          etag: r.etag ?? null,
          setLastModified: r.lastModified !== undefined ? 1 : 0,
          lastModified: r.lastModified ?? null,
          title: r.title ?? null,
          format: r.format ?? null,
        });
    });
  }

  seenKeys(id: number, keys: readonly string[]): Promise<Set<string>> {
    return this.read(() => {
      const seen = new Set<string>();
      const stmt = this.db.prepare<[number, string], { key: string }>('SELECT key FROM source_items WHERE source_id = ? AND key = ?');
      for (const k of keys) if (stmt.get(id, k)) seen.add(k);
      return seen;
    }, new Set<string>());
  }

  markSeen(id: number, items: readonly SeenItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.write(() => {
      if (!this.db.prepare('SELECT 1 FROM sources WHERE id = ?').get(id)) return;
      const stmt = this.db.prepare('INSERT OR IGNORE INTO source_items (source_id, key, article_id, status, error, seen_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const it of items) stmt.run(id, it.key, it.articleId, it.status, it.error, it.seenAt);
    });
  }

  articlesPerDay(id: number, days: number, today: string): Promise<Array<{ day: string; articles: number }>> {
    const end = Date.parse(`${today}T00:00:00Z`);
    const list: Array<{ day: string; articles: number }> = [];
    for (let i = days - 1; i >= 0; i--) list.push({ day: new Date(end - i * 86_400_000).toISOString().slice(0, 10), articles: 0 });
    if (list.length === 0) return Promise.resolve(list);
    return this.read(() => {
      const rows = this.db
        .prepare<[number, string, string], { day: string; n: number }>(
          `SELECT substr(seen_at, 1, 10) AS day, count(*) AS n FROM source_items
           WHERE source_id = ? AND article_id IS NOT NULL AND seen_at >= ? AND seen_at < ? GROUP BY day`,
        )
        .all(id, list[0]!.day, new Date(end + 86_400_000).toISOString().slice(0, 10));
      const at = new Map(list.map((d, i) => [d.day, i]));
      for (const r of rows) {
        const i = at.get(r.day);
        if (i !== undefined) list[i] = { day: r.day, articles: r.n };
      }
      return list;
    }, list);
  }

  itemErrors(id: number, limit: number): Promise<Array<{ key: string; status: string; error: string; seenAt: string }>> {
    return this.read(
      () =>
        this.db
          .prepare<[number, number], { key: string; status: string; error: string; seen_at: string }>(
            'SELECT key, status, error, seen_at FROM source_items WHERE source_id = ? AND error IS NOT NULL ORDER BY seen_at DESC, key LIMIT ?',
          )
          .all(id, limit)
          .map((r) => ({ key: r.key, status: r.status, error: r.error, seenAt: r.seen_at })),
      [],
    );
  }
}

import { createError } from '../../errors.js';
import type { PgHost } from './host.js';
import type { SourceRepository } from '../sources.js';
import type { FeedFormat, FollowMode, NewSource, PollRecord, SeenItem, Source, SourceKind } from '../../domain/source.js';
import type { Sql } from './sql.js';

/**
 * The PostgreSQL SourceRepository: statement for statement ../sqlite/sources.ts, its tables
 * in the store's database, every write inside the store's `exclusive` (its write turn).
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

export class PgSourceRepository implements SourceRepository {
  constructor(private readonly host: PgHost) {}

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    if (!(await this.host.sourcesReady())) {
      throw createError('DB_READONLY', `store: ${this.host.label} is opened read-only and has no sources tables yet; nothing was written`, { subject: this.host.label });
    }
    return this.host.exclusive(fn);
  }

  private async read<T>(fn: () => Promise<T>, empty: T): Promise<T> {
    if (!(await this.host.sourcesReady())) return empty;
    return fn();
  }

  /** A query on the store's connection (inside `exclusive`, its transaction). */
  private query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.host.run((sql: Sql) => sql<R>(text, params));
  }

  private async byId(id: number): Promise<Source | null> {
    const [r] = await this.query<SourceRow>(`${SELECT} WHERE s.id = $1`, [id]);
    return r ? toSource(r) : null;
  }

  add(s: NewSource): Promise<{ source: Source; created: boolean }> {
    return this.write(() => this.insert(s));
  }

  addAll(list: readonly NewSource[]): Promise<Array<{ source: Source; created: boolean }>> {
    return this.write(async () => {
      const out: Array<{ source: Source; created: boolean }> = [];
      for (const s of list) out.push(await this.insert(s));
      return out;
    });
  }

  private async insert(s: NewSource): Promise<{ source: Source; created: boolean }> {
    const [existing] = await this.query<{ id: number }>('SELECT id FROM sources WHERE url = $1', [s.url]);
    if (existing) return { source: (await this.byId(existing.id))!, created: false };
    const [row] = await this.query<{ id: number }>(
      `INSERT INTO sources (url, site_url, title, kind, format, interval_seconds, allow_private, follow, added_at, next_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [s.url, s.siteUrl, s.title, s.kind, s.format, s.intervalSeconds, s.allowPrivate ? 1 : 0, s.follow, s.addedAt, s.addedAt],
    );
    return { source: (await this.byId(row!.id))!, created: true };
  }

  find(idOrUrl: number | string): Promise<Source | null> {
    return this.read(async () => {
      if (typeof idOrUrl === 'number') return this.byId(idOrUrl);
      const [r] = await this.query<SourceRow>(`${SELECT} WHERE s.url = $1 OR s.site_url = $1 ORDER BY s.id LIMIT 1`, [idOrUrl]);
      return r ? toSource(r) : null;
    }, null);
  }

  list(): Promise<Source[]> {
    return this.read(async () => (await this.query<SourceRow>(`${SELECT} ORDER BY s.id`)).map(toSource), []);
  }

  due(now: string): Promise<Source[]> {
    return this.read(async () => (await this.query<SourceRow>(`${SELECT} WHERE s.next_due_at <= $1 ORDER BY s.next_due_at, s.id`, [now])).map(toSource), []);
  }

  nextDue(): Promise<string | null> {
    return this.read(async () => (await this.query<{ t: string | null }>('SELECT min(next_due_at) AS t FROM sources'))[0]!.t, null);
  }

  remove(id: number): Promise<boolean> {
    return this.write(async () => (await this.query<{ id: number }>('DELETE FROM sources WHERE id = $1 RETURNING id', [id])).length > 0);
  }

  recordPoll(id: number, r: PollRecord): Promise<void> {
    return this.write(async () => {
      await this.query(
        `UPDATE sources SET last_fetch_at = $2, last_status = $3, last_error = $4, next_due_at = $5,
           consecutive_failures = CASE WHEN $6 THEN consecutive_failures + 1 ELSE 0 END,
           etag = CASE WHEN $7 THEN $8 ELSE etag END,
           last_modified = CASE WHEN $9 THEN $10 ELSE last_modified END,
           title = coalesce($11, title), format = coalesce($12, format)
         WHERE id = $1`,
        [
          id,
          r.fetchedAt,
          r.status,
          r.error,
          r.nextDueAt,
          r.error !== null,
          r.etag !== undefined,
          r.etag ?? null,
          r.lastModified !== undefined,
          r.lastModified ?? null,
          r.title ?? null,
          r.format ?? null,
        ],
      );
    });
  }

  seenKeys(id: number, keys: readonly string[]): Promise<Set<string>> {
    return this.read(async () => {
      if (keys.length === 0) return new Set<string>();
      const rows = await this.query<{ key: string }>('SELECT key FROM source_items WHERE source_id = $1 AND key = ANY($2::text[])', [id, [...keys]]);
      return new Set(rows.map((r) => r.key));
    }, new Set<string>());
  }

  markSeen(id: number, items: readonly SeenItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.write(async () => {
      if ((await this.query('SELECT 1 FROM sources WHERE id = $1', [id])).length === 0) return;
      // first write wins, in the order given (as SQLite's INSERT OR IGNORE row by row)
      for (const it of items) {
        await this.query('INSERT INTO source_items (source_id, key, article_id, status, error, seen_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [
          id,
          it.key,
          it.articleId,
          it.status,
          it.error,
          it.seenAt,
        ]);
      }
    });
  }

  articlesPerDay(id: number, days: number, today: string): Promise<Array<{ day: string; articles: number }>> {
    const end = Date.parse(`${today}T00:00:00Z`);
    const list: Array<{ day: string; articles: number }> = [];
    for (let i = days - 1; i >= 0; i--) list.push({ day: new Date(end - i * 86_400_000).toISOString().slice(0, 10), articles: 0 });
    if (list.length === 0) return Promise.resolve(list);
    return this.read(async () => {
      const rows = await this.query<{ day: string; n: number }>(
        `SELECT substr(seen_at, 1, 10) AS day, count(*) AS n FROM source_items
         WHERE source_id = $1 AND article_id IS NOT NULL AND seen_at >= $2 AND seen_at < $3 GROUP BY day`,
        [id, list[0]!.day, new Date(end + 86_400_000).toISOString().slice(0, 10)],
      );
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
      async () =>
        (
          await this.query<{ key: string; status: string; error: string; seen_at: string }>(
            'SELECT key, status, error, seen_at FROM source_items WHERE source_id = $1 AND error IS NOT NULL ORDER BY seen_at DESC, key LIMIT $2',
            [id, limit],
          )
        ).map((r) => ({ key: r.key, status: r.status, error: r.error, seenAt: r.seen_at })),
      [],
    );
  }
}

import type Database from 'better-sqlite3';
import { createError } from '../errors.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import type { SourceRepository } from './repository.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { PostgresSourceRepository } from './postgres.js';
import type { FeedFormat, FollowMode, NewSource, PollRecord, SeenItem, Source, SourceKind } from './types.js';

/**
 * The SQLite SourceRepository: its tables live in the store's file, on the store's
 * connection, and every write runs inside `store.exclusive`, so it queues behind the
 * engine's commits and takes the same lock as other processes' writers. Its schema has its
 * own migration track (table repository_migrations, repository `sources`), apart from the
 * article store's user_version, so the stages' schemas evolve independently.
 */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SOURCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sources and the items seen in them',
    sql: `
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        site_url TEXT,
        title TEXT,
        kind TEXT NOT NULL,
        format TEXT,
        interval_seconds INTEGER NOT NULL,
        allow_private INTEGER NOT NULL,
        follow TEXT NOT NULL,
        added_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_fetch_at TEXT,
        last_status INTEGER,
        last_error TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_due_at TEXT NOT NULL
      );
      CREATE INDEX sources_next_due ON sources(next_due_at);
      CREATE INDEX sources_site_url ON sources(site_url);
      -- one row per item ever seen: an item stored once is never fetched again
      CREATE TABLE source_items (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,
        error TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX source_items_seen_at ON source_items(source_id, seen_at);
    `,
  },
];

export const SOURCES_SCHEMA_VERSION = SOURCE_MIGRATIONS[SOURCE_MIGRATIONS.length - 1]!.version;

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

function migrate(db: Database.Database, path: string): number {
  const hasTrack = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'repository_migrations'").get() !== undefined;
  const current = (): number =>
    (db.prepare("SELECT max(version) AS v FROM repository_migrations WHERE repository = 'sources'").get() as { v: number | null }).v ?? 0;
  const now = hasTrack ? current() : 0;
  if (now > SOURCES_SCHEMA_VERSION) {
    throw createError('DB_INCOMPATIBLE', `store: ${path} has sources schema version ${now}, newer than this Parallax (${SOURCES_SCHEMA_VERSION}); upgrade Parallax`, { subject: path });
  }
  if (now === SOURCES_SCHEMA_VERSION) return now;
  if (db.readonly) return now;
  for (const m of SOURCE_MIGRATIONS) {
    if (m.version <= now) continue;
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS repository_migrations (repository TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (repository, version))');
      // another process may have applied it while this one waited for the lock
      if (current() >= m.version) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO repository_migrations (repository, version, name, applied_at) VALUES ('sources', ?, ?, ?)").run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return SOURCES_SCHEMA_VERSION;
}

export class SqliteSourceRepository implements SourceRepository {
  private readonly db: Database.Database;
  private readonly store: Store;
  private readonly path: string;
  /** false on a read-only file that never had sources: it reads as empty and refuses writes */
  private readonly ready: boolean;

  constructor(store: SqliteStore) {
    this.store = store;
    this.db = store.connection;
    this.path = store.path;
    this.ready = migrate(this.db, this.path) === SOURCES_SCHEMA_VERSION;
  }

  private write<T>(fn: () => T): Promise<T> {
    if (!this.ready) {
      return Promise.reject(createError('DB_READONLY', `store: ${this.path} is opened read-only and has no sources tables yet; nothing was written`, { subject: this.path }));
    }
    return this.store.exclusive(() => Promise.resolve(fn()));
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
    return this.write(() => {
      const existing = this.db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE url = ?').get(s.url);
      if (existing) return { source: this.byId(existing.id)!, created: false };
      const info = this.db
        .prepare(
          `INSERT INTO sources (url, site_url, title, kind, format, interval_seconds, allow_private, follow, added_at, next_due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.url, s.siteUrl, s.title, s.kind, s.format, s.intervalSeconds, s.allowPrivate ? 1 : 0, s.follow, s.addedAt, s.addedAt);
      return { source: this.byId(Number(info.lastInsertRowid))!, created: true };
    });
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

const repositories = new WeakMap<Store, SourceRepository>();

/**
 * The source repository of a store (one per store object: the CLI, the server's routes and
 * its poller share it). SQLite only for now, like the store factory.
 */
export function sourceRepository(store: Store): SourceRepository {
  let repo = repositories.get(store);
  if (!repo) {
    if (store instanceof PostgresStore) {
      repo = new PostgresSourceRepository(store);
      repositories.set(store, repo);
      return repo;
    }
    if (store.kind !== 'sqlite' || !('connection' in store)) {
      throw createError('USAGE', `sources: a ${store.kind} store has no source repository yet; use a SQLite store`, { subject: store.kind });
    }
    repo = new SqliteSourceRepository(store as SqliteStore);
    repositories.set(store, repo);
  }
  return repo;
}

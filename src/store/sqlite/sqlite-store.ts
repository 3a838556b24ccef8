import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId } from '../../domain/ids.js';
import { createError, isParallaxError, type ParallaxError } from '../../errors.js';
import { decodeMeta, decodeSpans, encodeMeta, encodeSpans } from '../codec.js';
import type {
  ArticleQuery,
  ArticleSummary,
  IdentityMatch,
  PutOutcome,
  PutStatus,
  SearchHit,
  StageState,
  Store,
  StoredSignature,
  StoryQuery,
  StorySummary,
  WriteBatch,
} from '../store.js';
import type { StoryId } from '../../domain/ids.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { type ArticleRow, type SummaryRow, toArticle, toSummary } from '../rows.js';
import { ftsQuery, splitSnippet } from './fts.js';
export { ftsQuery } from './fts.js';
import { identityKey } from '../../domain/identity.js';
import * as stories from './stories.js';
import * as reuse from './reuse.js';
import type { ReuseLink } from '../../domain/reuse.js';

export interface SqliteOptions {
  /** A file path, or `:memory:` for a throw-away store (stateless commands, tests). */
  readonly path: string;
  readonly readonly?: boolean;
  /** refuse to create the file: commands that only read must not leave a new database at a mistyped path */
  readonly mustExist?: boolean;
  /** How long a single statement waits for another writer's lock before DB_LOCKED. */
  readonly busyTimeoutMs?: number;
  /**
   * How long `exclusive` waits for another writer (another process ingesting) before
   * DB_LOCKED. It waits without blocking the event loop, so a server stays responsive.
   */
  readonly lockTimeoutMs?: number;
}

const SUMMARY_COLUMNS = `a.id, a.version, a.title, a.url, a.external_id, a.outlet, a.published, a.language, a.fetched_at, a.source,
  (SELECT sm.story_id FROM story_members sm WHERE sm.article_id = a.id) AS story_id,
  json_array_length(a.sentences) / 2 AS sentence_count`;

/** Maps driver errors to catalogue errors that say what to do. */
function storeError(e: unknown, path: string): ParallaxError {
  if (isParallaxError(e)) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message ?? String(e);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return createError('DB_LOCKED', `store: database ${path} is locked by another process; try again when it finishes`, { subject: path, cause: e });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' && /read/i.test(msg)) {
    return createError('DB_READONLY', `store: database ${path} is read-only; nothing was written (check file permissions or use --db)`, { subject: path, cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || /directory does not exist/i.test(msg)) {
    return createError('DB_FAILED', `store: cannot open database ${path} (${msg}); does the folder exist and is it writable?`, { subject: path, cause: e });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return createError('DB_INCOMPATIBLE', `store: ${path} is not a Parallax database or is damaged (${msg})`, { subject: path, cause: e });
  }
  return createError('DB_FAILED', `store: database ${path} failed: ${msg}`, { subject: path, cause: e });
}

/** A writer waiting for the lock retries at least this often (ms)... */
const LOCK_POLL_MS = 4;
/** ...and one that has held it back to back for LOCK_STREAK_MS lets go this long (ms). */
const LOCK_GAP_MS = 10;
const LOCK_STREAK_MS = 50;

/**
 * `PRAGMA journal_mode = WAL` needs the file to itself and does not wait through SQLite's busy
 * handler: a process opening a new file while another one is creating it gets SQLITE_BUSY at
 * once (1 in 24 of six processes opening one new file together). It is retried every few ms,
 * blocking as the busy handler would, for up to the busy timeout. Open is synchronous anyway.
 */
function setWal(db: Database.Database, timeoutMs: number): void {
  const until = performance.now() + timeoutMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY') || performance.now() > until) throw e;
      Atomics.wait(nap, 0, 0, 5);
    }
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly path: string;
  private readonly db: Database.Database;
  private writes = 0;
  private readonly stmts: ReturnType<SqliteStore['prepare']>;

  private readonly lockTimeoutMs: number;
  private readonly busyTimeoutMs: number;
  /** `exclusive` calls on this object, one after another */
  private lockQueue: Promise<unknown> = Promise.resolve();
  /** PRAGMA data_version when this object last released the write lock; null before the first */
  private seenVersion: number | null = null;
  /** when this object last released the write lock (performance.now(), ms) */
  private released = Number.NEGATIVE_INFINITY;
  /** when its current run of back-to-back holds began (see beginImmediate) */
  private streak = 0;

  private constructor(db: Database.Database, path: string, options: Pick<SqliteOptions, 'lockTimeoutMs' | 'busyTimeoutMs'>) {
    this.db = db;
    this.path = path;
    this.stmts = this.prepare();
    this.lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  /** Opens (and creates or migrates) a store. */
  static open(options: SqliteOptions): SqliteStore {
    const path = options.path;
    let db: Database.Database | undefined;
    try {
      if ((options.readonly || options.mustExist) && path !== ':memory:' && !existsSync(path)) {
        throw createError('DB_FAILED', `store: no database at ${path}; ingest something first, or check --db / PARALLAX_DB`, { subject: path });
      }
      db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: (options.readonly || options.mustExist) ?? false });
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      if (!options.readonly) {
        // WAL: readers never block the writer; NORMAL sync is durable across process crashes
        if (path !== ':memory:') setWal(db, options.busyTimeoutMs ?? 5000);
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      SqliteStore.migrate(db, path, options.readonly ?? false);
    } catch (e) {
      // A command that only reads (mustExist) must also work where it may not write: a
      // database owned by another user, or on read-only media. The read-write open fails
      // there (setting WAL writes the header), so it is retried read-only; writes through
      // that store then fail with DB_READONLY, and nothing is half-written.
      const err = storeError(e, path);
      // a failed open keeps no connection (a caller retrying after DB_LOCKED leaked one each time)
      if (db?.open) db.close();
      if (options.mustExist && !options.readonly && err.code === 'DB_READONLY') return SqliteStore.open({ ...options, readonly: true });
      if (options.readonly && (e as { code?: string }).code === 'SQLITE_READONLY_DIRECTORY') {
        throw createError(
          'DB_READONLY',
          `store: ${path} is in WAL mode and its folder is not writable here, so SQLite cannot create the ${path}-shm file it needs to read it; give write access to the folder, or convert the file once with \`sqlite3 ${path} 'PRAGMA journal_mode=DELETE'\` (Parallax sets WAL again when it next writes)`,
          { subject: path, cause: e },
        );
      }
      throw err;
    }
    return new SqliteStore(db!, path, options);
  }

  private static migrate(db: Database.Database, path: string, readonly: boolean): void {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw createError('DB_INCOMPATIBLE', `store: ${path} has schema version ${current}, newer than this Parallax (${SCHEMA_VERSION}); upgrade Parallax`, { subject: path });
    }
    if (current === SCHEMA_VERSION) return;
    if (readonly) {
      throw createError('DB_READONLY', `store: ${path} needs a schema migration (${current} -> ${SCHEMA_VERSION}) but is opened read-only`, { subject: path });
    }
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.transaction(() => {
        // another process opening the same file at the same moment may have applied it
        // while this one waited for the lock (two ingests started at once on a new file)
        const now = db.pragma('user_version', { simple: true }) as number;
        if (now > SCHEMA_VERSION) throw createError('DB_INCOMPATIBLE', `store: ${path} has schema version ${now}, newer than this Parallax (${SCHEMA_VERSION}); upgrade Parallax`, { subject: path });
        if (now >= m.version) return;
        db.exec(m.sql);
        m.run?.(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      head: db.prepare<[string], { seq: number; version: number; content_hash: string }>('SELECT seq, version, content_hash FROM articles WHERE id = ?'),
      insert: db.prepare(`INSERT INTO articles (id, version, url, external_id, title, text, sentences, meta, language, published, outlet, fetched_at, content_hash, source, identity_key)
        VALUES (@id, @version, @url, @external_id, @title, @text, @sentences, @meta, @language, @published, @outlet, @fetched_at, @content_hash, @source, @identity_key)`),
      archive: db.prepare(`INSERT OR IGNORE INTO article_versions (id, version, title, text, sentences, meta, fetched_at, content_hash, source)
        SELECT id, version, title, text, sentences, meta, fetched_at, content_hash, source FROM articles WHERE id = ?`),
      update: db.prepare(`UPDATE articles SET version = @version, url = @url, external_id = @external_id, title = @title, text = @text, sentences = @sentences,
        meta = @meta, language = @language, published = @published, outlet = @outlet, fetched_at = @fetched_at, content_hash = @content_hash, source = @source,
        identity_key = @identity_key WHERE id = @id`),
      byIdentity: db.prepare<[string], { id: string; version: number; title: string | null; text: string }>('SELECT id, version, title, text FROM articles WHERE identity_key = ? ORDER BY seq'),
      oldTexts: db.prepare<[string], { text: string }>('SELECT text FROM article_versions WHERE id = ? ORDER BY version'),
      get: db.prepare<[string], ArticleRow>('SELECT * FROM articles WHERE id = ?'),
      after: db.prepare<[number, number], ArticleRow>('SELECT * FROM articles WHERE seq > ? ORDER BY seq LIMIT ?'),
      version: db.prepare<[string, number], { title: string | null; text: string; sentences: string; meta: string; fetched_at: string; content_hash: string; source: string }>(
        'SELECT title, text, sentences, meta, fetched_at, content_hash, source FROM article_versions WHERE id = ? AND version = ?',
      ),
      versions: db.prepare<[string], { version: number; content_hash: string; title: string | null; text: string; fetched_at: string; source: string; published: string | null }>(
        "SELECT version, content_hash, title, text, fetched_at, source, json_extract(meta, '$.published.value') AS published FROM article_versions WHERE id = ? ORDER BY version",
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM articles'),
      getState: db.prepare<[string], { key: string; format_version: number; data: Buffer }>('SELECT key, format_version, data FROM stage_state WHERE key = ?'),
      putState: db.prepare(`INSERT INTO stage_state (key, format_version, data, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET format_version = excluded.format_version, data = excluded.data, updated_at = excluded.updated_at`),
    };
  }

  private guard<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(storeError(e, this.path));
    }
  }

  private statusOf(a: Article): { status: PutStatus; version: number } {
    const head = this.stmts.head.get(a.id);
    if (!head) return { status: 'new', version: 1 };
    if (head.content_hash === a.contentHash) return { status: 'unchanged', version: head.version };
    return { status: 'updated', version: head.version + 1 };
  }

  exclusive<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    const run = this.lockQueue.then(() => this.exclusiveNow(fn));
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  private async exclusiveNow<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    await this.beginImmediate();
    const rollback = (): void => {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // SQLite rolled back already (the error that brought us here says why)
      }
    };
    try {
      let result: T;
      let version: number;
      try {
        // data_version moves only when another connection commits (SQLite docs), so this
        // connection's own writes do not count, and it is the same after our COMMIT as here
        version = this.db.pragma('data_version', { simple: true }) as number;
        result = await fn(this.seenVersion === null || version !== this.seenVersion);
      } catch (e) {
        // fn's own error, as it was: a stage's bug must not read as a database failure
        rollback();
        throw e;
      }
      try {
        this.db.exec('COMMIT');
        // read here, after the lock is gone, it could already count another writer's commit
        this.seenVersion = version;
      } catch (e) {
        rollback();
        throw storeError(e, this.path);
      }
      return result;
    } finally {
      this.released = performance.now();
    }
  }

  /**
   * Takes the write lock. SQLite's own busy wait would block the event loop for as long as
   * another process holds the lock (a batch or more); here each attempt fails at once and
   * the wait is a timer, up to lockTimeoutMs.
   */
  private async beginImmediate(): Promise<void> {
    // Fairness: a writer that commits batch after batch would take the lock back at once,
    // and a waiting process, which only retries now and then, would wait out its timeout
    // (a review measured it: 200 commits, then DB_LOCKED). So once a writer has held the
    // lock back to back (each hold starting within LOCK_GAP_MS of the last release) for
    // LOCK_STREAK_MS, it lets go for LOCK_GAP_MS, longer than a waiter's retry interval (at
    // most LOCK_POLL_MS): a few milliseconds per batch of hundreds of articles, and nothing
    // for commits that come now and then (one-article uploads). Monotonic time: a wall
    // clock stepped back must not become a wait.
    const now = performance.now();
    if (this.path !== ':memory:' && now - this.released < LOCK_GAP_MS) {
      if (now - this.streak >= LOCK_STREAK_MS) {
        await new Promise((r) => setTimeout(r, this.released + LOCK_GAP_MS - now));
        this.streak = performance.now();
      }
    } else this.streak = now;
    const deadline = performance.now() + this.lockTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, LOCK_POLL_MS)) {
      try {
        this.db.pragma('busy_timeout = 0');
        try {
          this.db.exec('BEGIN IMMEDIATE');
        } finally {
          this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
        }
        return;
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        if (!code.startsWith('SQLITE_BUSY') || performance.now() >= deadline) {
          if (code.startsWith('SQLITE_BUSY')) {
            throw createError('DB_LOCKED', `store: another process has been writing to ${this.path} for more than ${Number((this.lockTimeoutMs / 1000).toFixed(1))} s; try again when it finishes`, { subject: this.path, cause: e });
          }
          throw storeError(e, this.path);
        }
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  classify(articles: readonly Article[]): Promise<PutStatus[]> {
    return this.guard(() => articles.map((a) => this.statusOf(a).status));
  }

  write(batch: WriteBatch): Promise<PutOutcome[]> {
    return this.guard(() =>
      this.db
        .transaction((): PutOutcome[] => {
          const outcomes: PutOutcome[] = [];
          for (const a of batch.articles) {
            const { status, version } = this.statusOf(a);
            if (status !== 'unchanged') {
              const row = {
                id: a.id,
                version,
                url: a.url,
                external_id: a.externalId,
                title: a.title,
                text: a.text,
                sentences: encodeSpans(a.sentences),
                meta: encodeMeta(a.meta),
                language: a.meta.language.value,
                published: a.meta.published?.value ?? null,
                outlet: a.meta.outlet?.value ?? null,
                fetched_at: a.fetchedAt,
                content_hash: a.contentHash,
                source: a.source,
                identity_key: identityKey(a),
              };
              if (status === 'new') this.stmts.insert.run(row);
              else {
                this.stmts.archive.run(a.id);
                this.stmts.update.run(row);
              }
            }
            outcomes.push({ id: a.id, status, version, source: a.source });
          }
          stories.writeStories(this.db, batch.stories ?? [], batch.memberships ?? [], batch.storyMerges ?? []);
          reuse.writeReuse(this.db, batch.signatures ?? [], batch.reuseLinks ?? [], batch.relinked ?? []);
          this.writes++;
          const now = new Date().toISOString();
          for (const s of batch.states ?? []) this.stmts.putState.run(s.key, s.formatVersion, Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength), now);
          return outcomes;
        })
        .immediate(),
    );
  }

  identityMatches(keys: readonly string[]): Promise<IdentityMatch[]> {
    return this.guard(() => {
      const out: IdentityMatch[] = [];
      for (const key of new Set(keys)) {
        for (const r of this.stmts.byIdentity.all(key)) {
          const texts = this.stmts.oldTexts.all(r.id).map((v) => v.text);
          texts.push(r.text);
          out.push({ key, id: r.id as ArticleId, version: r.version, title: r.title, texts });
        }
      }
      return out;
    });
  }

  getArticle(id: ArticleId): Promise<Article | null> {
    return this.guard(() => {
      const row = this.stmts.get.get(id);
      return row ? toArticle(row) : null;
    });
  }

  getArticles(ids: readonly ArticleId[]): Promise<Article[]> {
    return this.guard(() => {
      const out: Article[] = [];
      for (const id of ids) {
        const row = this.stmts.get.get(id);
        if (row) out.push(toArticle(row));
      }
      return out;
    });
  }

  articlesStoredAfter(after: ArticleId | null, limit: number, options: { readonly firstVersions?: boolean } = {}): Promise<Article[]> {
    return this.guard(() => {
      let seq = 0;
      if (after !== null) {
        const head = this.stmts.head.get(after);
        if (!head) throw createError('DB_INCOMPATIBLE', `store: article ${after} is not stored (a stage state refers to it)`, { subject: after });
        seq = head.seq;
      }
      const rows = this.stmts.after.all(seq, Math.max(0, Math.floor(limit)));
      if (!options.firstVersions) return rows.map(toArticle);
      return rows.map((r) => {
        if (r.version === 1) return toArticle(r);
        // the first version lives in article_versions, without url and external id (the
        // current ones are returned: the id, from the canonical URL, is the same)
        const v = this.stmts.version.get(r.id, 1);
        return toArticle(v ? { ...r, ...v, version: 1 } : r);
      });
    });
  }

  getVersions(id: ArticleId): Promise<ArticleVersion[]> {
    return this.guard(() => {
      const current = this.stmts.get.get(id);
      if (!current) return [];
      const old = this.stmts.versions.all(id).map(
        (r): ArticleVersion => ({ id, version: r.version, contentHash: r.content_hash, title: r.title, text: r.text, fetchedAt: r.fetched_at, published: r.published, source: r.source }),
      );
      old.push({ id, version: current.version, contentHash: current.content_hash, title: current.title, text: current.text, fetchedAt: current.fetched_at, published: current.published, source: current.source });
      return old;
    });
  }

  listArticles(query: ArticleQuery): Promise<{ items: ArticleSummary[]; total: number }> {
    return this.guard(() => {
      const where: string[] = [];
      const params: Record<string, string | number> = {};
      if (query.outlet !== undefined) {
        // outlet names are typed by people: "reuters" finds "Reuters" (its spellings from the
        // outlet index first, so the articles are found by that index, not a scan)
        where.push('a.outlet IN (SELECT DISTINCT outlet FROM articles WHERE outlet = @outlet COLLATE NOCASE)');
        params['outlet'] = query.outlet;
      }
      if (query.since !== undefined) {
        where.push('a.published >= @since');
        params['since'] = query.since;
      }
      if (query.until !== undefined) {
        where.push('a.published < @until');
        params['until'] = query.until;
      }
      if (query.language !== undefined) {
        where.push('a.language = @language');
        params['language'] = query.language;
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (this.db.prepare(`SELECT count(*) AS n FROM articles a ${clause}`).get(params) as { n: number }).n;
      const rows = this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles a ${clause} ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: query.limit, offset: query.offset ?? 0 }) as SummaryRow[];
      return { items: rows.map(toSummary), total };
    });
  }

  search(text: string, options: { limit: number; offset?: number }): Promise<SearchHit[]> {
    return this.guard(() => {
      const q = ftsQuery(text);
      if (q === null) return [];
      const rows = this.db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS}, snippet(articles_fts, 1, char(1), char(2), '...', 16) AS snippet, bm25(articles_fts) AS rank
           FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
           WHERE articles_fts MATCH @q ORDER BY rank LIMIT @limit OFFSET @offset`,
        )
        .all({ q, limit: options.limit, offset: options.offset ?? 0 }) as Array<SummaryRow & { snippet: string; rank: number }>;
      return rows.map((r) => ({ ...toSummary(r), ...splitSnippet(r.snippet), rank: r.rank }));
    });
  }

  countMatches(text: string): Promise<number> {
    return this.guard(() => {
      const q = ftsQuery(text);
      if (q === null) return 0;
      return (this.db.prepare('SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?').get(q) as { n: number }).n;
    });
  }

  changeToken(): Promise<string> {
    // data_version moves when another connection commits; our own commits are counted here
    return this.guard(() => `${this.db.pragma('data_version', { simple: true }) as number}:${this.writes}`);
  }

  countArticles(): Promise<number> {
    return this.guard(() => this.stmts.count.get()!.n);
  }

  getState(key: string): Promise<StageState | null> {
    return this.guard(() => {
      const r = this.stmts.getState.get(key);
      return r ? { key: r.key, formatVersion: r.format_version, data: new Uint8Array(r.data) } : null;
    });
  }

  listStories(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return this.guard(() => stories.listStories(this.db, query));
  }

  getStory(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return this.guard(() => {
      const story = stories.getStory(this.db, id);
      if (!story) return null;
      const rows = this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? ORDER BY ${stories.MEMBER_ORDER}`)
        .all(id) as SummaryRow[];
      return { ...story, members: rows.map(toSummary) };
    });
  }

  storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.guard(() => stories.storyOf(this.db, article));
  }

  loadSignatures(): Promise<StoredSignature[]> {
    return this.guard(() => reuse.loadSignatures(this.db));
  }

  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    return this.guard(() => reuse.signaturesWrittenAfter(this.db, cursor, Math.max(0, Math.floor(limit))));
  }

  signatureCursor(): Promise<number> {
    return this.guard(() => reuse.signatureCursor(this.db));
  }

  reuseLinksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.guard(() => reuse.reuseLinksOf(this.db, article));
  }

  reuseLinksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    return this.guard(() => reuse.reuseLinksAmong(this.db, articles));
  }

  listReuseLinks(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    return this.guard(() => reuse.listReuseLinks(this.db, query.limit, query.offset ?? 0));
  }

  /** Checks the file is intact (PRAGMA integrity_check); used by tests and `parallax doctor`. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /**
   * The connection, for a stage's own repository that keeps its tables in this file
   * (src/sources/sqlite.ts). It writes only inside `exclusive`, so its writes queue behind
   * this store's and take the same lock as every other writer.
   */
  get connection(): Database.Database {
    return this.db;
  }

  close(): Promise<void> {
    return this.guard(() => {
      if (this.db.open) this.db.close();
    });
  }
}

import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId } from '../../domain/ids.js';
import { createError } from '../../errors.js';
import { encodeMeta, encodeSpans } from '../codec.js';
import type { ArticleQuery, ArticleSummary, IdentityMatch, PutOutcome, PutStatus, SearchHit, Store, UnitOfWork } from '../store.js';
import { migrate } from './migrations.js';
import { type ArticleRow, type SummaryRow, toArticle, toSummary } from '../rows.js';
import { ftsQuery, splitSnippet } from './fts.js';
export { ftsQuery } from './fts.js';
import { identityKey } from '../../domain/identity.js';
import { SqliteHost, SqliteUnitOfWork, storeError } from './host.js';
import { SUMMARY_COLUMNS } from './columns.js';
import { SqliteStoryRepository } from './stories.js';
import { SqliteReuseRepository } from './reuse.js';
import { SqliteStateRepository } from './states.js';
import { SqliteSourceRepository } from './sources.js';

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

  private readonly host: SqliteHost;
  /** the transaction `exclusive` holds, while it runs */
  private held: SqliteUnitOfWork | null = null;
  readonly stories: SqliteStoryRepository;
  readonly reuse: SqliteReuseRepository;
  readonly states: SqliteStateRepository;
  readonly sources: SqliteSourceRepository;

  private constructor(db: Database.Database, path: string, options: Pick<SqliteOptions, 'lockTimeoutMs' | 'busyTimeoutMs'>, sourcesReady: boolean) {
    this.db = db;
    this.path = path;
    this.stmts = this.prepare();
    this.host = new SqliteHost(db, path);
    this.stories = new SqliteStoryRepository(this.host);
    this.reuse = new SqliteReuseRepository(this.host);
    this.states = new SqliteStateRepository(this.host);
    this.sources = new SqliteSourceRepository(db, path, sourcesReady, (fn) => this.exclusive(fn));
    this.lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  /** Opens (and creates or migrates) a store. */
  static open(options: SqliteOptions): SqliteStore {
    const path = options.path;
    let db: Database.Database | undefined;
    let sourcesReady: boolean;
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
      sourcesReady = migrate(db, path, options.readonly ?? false).sources;
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
    return new SqliteStore(db, path, options, sourcesReady);
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
    const run = this.lockQueue.then(() => this.exclusiveNow(fn, true));
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  transaction<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    if (this.held) return this.nested(fn);
    // its own write turn, which does not count as another writer's commit (`track` false),
    // waited for as long as a single statement waits for a lock
    const run = this.lockQueue.then(() => this.exclusiveNow(() => this.nested(fn), false));
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  /** `fn` in a savepoint of the transaction `exclusive` holds. */
  private async nested<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    const tx = new SqliteUnitOfWork(this.db);
    await this.guard(() => this.db.exec('SAVEPOINT parallax_tx'));
    try {
      const result = await fn(tx);
      tx.open = false;
      await this.guard(() => this.db.exec('RELEASE parallax_tx'));
      this.writes++;
      return result;
    } catch (e) {
      tx.open = false;
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK TO parallax_tx; RELEASE parallax_tx');
      } catch {
        // SQLite rolled back already (the error that brought us here says why)
      }
      throw e;
    }
  }

  private async exclusiveNow<T>(fn: (othersWrote: boolean) => Promise<T>, track: boolean): Promise<T> {
    await this.beginImmediate(track ? this.lockTimeoutMs : this.busyTimeoutMs);
    this.held = new SqliteUnitOfWork(this.db);
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
        result = await fn(track && (this.seenVersion === null || version !== this.seenVersion));
      } catch (e) {
        // fn's own error, as it was: a stage's bug must not read as a database failure
        rollback();
        throw e;
      }
      try {
        this.db.exec('COMMIT');
        // read here, after the lock is gone, it could already count another writer's commit
        if (track) this.seenVersion = version;
      } catch (e) {
        rollback();
        throw storeError(e, this.path);
      }
      return result;
    } finally {
      this.held.open = false;
      this.held = null;
      this.released = performance.now();
    }
  }

  /**
   * Takes the write lock. SQLite's own busy wait would block the event loop for as long as
   * another process holds the lock (a batch or more); here each attempt fails at once and
   * the wait is a timer, up to lockTimeoutMs.
   */
  private async beginImmediate(timeoutMs: number): Promise<void> {
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
    const deadline = performance.now() + timeoutMs;
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
            throw createError('DB_LOCKED', `store: another process has been writing to ${this.path} for more than ${Number((timeoutMs / 1000).toFixed(1))} s; try again when it finishes`, {
              subject: this.path,
              cause: e,
            });
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

  put(tx: UnitOfWork, articles: readonly Article[]): Promise<PutOutcome[]> {
    return this.host.write(tx, () => {
      const outcomes: PutOutcome[] = [];
      for (const a of articles) {
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
      return outcomes;
    });
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
      const old = this.stmts.versions
        .all(id)
        .map((r): ArticleVersion => ({ id, version: r.version, contentHash: r.content_hash, title: r.title, text: r.text, fetchedAt: r.fetched_at, published: r.published, source: r.source }));
      old.push({
        id,
        version: current.version,
        contentHash: current.content_hash,
        title: current.title,
        text: current.text,
        fetchedAt: current.fetched_at,
        published: current.published,
        source: current.source,
      });
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

  /** Checks the file is intact (PRAGMA integrity_check); used by tests and `parallax doctor`. */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): Promise<void> {
    return this.guard(() => {
      if (this.db.open) this.db.close();
    });
  }
}

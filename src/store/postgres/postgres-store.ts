import type { Pool, PoolClient } from 'pg';
import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId } from '../../domain/ids.js';
import { createError, isParallaxError, type ParallaxError } from '../../errors.js';
import { encodeMeta, encodeSpans } from '../codec.js';
import { type ArticleRow, type SummaryRow, toArticle, toSummary } from '../rows.js';
import { identityKey } from '../../domain/identity.js';
import type { IdentityMatch, ArticleQuery, ArticleSummary, PutOutcome, PutStatus, SearchHit, Store, UnitOfWork } from '../store.js';
import { PG_TRACKS } from './migrations.js';
import { PgReuseRepository } from './reuse.js';
import { PgStateRepository } from './states.js';
import { PgSourceRepository } from './sources.js';
import { type PgHost, PgUnitOfWork } from './host.js';
import { SUMMARY_COLUMNS } from './columns.js';
import { planTracks, SPLIT_MARK, upToDate } from '../tracks.js';
import { splitSnippet, tsQuery, type Sql } from './sql.js';
import { foldDiacritics } from './fold.js';
export { splitSnippet, tsQuery } from './sql.js';
import { redactUrl } from './url.js';
export { redactUrl } from './url.js';
import { PgStoryRepository } from './stories.js';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string;
  readonly readonly?: boolean;
  /** refuse to create the database or its tables: commands that only read must not leave an empty store behind a mistyped URL */
  readonly mustExist?: boolean;
  /** How long `exclusive` and `write` wait for another writer's turn before DB_LOCKED. */
  readonly lockTimeoutMs?: number;
  /** Connections kept by this store (readers of a server share them). */
  readonly poolSize?: number;
}

/**
 * Advisory lock keys (per database, as advisory locks are). The write turn is what
 * SQLite's single writer lock gives for free: a writer holds it from BEGIN to COMMIT, so
 * commits, article sequence numbers and signature positions are in one order.
 */
const WRITE_LOCK = 0x70617278; // 'parx'
const MIGRATE_LOCK = 0x7061726d; // 'parm'

const ARTICLE_COLUMNS = 'seq, id, version, url, external_id, title, text, sentences, meta, language, published, outlet, fetched_at, content_hash, source';
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03']);

/** True for errors that mean the server went away or is not there yet: a worker waits and retries. */
export function isConnectionError(e: unknown): boolean {
  const code = String((e as { code?: string }).code ?? '');
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return true;
  const cause = (e as { cause?: unknown }).cause;
  if (cause && cause !== e && isConnectionError(cause)) return true;
  return /Connection terminated|connection.*(closed|ended)|Client has encountered a connection error/i.test(String((e as Error).message ?? ''));
}

/** Maps driver errors to catalogue errors that say what to do. */
function storeError(e: unknown, label: string, lockTimeoutMs: number): ParallaxError {
  if (isParallaxError(e)) return e;
  const code = String((e as { code?: string }).code ?? '');
  const msg = (e as Error).message ?? String(e);
  if (code === '55P03') {
    return createError('DB_LOCKED', `store: another process has been writing to ${label} for more than ${Number((lockTimeoutMs / 1000).toFixed(1))} s; try again when it finishes`, {
      subject: label,
      cause: e,
    });
  }
  if (code === '40P01' || code === '40001') {
    return createError('DB_LOCKED', `store: ${label} was busy with another writer (${msg}); try again`, { subject: label, cause: e });
  }
  if (code === '25006') {
    return createError('DB_READONLY', `store: ${label} is read-only here; nothing was written`, { subject: label, cause: e });
  }
  if (code === '3D000') {
    return createError('DB_FAILED', `store: no database at ${label}; ingest something first, or check --db / PARALLAX_DB`, { subject: label, cause: e });
  }
  if (code.startsWith('28')) {
    return createError('DB_FAILED', `store: PostgreSQL at ${label} refused the login (${msg}); check the user and password in --db`, { subject: label, cause: e });
  }
  if (isConnectionError(e)) {
    return createError('DB_FAILED', `store: cannot reach PostgreSQL at ${label} (${msg}); is it running?`, { subject: label, cause: e });
  }
  return createError('DB_FAILED', `store: database ${label} failed: ${msg}`, { subject: label, cause: e });
}

/**
 * The PostgreSQL store: the same tables and statements as the SQLite store (see
 * src/store/sqlite), for a store shared by several processes and machines. The driver is
 * loaded, and the connection made, on the first call, so `open` is synchronous like
 * SQLite's and a command that never touches the store does not pay for `pg`.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly url: string;
  /** the URL without its password */
  readonly label: string;
  private readonly options: PostgresOptions;
  private readonly lockTimeoutMs: number;
  private opening: Promise<Pool> | null = null;
  private closed = false;
  /** the connection of the `exclusive` call in progress: every call goes through its transaction meanwhile */
  private tx: PoolClient | null = null;
  /** store_commits as this object's transaction sees it (its own writes included) */
  private txCommits = 0;
  /** store_commits when this object last released the write turn; null before the first */
  private seen: number | null = null;
  private lockQueue: Promise<unknown> = Promise.resolve();
  /** the sources tables are there (false: read-only and made before them) */
  private hasSources = false;
  readonly stories: PgStoryRepository;
  readonly reuse: PgReuseRepository;
  readonly states: PgStateRepository;
  readonly sources: PgSourceRepository;

  private constructor(options: PostgresOptions) {
    this.options = options;
    this.url = options.url;
    this.label = redactUrl(options.url);
    this.lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
    const host: PgHost = {
      label: this.label,
      readonly: options.readonly ?? false,
      run: (fn) => this.guard(() => fn(this.sql)),
      write: (tx, fn) =>
        this.guard(async () => {
          if (!(tx instanceof PgUnitOfWork) || tx.client !== this.tx || !tx.open) throw new Error(`store: a write to ${this.label} was given a transaction that is not open on it`);
          return fn(this.sql);
        }),
      exclusive: (fn) => this.exclusive(fn),
      sourcesReady: async () => {
        await this.guard(() => Promise.resolve());
        return this.hasSources;
      },
    };
    this.stories = new PgStoryRepository(host);
    this.reuse = new PgReuseRepository(host);
    this.states = new PgStateRepository(host);
    this.sources = new PgSourceRepository(host);
  }

  static open(options: PostgresOptions): PostgresStore {
    return new PostgresStore(options);
  }

  /** The database name in the URL (the store's identity, with the server). */
  get database(): string {
    return decodeURIComponent(new URL(this.url).pathname.replace(/^\//, '')) || 'postgres';
  }

  /** Connects (once), creating the database and migrating it unless read-only. */
  private ready(): Promise<Pool> {
    if (this.closed) return Promise.reject(createError('DB_FAILED', `store: ${this.label} is closed`, { subject: this.label }));
    this.opening ??= this.connect().catch((e: unknown) => {
      // the next call tries again (a worker waits for a server that is restarting)
      this.opening = null;
      throw this.error(e);
    });
    return this.opening;
  }

  private async connect(): Promise<Pool> {
    const pg = (await import('pg')).default;
    const int8 = (v: string): number => Number(v);
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? int8 : (pg.types.getTypeParser(oid, format) as (v: string) => unknown))) as typeof pg.types.getTypeParser,
    };
    const make = (): Pool => {
      const pool = new pg.Pool({
        connectionString: this.url,
        max: this.options.poolSize ?? 4,
        types,
        ...(this.options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
      });
      // an idle connection that the server drops emits here; the next query reconnects (or fails, mapped)
      pool.on('error', () => undefined);
      return pool;
    };
    let pool = make();
    try {
      await this.migrate(pool);
    } catch (e) {
      await pool.end().catch(() => undefined);
      if ((e as { code?: string }).code !== '3D000' || this.options.readonly || this.options.mustExist) throw e;
      await this.createDatabase(pg);
      pool = make();
      try {
        await this.migrate(pool);
      } catch (e2) {
        await pool.end().catch(() => undefined);
        throw e2;
      }
    }
    return pool;
  }

  /** CREATE DATABASE through the server's maintenance database; another process may win the race. */
  private async createDatabase(pg: typeof import('pg').default): Promise<void> {
    const admin = new URL(this.url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    client.on('error', () => undefined);
    await client.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`CREATE DATABASE "${this.database.replace(/"/g, '""')}"`);
          return;
        } catch (e) {
          const code = (e as { code?: string }).code;
          // created by another process meanwhile (42P04, or 23505 when both got that far)
          if (code === '42P04' || code === '23505') return;
          // 55006: another process is copying the template right now
          if (code !== '55006' || attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
        }
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async migrate(pool: Pool): Promise<void> {
    const client = await pool.connect();
    // a connection dropped while checked out emits 'error' on the client: with no listener
    // that is an uncaught exception; the query in flight fails anyway, and is mapped
    const ignore = (): void => undefined;
    client.on('error', ignore);
    try {
      const read = async (): Promise<{ legacy: number; recorded: Map<string, number>; exists: boolean }> => {
        // pg_class read by a query (a fresh snapshot), not to_regclass (the backend's catalogue
        // cache, which need not see a table another process created while this one waited)
        const [t] = (
          await client.query<{ s: boolean; r: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'schema_migrations' AND relnamespace = current_schema()::regnamespace) AS s,
                    EXISTS (SELECT 1 FROM pg_class WHERE relname = 'repository_migrations' AND relnamespace = current_schema()::regnamespace) AS r`,
          )
        ).rows;
        const legacy = t?.s ? (await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]!.v : 0;
        const recorded = new Map<string, number>();
        if (t?.r)
          for (const r of (await client.query<{ repository: string; v: number }>('SELECT repository, max(version) AS v FROM repository_migrations GROUP BY repository')).rows)
            recorded.set(r.repository, r.v);
        return { legacy, recorded, exists: t?.s === true };
      };
      const first = await read();
      if (!first.exists && (this.options.mustExist || this.options.readonly)) {
        throw createError('DB_FAILED', `store: ${this.label} holds no Parallax store; ingest something first, or check --db / PARALLAX_DB`, { subject: this.label });
      }
      const plans = planTracks(PG_TRACKS, first.legacy, first.recorded, this.label);
      this.hasSources = plans.find((p) => p.repository === 'sources')!.apply.length === 0;
      if (upToDate(plans, first.legacy)) return;
      if (this.options.readonly) {
        const due = plans.filter((p) => p.repository !== 'sources' && p.apply.length > 0);
        if (due.length > 0) {
          throw createError(
            'DB_READONLY',
            `store: ${this.label} needs a schema migration (${due.map((p) => `${p.repository} ${p.at} -> ${p.at + p.apply.length}`).join(', ')}) but is opened read-only`,
            { subject: this.label },
          );
        }
        return;
      }
      // one transaction under a lock: processes opening a new store together each wait, then
      // find the migrations applied (DDL is transactional in PostgreSQL)
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
        const now = await read();
        const todo = planTracks(PG_TRACKS, now.legacy, now.recorded, this.label);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
        await client.query(
          'CREATE TABLE IF NOT EXISTS repository_migrations (repository TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (repository, version))',
        );
        const at = new Date().toISOString();
        const record = (repository: string, version: number, name: string) =>
          client.query('INSERT INTO repository_migrations (repository, version, name, applied_at) VALUES ($1, $2, $3, $4)', [repository, version, name, at]);
        for (const plan of todo) {
          for (const m of plan.adopt) await record(plan.repository, m.version, `${m.name} (schema ${m.legacy})`);
          for (const m of plan.apply) {
            await client.query(m.sql);
            if (m.run) await m.run(client);
            await record(plan.repository, m.version, m.name);
          }
        }
        // the single track of stores made before the split: an older Parallax reads it and refuses
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          SPLIT_MARK,
          'migrations by repository (repository_migrations)',
          at,
        ]);
        await client.query('COMMIT');
        this.hasSources = true;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      client.off('error', ignore);
      client.release();
    }
  }

  private error(e: unknown): ParallaxError {
    return storeError(e, this.label, this.lockTimeoutMs);
  }

  /** A query on the writer's transaction when one is open, else on any pooled connection. */
  private readonly sql: Sql = async <R>(text: string, params?: readonly unknown[]): Promise<R[]> => {
    const conn = this.tx ?? (await this.ready());
    return (await conn.query(text, params as unknown[])).rows as R[];
  };

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await fn();
    } catch (e) {
      throw this.error(e);
    }
  }

  private refuseReadonly(): void {
    if (this.options.readonly) throw createError('DB_READONLY', `store: ${this.label} is opened read-only; nothing was written`, { subject: this.label });
  }

  /** BEGIN and the write turn, waiting up to the lock timeout. */
  private async begin(client: PoolClient): Promise<void> {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.lockTimeoutMs))}`);
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    await client.query('SET LOCAL lock_timeout = 0');
    this.txCommits = (await client.query<{ commits: number }>('SELECT commits FROM store_commits')).rows[0]!.commits;
  }

  exclusive<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    const run = this.lockQueue.then(() => this.exclusiveNow(fn));
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  private async exclusiveNow<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    this.refuseReadonly();
    const pool = await this.ready();
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw this.error(e);
    }
    // see migrate: a connection lost while this writer holds it must not crash the process
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      try {
        await this.begin(client);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw this.error(e);
      }
      const before = this.txCommits;
      let result: T;
      this.tx = client;
      try {
        result = await fn(this.seen === null || before !== this.seen);
      } catch (e) {
        // fn's own error, as it was: a stage's bug must not read as a database failure
        this.tx = null;
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      }
      this.tx = null;
      try {
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw this.error(e);
      }
      this.seen = this.txCommits;
      return result;
    } finally {
      this.tx = null;
      client.off('error', ignore);
      client.release(broken);
    }
  }

  classify(articles: readonly Article[]): Promise<PutStatus[]> {
    return this.guard(async () => {
      const heads = await this.heads(articles.map((a) => a.id));
      return articles.map((a) => {
        const h = heads.get(a.id);
        return !h ? 'new' : h.content_hash === a.contentHash ? 'unchanged' : 'updated';
      });
    });
  }

  private async heads(ids: readonly string[]): Promise<Map<string, { seq: number; version: number; content_hash: string }>> {
    const rows =
      ids.length === 0
        ? []
        : await this.sql<{ id: string; seq: number; version: number; content_hash: string }>('SELECT id, seq, version, content_hash FROM articles WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  transaction<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      this.refuseReadonly();
      if (this.tx) return this.nested(this.tx, fn);
      return this.transactionAlone(fn);
    });
  }

  /**
   * `fn` in a savepoint of the transaction `exclusive` holds, so a failed one leaves the
   * caller's earlier writes (SQLite nests the same way); its commit is counted.
   */
  private async nested<T>(client: PoolClient, fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    const tx = new PgUnitOfWork(client);
    await client.query('SAVEPOINT parallax_tx');
    try {
      const out = await fn(tx);
      tx.open = false;
      this.txCommits = (await client.query<{ commits: number }>('UPDATE store_commits SET commits = commits + 1 RETURNING commits')).rows[0]!.commits;
      await client.query('RELEASE SAVEPOINT parallax_tx');
      return out;
    } catch (e) {
      tx.open = false;
      await client.query('ROLLBACK TO SAVEPOINT parallax_tx').catch(() => undefined);
      throw e;
    }
  }

  /** A transaction outside `exclusive`: its own write turn (it does not count as another writer's). */
  private async transactionAlone<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    const run = this.lockQueue.then(async () => {
      const wasSeen = this.seen;
      let before = -1;
      const out = await this.exclusiveNow(async () => {
        before = this.txCommits;
        return this.nested(this.tx!, fn);
      });
      // exclusiveNow set seen; a write outside exclusive must not hide another writer's commit
      if (wasSeen !== before) this.seen = wasSeen;
      return out;
    });
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  put(tx: UnitOfWork, articles: readonly Article[]): Promise<PutOutcome[]> {
    return this.guard(async () => {
      this.refuseReadonly();
      if (!(tx instanceof PgUnitOfWork) || tx.client !== this.tx || !tx.open) throw new Error(`store: a write to ${this.label} was given a transaction that is not open on it`);
      return this.putNow(articles);
    });
  }

  private async putNow(articles: readonly Article[]): Promise<PutOutcome[]> {
    const sql = this.sql;
    const heads = await this.heads(articles.map((a) => a.id));
    const outcomes: PutOutcome[] = [];
    let inserts: Article[] = [];
    const flushInserts = async (): Promise<void> => {
      if (inserts.length === 0) return;
      const rows = inserts;
      inserts = [];
      const col = <T>(f: (a: Article) => T): T[] => rows.map(f);
      // one statement for the new articles, in order (sequence numbers follow the batch)
      await sql(
        `INSERT INTO articles (id, version, url, external_id, title, text, sentences, meta, language, published, outlet, fetched_at, content_hash, source, identity_key)
         SELECT id, version, url, external_id, title, text, sentences, meta, language, published, outlet, fetched_at, content_hash, source, identity_key
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
         WITH ORDINALITY AS r(id, version, url, external_id, title, text, sentences, meta, language, published, outlet, fetched_at, content_hash, source, identity_key, ord)
         ORDER BY ord`,
        [
          col((a) => a.id),
          col(() => 1),
          col((a) => a.url),
          col((a) => a.externalId),
          col((a) => a.title),
          col((a) => a.text),
          col((a) => encodeSpans(a.sentences)),
          col((a) => encodeMeta(a.meta)),
          col((a) => a.meta.language.value),
          col((a) => a.meta.published?.value ?? null),
          col((a) => a.meta.outlet?.value ?? null),
          col((a) => a.fetchedAt),
          col((a) => a.contentHash),
          col((a) => a.source),
          col((a) => identityKey(a)),
        ],
      );
    };
    for (const a of articles) {
      const head = heads.get(a.id);
      const status: PutStatus = !head ? 'new' : head.content_hash === a.contentHash ? 'unchanged' : 'updated';
      const version = !head ? 1 : status === 'unchanged' ? head.version : head.version + 1;
      if (status === 'new') inserts.push(a);
      else if (status === 'updated') {
        await flushInserts();
        await sql(
          `INSERT INTO article_versions (id, version, title, text, sentences, meta, fetched_at, content_hash, source)
           SELECT id, version, title, text, sentences, meta, fetched_at, content_hash, source FROM articles WHERE id = $1 ON CONFLICT DO NOTHING`,
          [a.id],
        );
        await sql(
          `UPDATE articles SET version = $2, url = $3, external_id = $4, title = $5, text = $6, sentences = $7, meta = $8, language = $9, published = $10,
             outlet = $11, fetched_at = $12, content_hash = $13, source = $14, identity_key = $15 WHERE id = $1`,
          [
            a.id,
            version,
            a.url,
            a.externalId,
            a.title,
            a.text,
            encodeSpans(a.sentences),
            encodeMeta(a.meta),
            a.meta.language.value,
            a.meta.published?.value ?? null,
            a.meta.outlet?.value ?? null,
            a.fetchedAt,
            a.contentHash,
            a.source,
            identityKey(a),
          ],
        );
      }
      if (status !== 'unchanged') heads.set(a.id, { seq: head?.seq ?? -1, version, content_hash: a.contentHash });
      outcomes.push({ id: a.id, status, version, source: a.source });
    }
    await flushInserts();
    return outcomes;
  }

  identityMatches(keys: readonly string[]): Promise<IdentityMatch[]> {
    return this.guard(async () => {
      const unique = [...new Set(keys)];
      if (unique.length === 0) return [];
      // in the order of the keys given, then as first stored (as the SQLite store)
      const rows = await this.sql<{ key: string; id: string; version: number; title: string | null; text: string; old: string[] | null }>(
        `SELECT k.key, a.id, a.version, a.title, a.text,
           (SELECT array_agg(v.text ORDER BY v.version) FROM article_versions v WHERE v.id = a.id) AS old
         FROM unnest($1::text[]) WITH ORDINALITY AS k(key, ord) JOIN articles a ON a.identity_key = k.key ORDER BY k.ord, a.seq`,
        [unique],
      );
      return rows.map((r) => ({ key: r.key, id: r.id as ArticleId, version: r.version, title: r.title, texts: [...(r.old ?? []), r.text] }));
    });
  }

  getArticle(id: ArticleId): Promise<Article | null> {
    return this.guard(async () => {
      const [row] = await this.sql<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`, [id]);
      return row ? toArticle(row) : null;
    });
  }

  getArticles(ids: readonly ArticleId[]): Promise<Article[]> {
    return this.guard(async () => {
      if (ids.length === 0) return [];
      const rows = await this.sql<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
      const by = new Map(rows.map((r) => [r.id, r]));
      const out: Article[] = [];
      for (const id of ids) {
        const r = by.get(id);
        if (r) out.push(toArticle(r));
      }
      return out;
    });
  }

  articlesStoredAfter(after: ArticleId | null, limit: number, options: { readonly firstVersions?: boolean } = {}): Promise<Article[]> {
    return this.guard(async () => {
      let seq = 0;
      if (after !== null) {
        const [head] = await this.sql<{ seq: number }>('SELECT seq FROM articles WHERE id = $1', [after]);
        if (!head) throw createError('DB_INCOMPATIBLE', `store: article ${after} is not stored (a stage state refers to it)`, { subject: after });
        seq = head.seq;
      }
      const rows = await this.sql<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, Math.max(0, Math.floor(limit))]);
      if (!options.firstVersions) return rows.map(toArticle);
      const later = rows.filter((r) => r.version !== 1).map((r) => r.id);
      const firsts =
        later.length === 0
          ? []
          : await this.sql<ArticleRow>('SELECT id, title, text, sentences, meta, fetched_at, content_hash, source FROM article_versions WHERE id = ANY($1::text[]) AND version = 1', [later]);
      const by = new Map(firsts.map((v) => [v.id, v]));
      return rows.map((r) => {
        const v = by.get(r.id);
        return toArticle(r.version !== 1 && v ? { ...r, ...v, version: 1 } : r);
      });
    });
  }

  getVersions(id: ArticleId): Promise<ArticleVersion[]> {
    return this.guard(async () => {
      const [current] = await this.sql<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`, [id]);
      if (!current) return [];
      const old = (
        await this.sql<{ version: number; content_hash: string; title: string | null; text: string; fetched_at: string; source: string; published: string | null }>(
          "SELECT version, content_hash, title, text, fetched_at, source, meta::json->'published'->>'value' AS published FROM article_versions WHERE id = $1 ORDER BY version",
          [id],
        )
      ).map((r): ArticleVersion => ({ id, version: r.version, contentHash: r.content_hash, title: r.title, text: r.text, fetchedAt: r.fetched_at, published: r.published, source: r.source }));
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
    return this.guard(async () => {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown): void => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      // outlet names are typed by people: "reuters" finds "Reuters"
      if (query.outlet !== undefined) add('lower(a.outlet) = lower(?)', query.outlet);
      if (query.since !== undefined) add('a.published >= ?', query.since);
      if (query.until !== undefined) add('a.published < ?', query.until);
      if (query.language !== undefined) add('a.language = ?', query.language);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const [count] = await this.sql<{ n: number }>(`SELECT count(*) AS n FROM articles a ${clause}`, params);
      const n = params.length;
      const rows = await this.sql<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM articles a ${clause} ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...params,
        query.limit,
        query.offset ?? 0,
      ]);
      return { items: rows.map(toSummary), total: count!.n };
    });
  }

  search(text: string, options: { limit: number; offset?: number }): Promise<SearchHit[]> {
    return this.guard(async () => {
      const q = tsQuery(text);
      if (q === null) return [];
      // matches marked with chr(1) and chr(2), which text normalisation removes from stored
      // texts, then turned into offsets (splitSnippet); rank negated: lower is better, as bm25.
      // The snippet is found in the folded text (the query is folded), then cut from the
      // original at the same offsets (folding keeps every character's place: fold.ts)
      const rows = await this.sql<SummaryRow & { snippet: string; body: string; rank: number }>(
        `SELECT ${SUMMARY_COLUMNS}, left(a.text, 100000) AS body,
           ts_headline('simple', parallax_fold(left(a.text, 100000)), q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=...') AS snippet,
           -ts_rank(a.fts, q) AS rank
         FROM articles a, to_tsquery('simple', $1) q
         WHERE a.fts @@ q ORDER BY rank, a.seq LIMIT $2 OFFSET $3`,
        [q, options.limit, options.offset ?? 0],
      );
      return rows.map((r) => {
        const found = splitSnippet(r.snippet);
        const at = foldDiacritics(r.body).indexOf(found.snippet);
        const snippet = at >= 0 ? r.body.slice(at, at + found.snippet.length) : found.snippet;
        return { ...toSummary(r), snippet, highlights: found.highlights, rank: r.rank };
      });
    });
  }

  /** How many articles `search` finds for these words in all (for a pager). */
  countMatches(text: string): Promise<number> {
    return this.guard(async () => {
      const q = tsQuery(text);
      if (q === null) return 0;
      return (await this.sql<{ n: number }>("SELECT count(*) AS n FROM articles WHERE fts @@ to_tsquery('simple', $1)", [q]))[0]!.n;
    });
  }

  changeToken(): Promise<string> {
    return this.guard(async () => String((await this.sql<{ commits: number }>('SELECT commits FROM store_commits'))[0]!.commits));
  }

  /** Whether this store was opened read-only. */
  get isReadonly(): boolean {
    return this.options.readonly ?? false;
  }

  /** The store's own id, made when it was created: the same through any URL that reaches it. */
  storeId(): Promise<string> {
    return this.guard(async () => (await this.sql<{ store_id: string }>('SELECT store_id FROM store_commits'))[0]!.store_id);
  }

  countArticles(): Promise<number> {
    return this.guard(async () => (await this.sql<{ n: number }>('SELECT count(*) AS n FROM articles'))[0]!.n);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // after the writes in flight
    await this.lockQueue;
    this.closed = true;
    const opening = this.opening;
    this.opening = null;
    const pool = opening ? await opening.catch(() => null) : null;
    await pool?.end();
  }
}

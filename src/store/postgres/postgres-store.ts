import type { Pool, PoolClient } from 'pg';
import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId, StoryId } from '../../domain/ids.js';
import type { ReuseLink } from '../../domain/reuse.js';
import { createError, isParallaxError, type ParallaxError } from '../../errors.js';
import { decodeMeta, decodeSpans, encodeMeta, encodeSpans } from '../codec.js';
import { type ArticleRow, type SummaryRow, toArticle, toSummary } from '../rows.js';
import { identityKey } from '../../domain/identity.js';
import type { IdentityMatch, ArticleQuery, ArticleSummary, PutOutcome, PutStatus, SearchHit, StageState, Store, StoredSignature, StoryQuery, StorySummary, WriteBatch } from '../store.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './migrations.js';
import * as reuse from './reuse.js';
import { bytes, splitSnippet, tsQuery, type Sql } from './sql.js';
export { splitSnippet, tsQuery } from './sql.js';
import { redactUrl } from './url.js';
export { redactUrl } from './url.js';
import * as stories from './stories.js';

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
const SUMMARY_COLUMNS = `a.id, a.version, a.title, a.url, a.external_id, a.outlet, a.published, a.language, a.fetched_at, a.source,
  (SELECT sm.story_id FROM story_members sm WHERE sm.article_id = a.id) AS story_id,
  json_array_length(a.sentences::json) / 2 AS sentence_count`;

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
    return createError('DB_LOCKED', `store: another process has been writing to ${label} for more than ${Number((lockTimeoutMs / 1000).toFixed(1))} s; try again when it finishes`, { subject: label, cause: e });
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

  private constructor(options: PostgresOptions) {
    this.options = options;
    this.url = options.url;
    this.label = redactUrl(options.url);
    this.lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
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
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? int8 : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
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
      const [exists] = (await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")).rows;
      let current = 0;
      if (exists?.t) current = (await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]!.v;
      else if (this.options.mustExist || this.options.readonly) {
        throw createError('DB_FAILED', `store: ${this.label} holds no Parallax store; ingest something first, or check --db / PARALLAX_DB`, { subject: this.label });
      }
      if (current > PG_SCHEMA_VERSION) {
        throw createError('DB_INCOMPATIBLE', `store: ${this.label} has schema version ${current}, newer than this Parallax (${PG_SCHEMA_VERSION}); upgrade Parallax`, { subject: this.label });
      }
      if (current === PG_SCHEMA_VERSION) return;
      if (this.options.readonly) {
        throw createError('DB_READONLY', `store: ${this.label} needs a schema migration (${current} -> ${PG_SCHEMA_VERSION}) but is opened read-only`, { subject: this.label });
      }
      // one transaction under a lock: processes opening a new store together each wait, then
      // find the migrations applied (DDL is transactional in PostgreSQL)
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
        const now = (await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]!.v;
        if (now > PG_SCHEMA_VERSION) {
          throw createError('DB_INCOMPATIBLE', `store: ${this.label} has schema version ${now}, newer than this Parallax (${PG_SCHEMA_VERSION}); upgrade Parallax`, { subject: this.label });
        }
        for (const m of PG_MIGRATIONS) {
          if (m.version <= now) continue;
          await client.query(m.sql);
          if (m.run) await m.run(client);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        }
        await client.query('COMMIT');
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
    const rows = ids.length === 0 ? [] : await this.sql<{ id: string; seq: number; version: number; content_hash: string }>('SELECT id, seq, version, content_hash FROM articles WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  write(batch: WriteBatch): Promise<PutOutcome[]> {
    return this.guard(async () => {
      this.refuseReadonly();
      if (this.tx) {
        // inside `exclusive`: a savepoint, so a failed write leaves the caller's earlier writes
        // (SQLite nests its transaction the same way)
        const tx = this.tx;
        await tx.query('SAVEPOINT parallax_write');
        try {
          const out = await this.writeNow(batch);
          await tx.query('RELEASE SAVEPOINT parallax_write');
          return out;
        } catch (e) {
          await tx.query('ROLLBACK TO SAVEPOINT parallax_write').catch(() => undefined);
          throw e;
        }
      }
      return this.exclusiveNowFor(batch);
    });
  }

  /** A write outside `exclusive`: its own transaction and write turn (it does not count as another writer's). */
  private async exclusiveNowFor(batch: WriteBatch): Promise<PutOutcome[]> {
    const run = this.lockQueue.then(async () => {
      const wasSeen = this.seen;
      let before = -1;
      const out = await this.exclusiveNow(async () => {
        before = this.txCommits;
        return this.writeNow(batch);
      });
      // exclusiveNow set seen; a write outside exclusive must not hide another writer's commit
      if (wasSeen !== before) this.seen = wasSeen;
      return out;
    });
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(batch: WriteBatch): Promise<PutOutcome[]> {
    const sql = this.sql;
    const heads = await this.heads(batch.articles.map((a) => a.id));
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
    for (const a of batch.articles) {
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
          [a.id, version, a.url, a.externalId, a.title, a.text, encodeSpans(a.sentences), encodeMeta(a.meta), a.meta.language.value, a.meta.published?.value ?? null, a.meta.outlet?.value ?? null, a.fetchedAt, a.contentHash, a.source, identityKey(a)],
        );
      }
      if (status !== 'unchanged') heads.set(a.id, { seq: head?.seq ?? -1, version, content_hash: a.contentHash });
      outcomes.push({ id: a.id, status, version, source: a.source });
    }
    await flushInserts();
    await stories.writeStories(sql, batch.stories ?? [], batch.memberships ?? [], batch.storyMerges ?? []);
    await reuse.writeReuse(sql, batch.signatures ?? [], batch.reuseLinks ?? [], batch.relinked ?? []);
    const now = new Date().toISOString();
    for (const s of batch.states ?? []) {
      await sql(
        `INSERT INTO stage_state (key, format_version, data, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT(key) DO UPDATE SET format_version = excluded.format_version, data = excluded.data, updated_at = excluded.updated_at`,
        [s.key, s.formatVersion, bytes(s.data), now],
      );
    }
    this.txCommits = (await sql<{ commits: number }>('UPDATE store_commits SET commits = commits + 1 RETURNING commits'))[0]!.commits;
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
      const firsts = later.length === 0 ? [] : await this.sql<ArticleRow>('SELECT id, title, text, sentences, meta, fetched_at, content_hash, source FROM article_versions WHERE id = ANY($1::text[]) AND version = 1', [later]);
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
      old.push({ id, version: current.version, contentHash: current.content_hash, title: current.title, text: current.text, fetchedAt: current.fetched_at, published: current.published, source: current.source });
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
      const rows = await this.sql<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM articles a ${clause} ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, query.limit, query.offset ?? 0],
      );
      return { items: rows.map(toSummary), total: count!.n };
    });
  }

  search(text: string, options: { limit: number; offset?: number }): Promise<SearchHit[]> {
    return this.guard(async () => {
      const q = tsQuery(text);
      if (q === null) return [];
      // matches marked with chr(1) and chr(2), which text normalisation removes from stored
      // texts, then turned into offsets (splitSnippet); rank negated: lower is better, as bm25
      const rows = await this.sql<SummaryRow & { snippet: string; rank: number }>(
        `SELECT ${SUMMARY_COLUMNS},
           ts_headline('simple', left(a.text, 100000), q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=...') AS snippet,
           -ts_rank(a.fts, q) AS rank
         FROM articles a, to_tsquery('simple', $1) q
         WHERE a.fts @@ q ORDER BY rank, a.seq LIMIT $2 OFFSET $3`,
        [q, options.limit, options.offset ?? 0],
      );
      return rows.map((r) => ({ ...toSummary(r), ...splitSnippet(r.snippet), rank: r.rank }));
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

  /**
   * A query on this store's connection (inside `exclusive`, its transaction): for the
   * repositories that keep their tables in the same database (sources).
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return this.guard(() => this.sql<R>(text, params));
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

  getState(key: string): Promise<StageState | null> {
    return this.guard(async () => {
      const [r] = await this.sql<{ key: string; format_version: number; data: Buffer }>('SELECT key, format_version, data FROM stage_state WHERE key = $1', [key]);
      return r ? { key: r.key, formatVersion: r.format_version, data: new Uint8Array(r.data) } : null;
    });
  }

  listStories(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return this.guard(() => stories.listStories(this.sql, query));
  }

  getStory(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return this.guard(async () => {
      const story = await stories.getStory(this.sql, id);
      if (!story) return null;
      const rows = await this.sql<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = $1 ORDER BY ${stories.MEMBER_ORDER}`,
        [id],
      );
      return { ...story, members: rows.map(toSummary) };
    });
  }

  storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.guard(() => stories.storyOf(this.sql, article));
  }

  loadSignatures(): Promise<StoredSignature[]> {
    return this.guard(() => reuse.loadSignatures(this.sql));
  }

  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    return this.guard(() => reuse.signaturesWrittenAfter(this.sql, cursor, Math.max(0, Math.floor(limit))));
  }

  signatureCursor(): Promise<number> {
    return this.guard(() => reuse.signatureCursor(this.sql));
  }

  reuseLinksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.guard(() => reuse.reuseLinksOf(this.sql, article));
  }

  reuseLinksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    return this.guard(() => reuse.reuseLinksAmong(this.sql, articles));
  }

  listReuseLinks(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    return this.guard(() => reuse.listReuseLinks(this.sql, query.limit, query.offset ?? 0));
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

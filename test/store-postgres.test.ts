import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresStore, tsQuery } from '../src/store/postgres/postgres-store.js';
import { PG_TRACKS } from '../src/store/postgres/migrations.js';
import { REPOSITORIES, SPLIT_MARK } from '../src/store/tracks.js';
import { write } from './helpers/write.js';
import { copyPostgresRows, makeLegacyPostgres } from './helpers/legacy-schema.js';
import { ingestRest, populate, snapshot, withoutReadTimes } from './helpers/upgrade.js';
import { openStore } from '../src/store/open.js';
import { runAllConformance } from './conformance/store.case.js';
import { articleFrom } from './helpers/articles.js';
import { createTestDatabase, dropTestDatabase, newTestDatabaseUrl } from './helpers/postgres.js';

// every test its own database, dropped after it (the conformance suite closes its stores first)
const made: string[] = [];
afterEach(async () => {
  for (const url of made.splice(0)) await dropTestDatabase(url);
});
async function fresh(): Promise<string> {
  const url = await createTestDatabase();
  made.push(url);
  return url;
}

runAllConformance(
  'postgres',
  async () => PostgresStore.open({ url: await fresh() }),
  (store) => PostgresStore.open({ url: (store as PostgresStore).url }),
);

async function raw<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Each repository's track as a new store records it: every migration of each, in order. */
const TRACKED = REPOSITORIES.flatMap((r) => PG_TRACKS[r].map((m) => ({ repository: r, version: m.version })));
const tracksOf = (url: string) =>
  raw(url, async (c) => {
    const rows = (await c.query('SELECT repository, version FROM repository_migrations')).rows as { repository: string; version: number }[];
    return rows.sort((x, y) => REPOSITORIES.indexOf(x.repository as never) - REPOSITORIES.indexOf(y.repository as never) || x.version - y.version);
  });

describe('PostgresStore specifics', () => {
  it('opens a database made by the single-track schema (6, with sources) in place: every answer is the same, and it goes on as the original', async () => {
    const original = await fresh();
    await populate(PostgresStore.open({ url: original }));
    const legacy = await fresh();
    await makeLegacyPostgres(legacy, 6, true);
    await copyPostgresRows(original, legacy);
    const [a, b] = [PostgresStore.open({ url: original }), PostgresStore.open({ url: legacy })];
    const before = await snapshot(a);
    expect(await snapshot(b)).toEqual(before);
    expect((before as { stories: unknown[] }).stories.length).toBeGreaterThan(1);
    await Promise.all([a.close(), b.close()]);
    expect(await tracksOf(legacy)).toEqual(TRACKED);
    expect(await raw(legacy, async (c) => (await c.query('SELECT max(version) AS v FROM schema_migrations')).rows[0].v)).toBe(SPLIT_MARK);
    await ingestRest(PostgresStore.open({ url: original }));
    await ingestRest(PostgresStore.open({ url: legacy }));
    const [c, d] = [PostgresStore.open({ url: original }), PostgresStore.open({ url: legacy })];
    expect(withoutReadTimes(await snapshot(d))).toEqual(withoutReadTimes(await snapshot(c)));
    await Promise.all([c.close(), d.close()]);
  });

  it('opens a single-track schema-3 database in place: signatures kept, the later migrations run', async () => {
    const original = await fresh();
    await populate(PostgresStore.open({ url: original }));
    const legacy = await fresh();
    await makeLegacyPostgres(legacy, 3, false);
    await copyPostgresRows(original, legacy);
    const up = PostgresStore.open({ url: legacy });
    expect(await up.reuse.signatureCursor()).toBe(0);
    expect((await up.reuse.loadSignatures()).length).toBeGreaterThan(10);
    expect(await up.identityMatches([])).toEqual([]);
    await up.close();
    expect(await tracksOf(legacy)).toEqual(TRACKED);
    // the identity keys were derived for the articles stored before
    expect(await raw(legacy, async (c) => (await c.query('SELECT count(*)::int AS n FROM articles WHERE identity_key IS NULL')).rows[0].n)).toBe(0);
  });

  it('is chosen by openStore for a postgres:// URL', async () => {
    const url = await fresh();
    const store = openStore(url);
    expect(store.kind).toBe('postgres');
    await store.close();
    expect(openStore(':memory:').kind).toBe('sqlite');
  });

  it('creates a missing database, migrates it and records each version', async () => {
    const url = newTestDatabaseUrl();
    made.push(url);
    const store = PostgresStore.open({ url });
    expect(await store.countArticles()).toBe(0);
    await store.close();
    const versions = await raw(url, async (c) => (await c.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r: { version: number }) => r.version));
    expect(versions).toEqual([SPLIT_MARK]);
    expect(await tracksOf(url)).toEqual(TRACKED);
  });

  it('is created by several stores opening one new database at once: one migrates, the others wait and skip', async () => {
    const url = newTestDatabaseUrl();
    made.push(url);
    const stores = Array.from({ length: 5 }, () => PostgresStore.open({ url }));
    expect(await Promise.all(stores.map((s) => s.countArticles()))).toEqual([0, 0, 0, 0, 0]);
    await Promise.all(stores.map((s) => s.close()));
    expect(await tracksOf(url)).toEqual(TRACKED);
  });

  it('refuses a database from a newer Parallax', async () => {
    const url = await fresh();
    await PostgresStore.open({ url }).countArticles();
    await raw(url, (c) => c.query("INSERT INTO schema_migrations VALUES (999, 'future', 'x')"));
    const store = PostgresStore.open({ url });
    await expect(store.countArticles()).rejects.toMatchObject({ code: 'DB_INCOMPATIBLE', message: expect.stringMatching(/schema version 999, newer than this Parallax/) });
    await store.close();
  });

  it('does not create a store for a command that only reads, and names the URL without its password', async () => {
    const url = newTestDatabaseUrl().replace('postgres@', 'postgres:secret@');
    const store = PostgresStore.open({ url, mustExist: true });
    const err = (await store.countArticles().catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('DB_FAILED');
    expect(err.message).toContain('no database at');
    expect(err.message).not.toContain('secret');
    await store.close();
  });

  it('reports an unreachable server as DB_FAILED naming it', async () => {
    const store = PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:1/nothing' });
    await expect(store.countArticles()).rejects.toMatchObject({ code: 'DB_FAILED', message: expect.stringMatching(/cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nothing/) });
    await store.close();
  });

  it('refuses writes when opened read-only, and keeps what is stored', async () => {
    const url = await fresh();
    const rw = PostgresStore.open({ url });
    await write(rw, { articles: [articleFrom('An article stored before the store was opened read-only.')] });
    await rw.close();
    const ro = PostgresStore.open({ url, readonly: true });
    await expect(write(ro, { articles: [articleFrom('Another article that must not be written.')] })).rejects.toMatchObject({ code: 'DB_READONLY' });
    expect(await ro.countArticles()).toBe(1);
    await ro.close();
  });

  it("waits for another writer's turn, then gives up with DB_LOCKED", async () => {
    const url = await fresh();
    const holder = PostgresStore.open({ url });
    const waiter = PostgresStore.open({ url, lockTimeoutMs: 300 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const holding = holder.exclusive(async () => {
      inside();
      await held;
    });
    await entered;
    const started = Date.now();
    await expect(write(waiter, { articles: [articleFrom('Written once the other writer let go.')] })).rejects.toMatchObject({ code: 'DB_LOCKED' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    release();
    await holding;
    expect((await write(waiter, { articles: [articleFrom('Written once the other writer let go.')] })).map((o) => o.status)).toEqual(['new']);
    await holder.close();
    await waiter.close();
  });

  it('builds a prefix tsquery from any text, leaving no query syntax', () => {
    expect(tsQuery('Gaza truce')).toBe("'gaza':* & 'truce':*");
    expect(tsQuery("a & b | !c <-> 'd")).toBe("'a':* & 'b':* & 'c':* & 'd':*");
    expect(tsQuery('  ')).toBeNull();
  });
});

import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { SQLITE_TRACKS } from '../src/store/sqlite/migrations.js';
import { REPOSITORIES, SPLIT_MARK } from '../src/store/tracks.js';
import { runAllConformance } from './conformance/store.case.js';
import { write } from './helpers/write.js';
import { copySqliteRows, makeLegacySqlite } from './helpers/legacy-schema.js';
import { ingestRest, populate, snapshot, withoutReadTimes } from './helpers/upgrade.js';
import { articleFrom } from './helpers/articles.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-store-'));
const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runAllConformance(
  'sqlite file',
  () => SqliteStore.open({ path: join(dir, `s${n++}.db`) }),
  (store) => SqliteStore.open({ path: (store as SqliteStore).path }),
);
runAllConformance('sqlite :memory:', () => SqliteStore.open({ path: ':memory:' }));

/** Each repository's track as a new file records it: every migration of each, in order. */
const TRACKED = REPOSITORIES.flatMap((r) => SQLITE_TRACKS[r].map((m) => ({ repository: r, version: m.version })));

function tracksOf(path: string): { repository: string; version: number }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT repository, version FROM repository_migrations').all() as { repository: string; version: number }[];
  } finally {
    db.close();
  }
}
const byTrack = (xs: { repository: string; version: number }[]) =>
  [...xs].sort((x, y) => REPOSITORIES.indexOf(x.repository as never) - REPOSITORIES.indexOf(y.repository as never) || x.version - y.version);

describe('SqliteStore specifics', () => {
  it('opens a database made by the single-track schema (6, with sources) in place: every answer is the same, and it goes on as the original', async () => {
    const original = join(dir, 'upgrade-original.db');
    await populate(SqliteStore.open({ path: original }));
    const legacy = join(dir, 'upgrade-legacy.db');
    makeLegacySqlite(legacy, 6, true);
    copySqliteRows(original, legacy);
    const [a, b] = [SqliteStore.open({ path: original }), SqliteStore.open({ path: legacy })];
    const before = await snapshot(a);
    expect(await snapshot(b)).toEqual(before);
    expect((before as { stories: unknown[] }).stories.length).toBeGreaterThan(1);
    await Promise.all([a.close(), b.close()]);
    // the legacy versions were recorded as each repository's, without running them again
    expect(byTrack(tracksOf(legacy))).toEqual(byTrack(TRACKED));
    const raw = new Database(legacy, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SPLIT_MARK);
    expect((raw.prepare("SELECT name FROM repository_migrations WHERE repository = 'stories' AND version = 2").get() as { name: string }).name).toMatch(/\(schema 6\)$/);
    raw.close();
    await ingestRest(SqliteStore.open({ path: original }));
    await ingestRest(SqliteStore.open({ path: legacy }));
    const [c, d] = [SqliteStore.open({ path: original }), SqliteStore.open({ path: legacy })];
    expect(withoutReadTimes(await snapshot(d))).toEqual(withoutReadTimes(await snapshot(c)));
    await Promise.all([c.close(), d.close()]);
  });

  it('opens a single-track schema-6 file read-only without migrating it; its sources read as empty', async () => {
    const original = join(dir, 'ro-original.db');
    await populate(SqliteStore.open({ path: original }));
    const legacy = join(dir, 'ro-legacy.db');
    makeLegacySqlite(legacy, 6, false);
    copySqliteRows(original, legacy);
    const ro = SqliteStore.open({ path: legacy, readonly: true });
    expect(await ro.countArticles()).toBeGreaterThan(10);
    expect((await ro.stories.list({ limit: 5 })).total).toBeGreaterThan(1);
    expect(await ro.sources.list()).toEqual([]);
    await ro.close();
    const raw = new Database(legacy, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(6);
    raw.close();
  });

  it('migrates a new file to the current schema and records it', async () => {
    const path = join(dir, 'migrate.db');
    await SqliteStore.open({ path }).close();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SPLIT_MARK);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: SPLIT_MARK }]);
    db.close();
    expect(byTrack(tracksOf(path))).toEqual(byTrack(TRACKED));
  });

  it("is created by several processes opening one new file at once: each waits for the other's migration and skips it", async () => {
    // two `parallax ingest` started together on a new database both found schema 0 and both
    // ran migration 1; the second failed with "table articles already exists" (seen in CI)
    const { spawn } = await import('node:child_process');
    const { REPO } = await import('./helpers/paths.js');
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `race-${round}.db`);
      const at = String(Date.now() + 2500);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => {
          const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/open-store.ts'), path, at], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          return new Promise<{ code: number | null; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, err })));
        }),
      );
      expect(
        results.map((r) => r.code),
        results.map((r) => r.err).join('\n'),
      ).toEqual([0, 0, 0, 0, 0]);
      expect(byTrack(tracksOf(path))).toEqual(byTrack(TRACKED));
    }
  }, 120_000);

  it('refuses a schema a newer Parallax wrote while this one waited to migrate, and changes nothing', async () => {
    // a newer Parallax creates the file and holds its write lock while it migrates; this one
    // reads schema 0 (the last committed state) and waits for the lock to migrate
    const { spawn } = await import('node:child_process');
    const path = join(dir, 'newer-while-waiting.db');
    const newer = SPLIT_MARK + 1;
    const child = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(path)});
      db.pragma('journal_mode = WAL');
      db.exec('BEGIN IMMEDIATE');
      db.exec('CREATE TABLE from_the_future (x)');
      db.pragma('user_version = ${newer}');
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
      db.exec('COMMIT');
      db.close();
    `,
      ],
      { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
    let code = '';
    try {
      await SqliteStore.open({ path }).close();
    } catch (e) {
      code = (e as { code: string }).code;
    }
    await new Promise((r) => child.on('exit', r));
    expect(code).toBe('DB_INCOMPATIBLE');
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(newer);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'articles'").get()).toEqual({ n: 0 });
    db.close();
  }, 30_000);

  it('keeps no connection from a failed open: retrying after DB_LOCKED leaks no file descriptor', () => {
    const path = join(dir, 'locked-open.db');
    // a rollback-journal file held exclusively by another connection: switching it to WAL waits
    // for the busy timeout, then fails
    const holder = new Database(path);
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN EXCLUSIVE');
    const fds = () => readdirSync('/proc/self/fd').length;
    // one attempt first: whatever the process opens once (not per attempt) is not counted
    expect(() => SqliteStore.open({ path, busyTimeoutMs: 20 })).toThrow(/locked by another process/);
    const before = fds();
    for (let i = 0; i < 10; i++) expect(() => SqliteStore.open({ path, busyTimeoutMs: 20 })).toThrow(/locked by another process/);
    expect(fds()).toBe(before);
    holder.exec('COMMIT');
    holder.close();
  });

  it('migrates a schema-3 file: its signatures are kept and loaded, and new ones are written in order after them', async () => {
    const path = join(dir, 'schema3.db');
    const made = join(dir, 'schema3-source.db');
    const s = SqliteStore.open({ path: made });
    const a = articleFrom('Signed before the upgrade: the harbour reopens after the storm.');
    const b = articleFrom('Signed after the upgrade: ferries run again from the harbour.');
    const sig = (article: typeof a.id) => ({ article, params: 'p1', signature: new Uint8Array([7, 0, 0, 0]), anchors: new Uint8Array(0) });
    await write(s, { articles: [a], signatures: [sig(a.id)] });
    await s.close();
    // as a schema-3 Parallax left it
    makeLegacySqlite(path, 3, false);
    copySqliteRows(made, path);
    const up = SqliteStore.open({ path });
    expect(await up.reuse.signatureCursor()).toBe(0);
    expect((await up.reuse.loadSignatures()).map((x) => x.article)).toEqual([a.id]);
    await write(up, { articles: [b], signatures: [sig(b.id)] });
    expect((await up.reuse.signaturesWrittenAfter(0, 10)).signatures.map((x) => x.article)).toEqual([b.id]);
    expect((await up.reuse.loadSignatures()).map((x) => x.article)).toEqual([a.id, b.id]);
    await up.close();
  });

  it('refuses a database from a newer Parallax', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => SqliteStore.open({ path })).toThrow(/schema version 999, newer than this Parallax/);
  });

  it('refuses a file that is not a database', () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is plain text, not SQLite '.repeat(200));
    expect(() => SqliteStore.open({ path })).toThrow(/not a Parallax database or is damaged/);
  });

  it('reports a locked database as DB_LOCKED and loses nothing', async () => {
    const path = join(dir, 'locked.db');
    const store = SqliteStore.open({ path, busyTimeoutMs: 100 });
    const a = articleFrom('First article stored before the lock was taken by another writer.');
    await write(store, { articles: [a] });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const b = articleFrom('Second article that cannot be written while the lock is held.');
    await expect(write(store, { articles: [b] })).rejects.toMatchObject({ code: 'DB_LOCKED' });
    other.exec('ROLLBACK');
    other.close();
    expect(await store.countArticles()).toBe(1);
    await write(store, { articles: [b] });
    expect(await store.countArticles()).toBe(2);
    await store.close();
  });

  it('waits for another writer without blocking the event loop, then gives up with DB_LOCKED naming the file', async () => {
    const path = join(dir, 'exclusive-wait.db');
    const store = SqliteStore.open({ path, lockTimeoutMs: 300 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    let ran = false;
    const err = await store.exclusive(async () => void (ran = true)).catch((e: unknown) => e);
    clearInterval(timer);
    expect(err).toMatchObject({ code: 'DB_LOCKED', subject: path });
    expect(String((err as Error).message)).toMatch(/another process has been writing to .*exclusive-wait\.db for more than 0\.3 s/);
    expect(ran).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // timers ran while it waited: a server keeps answering
    expect(ticks).toBeGreaterThan(10);
    // released in time, the wait ends in the lock
    const waiting = store.exclusive(async () => write(store, { articles: [articleFrom('Stored once the other writer let go of the lock.')] }));
    setTimeout(() => other.exec('ROLLBACK'), 100);
    expect((await waiting).map((o) => o.status)).toEqual(['new']);
    other.close();
    await store.close();
  });

  it('lets a waiting writer in between the commits of a writer that commits batch after batch', async () => {
    const path = join(dir, 'exclusive-fair.db');
    const busy = SqliteStore.open({ path });
    const waiting = SqliteStore.open({ path, lockTimeoutMs: 10_000 });
    const spin = (ms: number) => {
      const t = Date.now();
      while (Date.now() - t < ms);
    };
    let stop = false;
    let commits = 0;
    // two queued loops: each commit is followed at once by the next, as uploads queued on a server are
    // (bounded, so that without fairness the test ends, and fails, instead of hanging)
    const loop = async () => {
      while (!stop && commits < 200) {
        await busy.exclusive(async () => {
          await write(busy, { articles: [], states: [{ key: 'k', formatVersion: 1, data: new Uint8Array([commits % 256]) }] });
          spin(20);
        });
        commits++;
      }
    };
    const loops = [loop(), loop()];
    const started = Date.now();
    let waited = 0;
    await waiting.exclusive(async () => void (waited = Date.now() - started));
    stop = true;
    await Promise.all(loops);
    expect(waited).toBeLessThan(1000);
    expect(commits).toBeGreaterThan(0);
    await busy.close();
    await waiting.close();
  });

  it('reports a read-only database as DB_READONLY', async () => {
    const path = join(dir, 'ro.db');
    const s = SqliteStore.open({ path });
    await write(s, { articles: [articleFrom('An article stored before the file became read-only.')] });
    await s.close();
    const ro = SqliteStore.open({ path, readonly: true });
    await expect(write(ro, { articles: [articleFrom('Another article that must not be written.')] })).rejects.toMatchObject({ code: 'DB_READONLY' });
    expect(await ro.countArticles()).toBe(1);
    await ro.close();
    if (process.getuid?.() !== 0) {
      // as a normal user, file permissions make it read-only too (root ignores them)
      chmodSync(path, 0o444);
      const rw = SqliteStore.open({ path });
      await expect(write(rw, { articles: [articleFrom('Yet another article.')] })).rejects.toMatchObject({ code: 'DB_READONLY' });
      await rw.close();
    }
  });
});

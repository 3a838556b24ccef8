import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clusterInputOf } from '../src/cluster/features.js';
import { clusterStream } from '../src/cluster/online.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { connectQueue, deleteQueue, openQueue, queueNames, queueStatus, type QueueStatus } from '../src/queue/queue.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { EXAMPLES, REPO } from './helpers/paths.js';
import { createTestDatabase, dropTestDatabase } from './helpers/postgres.js';
import { CuttableProxy } from './helpers/proxy.js';

/**
 * The queue and its workers as users run them: real `parallax` processes against the real
 * NATS JetStream and PostgreSQL services. Each test has its own database, so its own streams
 * (their names derive from the store); both are removed afterwards.
 */
const QUEUE = process.env['PARALLAX_TEST_NATS'] ?? 'nats://127.0.0.1:4222';
const dir = mkdtempSync(join(tmpdir(), 'parallax-queue-'));
const children: ChildProcess[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const nc = await connectQueue(QUEUE);
  for (const db of databases.splice(0)) {
    await deleteQueue(nc, db);
    await dropTestDatabase(db);
  }
  await nc.drain();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freshDb(): Promise<string> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

function cli(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = cli(args, env);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, out, err };
}

function worker(db: string, extra: string[] = []): ChildProcess {
  const child = cli(['worker', '--db', db, '--queue', QUEUE, '--batch', '20', ...extra]);
  child.stderr!.on('data', () => undefined);
  child.stdout!.on('data', () => undefined);
  return child;
}

async function status(db: string): Promise<QueueStatus> {
  const nc = await connectQueue(QUEUE);
  try {
    return await queueStatus(await openQueue(nc, db));
  } finally {
    await nc.drain();
  }
}

async function until(what: string, cond: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rows<T>(db: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

/** `n` distinct articles built from the example texts: reprints and shared stories among them. */
function stream(n: number, name: string): string {
  const texts = readFileSync(join(EXAMPLES, 'ecbplus-sample.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: `q${i}`, text: `${texts[i % texts.length]}\nUpdate number ${i} from the desk.` }));
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const exited = (c: ChildProcess): Promise<number | null> => (c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.on('exit', (code) => r(code))));

describe('parallax ingest --queue and parallax worker', () => {
  it('enqueue returns at once; two workers store every item once, count bad items failed with their errors, and stop on SIGTERM', async () => {
    const db = await freshDb();
    const good = stream(60, 'good.jsonl');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": "b1", "text": "A valid line about the harbour reopening after the storm damage."}\n{not json\n{"id": "b3", "text": "   "}\n');
    const enq = await run(['ingest', good, bad, '--db', db, '--queue', QUEUE]);
    expect(enq.code, enq.err).toBe(0);
    expect(enq.out).toMatch(/^63 items queued on PARALLAX_[0-9A-F]{16}_ITEMS$/m);
    expect(enq.out).toContain((await queueNames(db)).items);
    expect(await status(db)).toMatchObject({ pending: 63, inFlight: 0, done: 0, failed: 0 });

    const workers = [worker(db), worker(db)];
    await until('all items are done or failed', async () => {
      const s = await status(db);
      return s.done + s.failed === 63;
    });
    const s = await status(db);
    expect(s).toMatchObject({ pending: 0, inFlight: 0, done: 61, failed: 2 });
    expect(s.lastErrors.map((e) => [e.source, e.code])).toEqual(
      expect.arrayContaining([
        [`${bad}:2`, 'INVALID_JSONL'],
        [`${bad}:3`, expect.stringMatching(/EMPTY_INPUT|NO_CONTENT|INVALID_JSONL/)],
      ]),
    );
    // the status command prints the same
    const printed = await run(['queue', 'status', '--db', db, '--queue', QUEUE, '--json']);
    expect(JSON.parse(printed.out)).toMatchObject({ pending: 0, done: 61, failed: 2 });

    const n = (await rows<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles'))[0]!.n;
    expect(n).toBe(61);
    // each article has a story
    const loose = (await rows<{ loose: number }>(db, 'SELECT count(*)::int AS loose FROM articles a LEFT JOIN story_members m ON m.article_id = a.id WHERE m.story_id IS NULL'))[0]!.loose;
    expect(loose).toBe(0);

    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(workers.map(exited))).toEqual([0, 0]);
  }, 180_000);

  it("a worker killed with -9 mid-stream loses nothing and stores nothing twice; the stories are one process's over the stored order", async () => {
    const db = await freshDb();
    const input = stream(400, 'kill.jsonl');
    expect((await run(['ingest', input, '--db', db, '--queue', QUEUE])).code).toBe(0);
    const victim = worker(db);
    const other = worker(db);
    await until('some items are stored', async () => (await rows<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles').catch(() => [{ n: 0 }]))[0]!.n >= 60);
    victim.kill('SIGKILL');
    await exited(victim);
    // its unacknowledged items come back after the ack wait (30 s) to the other worker
    await until('every item is done', async () => (await status(db)).done === 400, 150_000);
    const s = await status(db);
    expect(s).toMatchObject({ pending: 0, inFlight: 0, done: 400, failed: 0 });
    const stored = await rows<{ id: string; version: number; story_id: string | null }>(
      db,
      'SELECT a.id, a.version, m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id ORDER BY a.seq',
    );
    expect(stored).toHaveLength(400);
    expect(new Set(stored.map((r) => r.id)).size).toBe(400);
    expect(stored.every((r) => r.version === 1 && r.story_id !== null)).toBe(true);
    const sizes = (await rows<{ sizes: number }>(db, 'SELECT count(*)::int AS sizes FROM stories s WHERE size <> (SELECT count(*) FROM story_members m WHERE m.story_id = s.id)'))[0]!.sizes;
    expect(sizes).toBe(0);
    // the stories are those one clusterer makes over the articles in the order they were stored
    const store = PostgresStore.open({ url: db, readonly: true });
    const articles = await store.articlesStoredAfter(null, 100_000);
    await store.close();
    const expected = clusterStream(articles.map(clusterInputOf)).map((x) => String(x.story));
    expect(
      scoreClustering(
        expected,
        stored.map((r) => r.story_id!),
      ).bcubed.f1,
    ).toBe(1);
    other.kill('SIGTERM');
    expect(await exited(other)).toBe(0);
  }, 240_000);

  it('an unreachable URL is retried a bounded number of times, then counted failed, while the rest goes on', async () => {
    const db = await freshDb();
    const good = stream(5, 'few.jsonl');
    // port 1 on loopback: refused at once
    expect((await run(['ingest', 'http://127.0.0.1:1/article', good, '--db', db, '--queue', QUEUE, '--allow-private'])).code).toBe(0);
    const w = worker(db);
    await until('the URL is counted failed', async () => (await status(db)).failed === 1, 120_000);
    const s = await status(db);
    expect(s).toMatchObject({ pending: 0, inFlight: 0, done: 5, failed: 1 });
    expect(s.lastErrors[0]).toMatchObject({ source: 'http://127.0.0.1:1/article', code: 'FETCH_FAILED' });
    w.kill('SIGTERM');
    expect(await exited(w)).toBe(0);
  }, 180_000);

  it('a worker that loses PostgreSQL and NATS waits, reconnects and finishes, losing nothing', async () => {
    const db = await freshDb();
    // enough items that the outage comes while some are still queued (a worker that had finished
    // would only be idle through it)
    const total = 600;
    const input = stream(total, 'outage.jsonl');
    expect((await run(['ingest', input, '--db', db, '--queue', QUEUE])).code).toBe(0);
    const pgUrl = new URL(db);
    const natsUrl = new URL(QUEUE);
    const pgProxy = new CuttableProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    const natsProxy = new CuttableProxy(natsUrl.hostname, Number(natsUrl.port || 4222));
    await pgProxy.start();
    await natsProxy.start();
    const viaProxy = new URL(db);
    viaProxy.port = String(pgProxy.port);
    const w = cli(['worker', '--db', viaProxy.toString(), '--queue', `nats://127.0.0.1:${natsProxy.port}`, '--batch', '10']);
    let log = '';
    w.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    w.stdout!.on('data', () => undefined);
    // another URL of the same database: the same store, so the same queue
    expect((await queueNames(viaProxy.toString())).items).toBe((await queueNames(db)).items);
    await until('some items are stored', async () => (await rows<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles').catch(() => [{ n: 0 }]))[0]!.n >= 20);
    await pgProxy.cut();
    await natsProxy.cut();
    expect((await status(db)).done).toBeLessThan(total);
    await new Promise((r) => setTimeout(r, 4000));
    expect(w.exitCode, log).toBeNull();
    await pgProxy.start();
    await natsProxy.start();
    await until('every item is done', async () => (await status(db)).done === total, 180_000);
    const n = (await rows<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles'))[0]!.n;
    expect(n).toBe(total);
    expect(log).toMatch(/waiting/);
    w.kill('SIGTERM');
    expect(await exited(w)).toBe(0);
    await pgProxy.cut();
    await natsProxy.cut();
  }, 300_000);

  it('serve --db postgres:// --queue puts uploads on the queue, and its event stream follows what a worker stored', async () => {
    const db = await freshDb();
    const server = cli(['serve', '--db', db, '--queue', QUEUE, '--port', '0'], { PARALLAX_TOKEN: 'secret-token' });
    server.stderr!.on('data', () => undefined);
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Parallax at (http:\/\/\S+?)\/?\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const events = await fetch(`${base}/api/v1/events`);
    const reader = events.body!.getReader();
    let seen = '';
    const sawChange = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += new TextDecoder().decode(value);
        if (seen.includes('event: store.changed')) return true;
      }
    })();
    await until('the event stream is ready', async () => seen.includes('event: ready'), 30_000);
    const text = 'Firefighters contained a warehouse blaze in the port district overnight, officials said on Tuesday.';
    const res = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token' },
      body: JSON.stringify({ articles: [{ text }] }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ queued: 1 });
    // queued, not stored, until a worker takes it
    expect(((await (await fetch(`${base}/api/v1/articles`)).json()) as { items: unknown[] }).items).toEqual([]);
    worker(db);
    expect(await sawChange).toBe(true);
    const listed = (await (await fetch(`${base}/api/v1/articles`)).json()) as { items: { title: string | null }[] };
    expect(listed.items).toHaveLength(1);
    await reader.cancel();
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
  }, 120_000);

  it('refuses a queue URL that is not nats://, and a worker without a queue', async () => {
    const bad = await run(['ingest', 'x.jsonl', '--db', 'postgres://postgres@127.0.0.1/none', '--queue', 'http://127.0.0.1:4222']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--queue: expected a nats:// URL');
    const none = await run(['worker', '--db', 'postgres://postgres@127.0.0.1/none'], { PARALLAX_QUEUE: '' });
    expect(none.code).toBe(2);
    expect(none.err).toContain('worker: needs --queue');
  }, 60_000);
});

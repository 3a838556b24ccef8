/**
 * Scale-out: the gun-violence dev stream (../shared/data/gun-violence) stored
 *   1. by one `parallax ingest` process on SQLite (the baseline),
 *   2. by one `parallax ingest` process on PostgreSQL (the ingest rate of each store),
 *   3. through the queue: `parallax ingest --queue` then W `parallax worker` processes on PostgreSQL,
 * and the stories of each scored against the labels (B-cubed F1, on the whole stream and on its
 * last 30 % as a held-out part), with the naive baseline (every article its own story).
 * The answers of 3 must be those of 1 within 0.01, with the same article count.
 *
 *   npx tsx bench/scale-out.ts [WORKERS=2] [LIMIT=all]
 * Needs PostgreSQL (PARALLAX_BENCH_PG, default postgres://postgres@127.0.0.1:5432) and NATS
 * (PARALLAX_BENCH_NATS, default nats://127.0.0.1:4222).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { scoreClustering } from '../src/eval/metrics.js';
import { connectQueue, deleteQueue, openQueue, queueStatus } from '../src/queue/queue.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { REPO, machine } from './common.js';

const DATA = resolve(REPO, '../shared/data/gun-violence/articles.jsonl');
if (!existsSync(DATA)) {
  console.error(`bench/scale-out: ${DATA} is missing (the shared tuning data sits beside the checkout)`);
  process.exit(2);
}
const workers = Number(process.argv[2] ?? 2);
const limit = process.argv[3] ? Number(process.argv[3]) : Infinity;
const PG = process.env['PARALLAX_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432';
const NATS = process.env['PARALLAX_BENCH_NATS'] ?? 'nats://127.0.0.1:4222';

const dir = mkdtempSync(join(tmpdir(), 'parallax-scale-'));
const lines = readFileSync(DATA, 'utf8').trim().split('\n').slice(0, limit);
const gold = new Map<string, string>();
for (const l of lines) {
  const r = JSON.parse(l) as { id: string; story: string };
  gold.set(String(r.id), String(r.story));
}
const input = join(dir, 'stream.jsonl');
writeFileSync(input, `${lines.join('\n')}\n`);

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/_cli.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
}
function done(child: ChildProcess): Promise<void> {
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // exit 1 is "some inputs failed, the rest stored": pages that are only boilerplate are refused
  return new Promise((res, rej) => child.on('exit', (code) => (code === 0 || code === 1 ? res() : rej(new Error(`exit ${code}: ${err.slice(-2000)}`)))));
}
async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** Gold and predicted story of every stored article, in stored order. */
async function labels(store: Store): Promise<{ gold: string[]; pred: string[] }> {
  const g: string[] = [];
  const p: string[] = [];
  for (let after = null as Parameters<Store['articlesStoredAfter']>[0]; ;) {
    const page = await store.articlesStoredAfter(after, 1000);
    if (page.length === 0) break;
    const stories = await Promise.all(page.map((a) => store.stories.storyOf(a.id)));
    page.forEach((a, i) => {
      g.push(gold.get(a.externalId ?? '') ?? `unknown:${a.id}`);
      p.push(stories[i] ?? `none:${a.id}`);
    });
    after = page[page.length - 1]!.id;
  }
  return { gold: g, pred: p };
}

function score(l: { gold: string[]; pred: string[] }): string {
  const all = scoreClustering(l.gold, l.pred).bcubed.f1;
  const cut = Math.floor(l.gold.length * 0.7);
  const held = scoreClustering(l.gold.slice(cut), l.pred.slice(cut)).bcubed.f1;
  return `B-cubed F1 ${all.toFixed(3)} (held-out last 30 %: ${held.toFixed(3)})`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

console.log(`machine: ${machine()} (shared with other jobs: timings are indicative)`);
console.log(`stream: ${lines.length} gun-violence dev articles, ${gold.size} ids, ${new Set(gold.values()).size} gold stories`);
const singletons = scoreClustering([...gold.values()], [...gold.keys()]);
console.log(`naive baseline (each article its own story): B-cubed F1 ${singletons.bcubed.f1.toFixed(3)}`);

const sqlite = join(dir, 'one.db');
const [, tSqlite] = await timed(() => done(cli(['ingest', input, '--db', sqlite, '--json'])));
const sqliteStore = openStore(sqlite, { mustExist: true });
const sqliteLabels = await labels(sqliteStore);
await sqliteStore.close();
console.log(`SQLite, one process: ${sqliteLabels.gold.length} articles in ${tSqlite.toFixed(1)} s (${(sqliteLabels.gold.length / tSqlite).toFixed(0)} articles/s); ${score(sqliteLabels)}`);

const name = `parallax_bench_${process.pid}`;
const one = `${PG}/${name}_one`;
const many = `${PG}/${name}_many`;
try {
  const [, tPg] = await timed(() => done(cli(['ingest', input, '--db', one, '--json'])));
  const pgOne = openStore(one, { mustExist: true });
  const pgOneLabels = await labels(pgOne);
  await pgOne.close();
  console.log(`PostgreSQL, one process: ${pgOneLabels.gold.length} articles in ${tPg.toFixed(1)} s (${(pgOneLabels.gold.length / tPg).toFixed(0)} articles/s); ${score(pgOneLabels)}`);

  const [, tEnq] = await timed(() => done(cli(['ingest', input, '--db', many, '--queue', NATS, '--json'])));
  const nc = await connectQueue(NATS);
  const q = await openQueue(nc, many);
  const started = performance.now();
  const procs = Array.from({ length: workers }, () => cli(['worker', '--db', many, '--queue', NATS, '--batch', '50']));
  const exits = procs.map(done);
  for (;;) {
    const s = await queueStatus(q, 0);
    if (s.pending === 0 && s.inFlight === 0 && s.done + s.failed >= lines.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const tWork = (performance.now() - started) / 1000;
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(exits);
  const pgMany = openStore(many, { mustExist: true });
  const manyLabels = await labels(pgMany);
  await pgMany.close();
  console.log(
    `PostgreSQL, queue: enqueued in ${tEnq.toFixed(1)} s; ${workers} workers stored ${manyLabels.gold.length} articles in ${tWork.toFixed(1)} s (${(manyLabels.gold.length / tWork).toFixed(0)} articles/s, worker start-up included); ${score(manyLabels)}`,
  );
  const diff = Math.abs(scoreClustering(manyLabels.gold, manyLabels.pred).bcubed.f1 - scoreClustering(sqliteLabels.gold, sqliteLabels.pred).bcubed.f1);
  const same = manyLabels.gold.length === sqliteLabels.gold.length && diff <= 0.01;
  console.log(`same answers as SQLite, one process: ${same ? 'yes' : 'NO'} (article counts ${manyLabels.gold.length} vs ${sqliteLabels.gold.length}, B-cubed difference ${diff.toFixed(4)})`);
  if (!same) process.exitCode = 1;
  await deleteQueue(nc, many);
  await nc.drain();
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name}_one WITH (FORCE)`).catch(() => undefined);
  await admin(`DROP DATABASE IF EXISTS ${name}_many WITH (FORCE)`).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

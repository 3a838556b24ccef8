/**
 * Ingest with every stage the CLI runs (dedup and story assignment), on a long dated stream
 * built as in bench/cluster.ts: ECB+ stories as synthetic events with their own names, 0.5
 * days apart, each ECB+ story coming back a year later as a new event. The stream is
 * ingested file by file (as a feed poller or a daily import would), and each file's rate is
 * reported with the size of the clustering state saved with every batch: both should stay
 * flat as the store grows.
 *
 *   npx tsx bench/ingest-stories.ts [N=50000] [FILES=5] [sqlite|postgres]
 *
 * With `postgres` the store is a fresh database on PARALLAX_BENCH_PG (default
 * postgres://postgres@127.0.0.1:5432), dropped afterwards; the database's size is reported
 * beside the process's memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openEngine } from '../src/engine/pipeline.js';
import { openStore } from '../src/store/open.js';
import { machine, mb, syntheticStreamLines, writeParts } from './common.js';

const n = Number(process.argv[2] ?? 50_000);
const files = Number(process.argv[3] ?? 5);
const kind = process.argv[4] ?? 'sqlite';
if (kind !== 'sqlite' && kind !== 'postgres') {
  console.error(`bench/ingest-stories: the store is sqlite or postgres, not ${kind}`);
  process.exit(2);
}
const PG = process.env['PARALLAX_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432';
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-'));
const paths = writeParts(dir, syntheticStreamLines(n), files);
const dbPath = join(dir, 'parallax.db');
const pgName = `parallax_bench_${process.pid}`;
const admin = kind === 'postgres' ? new pg.Client({ connectionString: `${PG}/postgres` }) : null;
if (admin) {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pgName}`);
}
const location = kind === 'postgres' ? `${PG}/${pgName}` : dbPath;

/** The saved clustering state's size and the stored story count, read beside the engine. */
async function storeFigures(): Promise<{ stateBytes: number; stories: number; dbBytes: number | null }> {
  if (kind === 'sqlite') {
    const db = new Database(dbPath, { readonly: true });
    const state = db.prepare("SELECT length(data) AS bytes FROM stage_state WHERE key = 'cluster'").get() as { bytes: number };
    const count = db.prepare('SELECT count(*) AS c FROM stories').get() as { c: number };
    db.close();
    return { stateBytes: state.bytes, stories: count.c, dbBytes: null };
  }
  const c = new pg.Client({ connectionString: location });
  await c.connect();
  const state = await c.query<{ bytes: string }>("SELECT octet_length(data) AS bytes FROM stage_state WHERE key = 'cluster'");
  const count = await c.query<{ c: string }>('SELECT count(*) AS c FROM stories');
  const size = await c.query<{ s: string }>('SELECT pg_database_size(current_database()) AS s');
  await c.end();
  return { stateBytes: Number(state.rows[0]!.bytes), stories: Number(count.rows[0]!.c), dbBytes: Number(size.rows[0]!.s) };
}

console.log(`machine: ${machine()}`);
console.log(`store: ${kind}`);
console.log(`stream: ${n} dated articles (ECB+ stories as synthetic events), ingested in ${files} files with dedup and story assignment`);
const tAll = performance.now();
for (const [f, p] of paths.entries()) {
  // a new engine per file, as separate CLI runs: it opens the saved clustering state
  const engine = openEngine(openStore(location));
  const t0 = performance.now();
  const report = await engine.ingest([p]);
  const secs = (performance.now() - t0) / 1000;
  await engine.close();
  const fig = await storeFigures();
  const rss = mb(process.memoryUsage().rss);
  const dbSize = fig.dbBytes === null ? '' : `; database ${mb(fig.dbBytes)}`;
  console.log(
    `  file ${f + 1}: ${report.new} articles in ${secs.toFixed(1)} s = ${(report.new / secs).toFixed(0)} articles/s; clustering state ${mb(fig.stateBytes)}; stories in store ${fig.stories}; RSS ${rss}${dbSize}`,
  );
}
const total = (performance.now() - tAll) / 1000;
console.log(`total: ${n} articles in ${total.toFixed(1)} s = ${(n / total).toFixed(0)} articles/s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
rmSync(dir, { recursive: true, force: true });
if (admin) {
  await admin.query(`DROP DATABASE ${pgName} WITH (FORCE)`);
  await admin.end();
}

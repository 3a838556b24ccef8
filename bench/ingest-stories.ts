/**
 * Ingest with every stage the CLI runs (dedup and story assignment), on a long dated stream
 * built as in bench/cluster.ts: ECB+ stories as synthetic events with their own names, 0.5
 * days apart, each ECB+ story coming back a year later as a new event. The stream is
 * ingested file by file (as a feed poller or a daily import would), and each file's rate is
 * reported with the size of the clustering state saved with every batch: both should stay
 * flat as the store grows.
 *
 *   npx tsx bench/ingest-stories.ts [N=50000] [FILES=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../src/engine/pipeline.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { machine, mb, syntheticStreamLines, writeParts } from './common.js';

const n = Number(process.argv[2] ?? 50_000);
const files = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-'));
const paths = writeParts(dir, syntheticStreamLines(n), files);
const dbPath = join(dir, 'parallax.db');
console.log(`machine: ${machine()}`);
console.log(`stream: ${n} dated articles (ECB+ stories as synthetic events), ingested in ${files} files with dedup and story assignment`);
const tAll = performance.now();
for (const [f, p] of paths.entries()) {
  // a new engine per file, as separate CLI runs: it opens the saved clustering state
  const engine = openEngine(SqliteStore.open({ path: dbPath }));
  const t0 = performance.now();
  const report = await engine.ingest([p]);
  const secs = (performance.now() - t0) / 1000;
  await engine.close();
  const db = new Database(dbPath, { readonly: true });
  const state = db.prepare("SELECT length(data) AS bytes FROM stage_state WHERE key = 'cluster'").get() as { bytes: number };
  const count = db.prepare('SELECT count(*) AS c FROM stories').get() as { c: number };
  db.close();
  console.log(`  file ${f + 1}: ${report.new} articles in ${secs.toFixed(1)} s = ${(report.new / secs).toFixed(0)} articles/s; clustering state ${mb(state.bytes)}; stories in store ${count.c}`);
}
const total = (performance.now() - tAll) / 1000;
console.log(`total: ${n} articles in ${total.toFixed(1)} s = ${(n / total).toFixed(0)} articles/s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
rmSync(dir, { recursive: true, force: true });

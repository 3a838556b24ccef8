/**
 * Several writers on one store: two `parallax ingest` processes at once against the same two
 * ingests one after the other, on the dated synthetic stream of bench/cluster.ts split in two
 * (even lines to one writer, odd to the other, so their events interleave). Reports the time of
 * each, how many times the writers took turns, and checks that the concurrent store holds the
 * stories one clusterer makes over the articles in the order they were stored (the guarantee
 * of Store.exclusive and Stage.catchUp; B-cubed agreement 1.000 expected).
 *
 *   npx tsx bench/writers.ts [N=16000] [BATCH=500]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { clusterInputOf } from '../src/cluster/features.js';
import { clusterStream } from '../src/cluster/online.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { REPO, machine, syntheticStreamLines } from './common.js';

const n = Number(process.argv[2] ?? 16_000);
const batch = Number(process.argv[3] ?? 500);
const dir = mkdtempSync(join(tmpdir(), 'parallax-writers-'));
const lines = syntheticStreamLines(n);
const files = [0, 1].map((k) => {
  const f = join(dir, `writer-${k}.jsonl`);
  writeFileSync(f, `${lines.filter((_, i) => i % 2 === k).join('\n')}\n`);
  return f;
});

function ingest(file: string, db: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/_cli.ts'), 'ingest', file, '--db', db, '--batch-size', String(batch), '--workers', '0', '--json'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ingest ${file} exited ${code}: ${err}`)))));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

console.log(`machine: ${machine()}`);
console.log(`stream: ${n} dated synthetic articles (bench/cluster.ts), two files of ${n / 2}, batch ${batch}, no workers`);
const sequential = join(dir, 'sequential.db');
const concurrent = join(dir, 'concurrent.db');
const tSeq = await timed(async () => {
  await ingest(files[0]!, sequential);
  await ingest(files[1]!, sequential);
});
const tPar = await timed(() => Promise.all(files.map((f) => ingest(f, concurrent))));

const d = new Database(concurrent, { readonly: true });
const stored = d.prepare('SELECT a.source, m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id ORDER BY a.seq').all() as { source: string; story_id: string | null }[];
d.close();
let turns = 0;
for (let i = 1; i < stored.length; i++) if (stored[i]!.source.split(':')[0] !== stored[i - 1]!.source.split(':')[0]) turns++;
const store = SqliteStore.open({ path: concurrent, readonly: true });
const articles = await store.articlesStoredAfter(null, n + 1);
await store.close();
const expected = clusterStream(articles.map(clusterInputOf)).map((x) => String(x.story));
const agreement = scoreClustering(
  expected,
  stored.map((r) => r.story_id ?? 'none'),
).bcubed.f1;
console.log(`one after the other: ${tSeq.toFixed(1)} s`);
console.log(
  `at once: ${tPar.toFixed(1)} s (${((tPar / tSeq - 1) * 100).toFixed(0)} %), ${turns} turns between the writers; stories against one clusterer over the stored order: B-cubed ${agreement.toFixed(3)}`,
);
rmSync(dir, { recursive: true, force: true });
if (agreement !== 1) process.exitCode = 1;

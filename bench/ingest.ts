/**
 * Ingest throughput: the ECB+ development articles repeated (each copy made distinct)
 * to N articles, written as one JSON Lines file and ingested into a new SQLite file by
 * the same engine the CLI uses. Baseline in the same run: inserting the same raw texts
 * into a bare SQLite table, no analysis (the floor of what storage costs).
 *
 *   npx tsx bench/ingest.ts [N=20000]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { loadEcb, machine, mb } from './common.js';

const n = Number(process.argv[2] ?? 20000);
const rows = loadEcb();
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-'));
const input = join(dir, 'stream.jsonl');
const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const r = rows[i % rows.length]!;
  lines.push(JSON.stringify({ id: `${r.id}#${i}`, url: r.url ? `${r.url}#copy${i}`.replace('#', `?copy=${i}#`) : null, text: `${r.text}\nCopy ${i}.` }));
}
writeFileSync(input, `${lines.join('\n')}\n`);
const words = lines.reduce((s, l) => s + l.split(' ').length, 0) / n;

// baseline: bare inserts of the raw lines in batches of 500
{
  const db = new Database(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < n; i += 500) {
    db.transaction(() => {
      for (let j = i; j < Math.min(n, i + 500); j++) ins.run(String(j), lines[j]);
    })();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`baseline (bare SQLite insert of raw lines): ${(n / s).toFixed(0)} articles/s`);
  db.close();
}

const dbPath = join(dir, 'parallax.db');
const store = SqliteStore.open({ path: dbPath });
const engine = new Engine({ store });
const t0 = performance.now();
const report = await engine.ingest([input]);
const secs = (performance.now() - t0) / 1000;
await engine.close();
const size =
  statSync(dbPath).size +
  (() => {
    try {
      return statSync(`${dbPath}-wal`).size;
    } catch {
      return 0;
    }
  })();
console.log(`machine: ${machine()}`);
console.log(`corpus: ECB+ dev articles x ${(n / rows.length).toFixed(1)} = ${n} articles, ~${words.toFixed(0)} words each`);
console.log(`parallax ingest (read, normalise, metadata, sentences, language, SQLite + FTS5): ${n} articles in ${secs.toFixed(2)} s = ${(n / secs).toFixed(0)} articles/s`);
console.log(`new ${report.new}, failed ${report.failed.length}; database ${mb(size)}; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
rmSync(dir, { recursive: true, force: true });

/**
 * 1 against 2 `parallax worker` processes on PostgreSQL, on a page-heavy input: N HTML pages
 * generated from the ECB+ articles (as bench/ingest-html.ts), queued with `parallax ingest
 * --queue`. Page extraction (jsdom and Readability) is most of the work and runs in every
 * worker at once; storing and story assignment take turns. Times from the first worker's
 * start to the last item done (worker start-up included). Checks that both runs store the
 * same articles, and how far their stories agree (B-cubed; the stored order differs between
 * runs, and each run's stories are those of one clusterer over its own stored order).
 *
 *   npx tsx bench/scale-workers.ts [N=600]
 * On a machine with C cores the ideal for 2 workers is min(2, C) times faster, less the
 * share of the sequential turn.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { scoreClustering } from '../src/eval/metrics.js';
import { connectQueue, deleteQueue, openQueue, queueStatus } from '../src/queue/queue.js';
import { ECBPLUS, loadEcb, machine, REPO } from './common.js';

if (!existsSync(ECBPLUS)) {
  console.error(`bench/scale-workers: ${ECBPLUS} is missing (the shared tuning data sits beside the checkout)`);
  process.exit(2);
}
const n = Number(process.argv[2] ?? 600);
const PG = process.env['PARALLAX_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432';
const NATS = process.env['PARALLAX_BENCH_NATS'] ?? 'nats://127.0.0.1:4222';
const rows = loadEcb();
const dir = mkdtempSync(join(tmpdir(), 'parallax-scale-w-'));
const pages = join(dir, 'pages');
mkdirSync(pages);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
for (let i = 0; i < n; i++) {
  const r = rows[i % rows.length]!;
  const paras = r.text
    .split('\n')
    .map((p) => `<p>${esc(p)} (${i})</p>`)
    .join('\n');
  const day = String(1 + (i % 28)).padStart(2, '0');
  writeFileSync(
    join(pages, `p${String(i).padStart(5, '0')}.html`),
    `<!doctype html><html lang="en"><head><title>Story ${i} | The Daily Example</title><meta property="og:site_name" content="The Daily Example">` +
      `<meta property="article:published_time" content="2024-02-${day}T10:00:00Z"></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>` +
      `<article><h1>Story ${i}</h1>${paras}</article><aside class="related">Related: other stories</aside><footer>Copyright 2024 The Daily Example</footer></body></html>`,
  );
}

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/_cli.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
}
function exit(child: ChildProcess): Promise<void> {
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`exit ${code}: ${err.slice(-2000)}`)))));
}
async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

console.log(`machine: ${machine()}, ${availableParallelism()} cores (shared with other jobs: timings are indicative)`);
console.log(`input: ${n} generated HTML pages from the ECB+ articles`);
const results: { ids: string; story: Map<string, string> }[] = [];
for (const workers of [1, 2]) {
  const name = `parallax_bench_w${workers}_${process.pid}`;
  const db = `${PG}/${name}`;
  try {
    await exit(cli(['ingest', pages, '--db', db, '--queue', NATS, '--json']));
    const nc = await connectQueue(NATS);
    const q = await openQueue(nc, db);
    const t0 = performance.now();
    const procs = Array.from({ length: workers }, () => cli(['worker', '--db', db, '--queue', NATS, '--batch', '25']));
    const exits = procs.map(exit);
    for (;;) {
      const s = await queueStatus(q, 0);
      if (s.pending === 0 && s.inFlight === 0 && s.done + s.failed >= n) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const secs = (performance.now() - t0) / 1000;
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(exits);
    await deleteQueue(nc, db);
    await nc.drain();
    const articles = await query<{ id: string; text: string }>(db, 'SELECT id, text FROM articles ORDER BY id');
    const members = await query<{ article_id: string; story_id: string }>(db, 'SELECT article_id, story_id FROM story_members');
    results.push({ ids: JSON.stringify(articles), story: new Map(members.map((m) => [m.article_id, m.story_id])) });
    console.log(`  ${workers} worker${workers > 1 ? 's' : ''}: ${articles.length} articles in ${secs.toFixed(1)} s = ${(n / secs).toFixed(1)} pages/s`);
  } finally {
    const c = new pg.Client({ connectionString: `${PG}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}
const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
const ids = [...a.story.keys()];
const agreement = scoreClustering(
  ids.map((id) => a.story.get(id)!),
  ids.map((id) => b.story.get(id) ?? `none:${id}`),
).bcubed.f1;
console.log(`same articles with 1 and 2 workers: ${a.ids === b.ids}; their stories agree at B-cubed ${agreement.toFixed(3)}`);
rmSync(dir, { recursive: true, force: true });

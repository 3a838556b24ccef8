/**
 * HTTP API and story page under load. Builds a store of N articles (default 10,000): the
 * ECB+ development articles repeated, each repetition dated 400 days after the previous one
 * so that every repetition forms its own stories (about 13 x 66 stories of ~12 articles; at
 * 60 days apart, identical texts rightly join the earlier story through the 90-day time decay,
 * and the store would hold 13 times fewer, larger stories).
 * Then, on loopback with autocannon (100 connections, 10 s each):
 *   - GET /api/v1/stories/:id for a median-sized story (the story page's data),
 *   - GET /api/v1/stories/:id/comparison for the same story (when the comparison route exists),
 *   - GET /api/v1/stories?sort=largest (the story list),
 * and the time for chromium to render the story page. Baseline in the same run:
 * GET /api/v1/openapi.json (a static JSON document through the same stack).
 *
 *   npx tsx bench/api.ts [N=10000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ClusterStage } from '../src/stages/cluster.js';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from '../test/helpers/browser.js';
import { loadEcb, machine, REPO } from './common.js';

const n = Number(process.argv[2] ?? 10000);
const rows = loadEcb();
const dir = mkdtempSync(join(tmpdir(), 'parallax-api-bench-'));
const input = join(dir, 'stream.jsonl');
const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const rep = Math.floor(i / rows.length);
  const r = rows[i % rows.length]!;
  const day = new Date(Date.UTC(2020, 0, 1) + rep * 400 * 86_400_000).toISOString().slice(0, 10);
  lines.push(JSON.stringify({ id: `${r.id}#${rep}`, text: `${r.text}\nCopy ${rep}.`, published: day, outlet: `Outlet ${i % 17}` }));
}
writeFileSync(input, `${lines.join('\n')}\n`);

const engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'api.db') }), stages: [new ClusterStage()] });
const t0 = performance.now();
await engine.ingest([input]);
const ingestSecs = (performance.now() - t0) / 1000;
const server = await listen(createApp({ engine, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
const { items, total } = await engine.store.stories.list({ limit: 100_000, sort: 'largest' });
const median = items[Math.floor(items.length / 2)]!;
console.log(`machine: ${machine()}`);
console.log(`store: ${n} articles (ingested with clustering in ${ingestSecs.toFixed(1)} s), ${total} stories; median story ${median.id} has ${median.size} articles`);

async function load(path: string, label: string): Promise<void> {
  const probe = await fetch(`${server.url}${path}`);
  if (probe.status !== 200) {
    console.log(`${label}: skipped (HTTP ${probe.status})`);
    return;
  }
  // the load comes from a second process (autocannon's CLI), so it does not share the server's event loop
  const out = await new Promise<string>((resolve) => {
    const child = spawn(join(REPO, 'node_modules/.bin/autocannon'), ['-c', '100', '-d', '10', '-j', `${server.url}${path}`]);
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('exit', () => resolve(buf));
  });
  const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number; max: number }; errors: number; non2xx: number };
  console.log(
    `${label.padEnd(34)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  errors ${r.errors + r.non2xx}`,
  );
}

await load('/api/v1/openapi.json', 'baseline: openapi.json');
await load(`/api/v1/stories/${median.id}`, 'story (GET /stories/:id)');
await load(`/api/v1/stories/${median.id}/comparison`, 'comparison (GET /stories/:id/comparison)');
await load('/api/v1/stories?sort=largest&limit=50', 'story list (50, largest)');

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
for (const [label, hash, selector] of [
  ['story list render', '#/', '.story-row'],
  ['story page render', `#/story/${median.id}`, '#sources .column, .error'],
] as const) {
  await page.goto('about:blank');
  const start = performance.now();
  await page.goto(`${server.url}/${hash}`);
  await page.waitForSelector(selector, { timeout: 30_000 });
  console.log(`${label.padEnd(34)} ${(performance.now() - start).toFixed(0)} ms (navigation to rendered content, chromium headless)`);
}
await browser.close();
await server.close(200);
await engine.close();
rmSync(dir, { recursive: true, force: true });

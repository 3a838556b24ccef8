/**
 * Live sources at scale: 500 loopback feeds (each on its own host, 127.0.x.y) of 20
 * summary-only items, polled by the same Poller and Engine as `parallax watch`.
 *   1. first poll: every item is new and its page is fetched, extracted and ingested
 *      (reprints, stories): polls/s, full pages/s, peak memory;
 *   2. second poll, nothing changed: every feed answers 304 (target: under 10 s for 500);
 *   3. baseline, same run: the second poll again with the server ignoring validators (200 with
 *      the whole feed every time, items recognised as seen), what a poller without
 *      conditional requests pays.
 * The feed sites run in a child process (bench/_feed-hosts.ts).
 *
 *   npx tsx bench/sources.ts [FEEDS=500] [ITEMS=20] [CONCURRENCY=8]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../src/engine/pipeline.js';
import { Poller, type PollReport } from '../src/sources/poller.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ECBPLUS, REPO, machine, mb } from './common.js';

if (!existsSync(ECBPLUS)) {
  console.error(`bench/sources: ${ECBPLUS} is missing (the ECB+ development data beside the checkout)`);
  process.exit(2);
}
const feeds = Number(process.argv[2] ?? 500);
const items = Number(process.argv[3] ?? 20);
const concurrency = Number(process.argv[4] ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-sources-'));

const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/_feed-hosts.ts'), String(feeds), String(items), ECBPLUS], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.on('exit', (c) => reject(new Error(`feed hosts exited ${c}`)));
});
const hostOf = (i: number): string => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

const store = SqliteStore.open({ path: join(dir, 'bench.db') });
const engine = openEngine(store);
const repo = store.sources;
for (let i = 0; i < feeds; i++) {
  await repo.add({
    url: `http://${hostOf(i)}:${port}/feed.xml`,
    siteUrl: null,
    title: null,
    kind: 'feed',
    format: null,
    intervalSeconds: 900,
    allowPrivate: true,
    follow: 'auto',
    addedAt: new Date().toISOString(),
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function round(name: string, hostDelayMs: number): Promise<{ s: number; reports: PollReport[] }> {
  const poller = new Poller({ engine, repo, hostDelayMs, concurrency });
  const t = performance.now();
  const reports = await poller.pollAll(await repo.list());
  const s = (performance.now() - t) / 1000;
  const failed = reports.filter((r) => !r.ok);
  const sum = (k: 'pages' | 'summaries' | 'stored' | 'new') => reports.reduce((n, r) => n + r[k], 0);
  const notModified = reports.filter((r) => r.notModified).length;
  console.log(
    `${name}: ${reports.length} polls in ${s.toFixed(2)} s = ${(reports.length / s).toFixed(1)} polls/s; ${notModified} x 304; ${sum('new')} new items, ${sum('pages')} full pages (${(sum('pages') / s).toFixed(1)} pages/s), ${sum('summaries')} summaries; ${failed.length} failed${failed[0] ? ` (first: ${failed[0].error})` : ''}; host delay ${hostDelayMs} ms, concurrency ${concurrency}`,
  );
  return { s, reports };
}

console.log(`machine: ${machine()} (shared with other jobs)`);
console.log(`corpus: ${feeds} loopback feeds on ${feeds} hosts x ${items} summary-only items; pages carry ECB+ texts (${ECBPLUS.split('/').slice(-3).join('/')})`);
// the first poll fetches 20 pages per host: with the default 1 s between requests to a host it
// would measure the delay, not the work, so it runs with none; the 304 polls (one request per
// host) keep the default
const first = await round('first poll (all new, pages followed)', 0);
const heapAfter = process.memoryUsage().heapUsed;
console.log(`memory: peak RSS ${mb(peakRss)}, heap after first poll ${mb(heapAfter)}; ${await store.countArticles()} articles stored`);
const second = await round('second poll (unchanged, conditional)', 1000);
await fetch(`http://${hostOf(0)}:${port}/__conditional/off`);
const baseline = await round('baseline: second poll without validators (200, items already seen)', 1000);
console.log(`304 poll of ${feeds} feeds: ${second.s.toFixed(2)} s (target < 10 s: ${second.s < 10 ? 'met' : 'MISSED'}); without conditional requests ${baseline.s.toFixed(2)} s`);
console.log(`first poll: ${first.reports.length} polls, ${(first.reports.reduce((n, r) => n + r.pages, 0) / first.s).toFixed(1)} full pages/s`);
clearInterval(sampler);
console.log(`peak RSS over the run: ${mb(peakRss)}`);
await engine.close();
child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

/**
 * Story list filters at scale, uncached (the store's query, as the API runs it on a cache
 * miss). Builds a store of N articles (default 10,000: the ECB+ dev articles repeated, each
 * repetition 400 days after the last so each forms its own stories, 17 outlets), then times
 * each filter's first page (50, newest) and its total, median of 15 runs. Baseline in the same
 * run: the unfiltered first page.
 *
 *   npx tsx bench/story-filters.ts [N=10000]
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterStage } from '../src/stages/cluster.js';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { StoryQuery } from '../src/store/store.js';
import { ECBPLUS, loadEcb, machine } from './common.js';

if (!existsSync(ECBPLUS)) {
  console.error(`story-filters: needs the ECB+ dev data at ${ECBPLUS}`);
  process.exit(2);
}
const n = Number(process.argv[2] ?? 10000);
const rows = loadEcb();
const dir = mkdtempSync(join(tmpdir(), 'parallax-filter-bench-'));
const input = join(dir, 'stream.jsonl');
const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const rep = Math.floor(i / rows.length);
  const r = rows[i % rows.length]!;
  const day = new Date(Date.UTC(2020, 0, 1) + rep * 400 * 86_400_000).toISOString().slice(0, 10);
  lines.push(JSON.stringify({ id: `${r.id}#${rep}`, text: `${r.text}\nCopy ${rep}.`, published: day, outlet: `Outlet ${i % 17}` }));
}
writeFileSync(input, `${lines.join('\n')}\n`);
const store = SqliteStore.open({ path: join(dir, 'f.db') });
const engine = new Engine({ store, stages: [new ClusterStage()] });
const t0 = performance.now();
await engine.ingest([input]);
const { total } = await store.stories.list({ limit: 1 });
console.log(`machine: ${machine()}`);
console.log(`store: ${n} articles, ${total} stories (ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

async function time(label: string, q: Omit<StoryQuery, 'limit'>): Promise<void> {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    found = (await store.stories.list({ limit: 50, sort: 'newest', ...q })).total;
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${runs[7]!.toFixed(1).padStart(6)} ms  max ${runs[14]!.toFixed(1).padStart(6)} ms  (${found} stories)`);
}

await time('baseline: first page, no filter', {});
await time('words, common ("police")', { search: 'police' });
await time('words, rare ("Qeshm")', { search: 'Qeshm' });
await time('outlet ("outlet 3", any case)', { outlet: 'outlet 3' });
await time('date range (one year)', { since: '2021-01-01', until: '2022-01-01' });
await time('min. 2 articles', { minArticles: 2 });
await time('min. 5 outlets', { minOutlets: 5 });
await time('all together', { search: 'police', outlet: 'Outlet 3', since: '2020-01-01', minArticles: 2, minOutlets: 2 });
await engine.close();
rmSync(dir, { recursive: true, force: true });

/**
 * Clustering speed and memory on a long synthetic stream built from the ECB+ development
 * articles: each synthetic story is a real ECB+ story whose articles carry a story-specific
 * marker name (so copies of one ECB+ story at different times are different events) and a
 * date; stories start one after another, 0.5 days apart, so older stories go quiet and leave
 * the active set. The same ECB+ story comes back every 66 stories: its copies are dated a year
 * apart (the stream's calendar advances a year per round), as a recurring kind of event would be. Reports articles/s per segment of the stream (time per article should stay
 * flat), the active set size and memory.
 *
 *   node --expose-gc --import tsx bench/cluster.ts [N=100000]
 *
 * CLUSTER_PARAMS='{"adoptThreshold":0}' (JSON) overrides parameters, to measure a baseline
 * without one mechanism in the same session.
 *
 * It ends with a SHA-256 of the assignments (each arrival's assignment as returned, then each
 * article's final story), so that a change meant to keep behaviour can show it does, and one
 * of the partition alone (each story named by its first article), which stays the same
 * across a change of how stories are named.
 * CLUSTER_SAVE_STATE=path writes the final state there as JSON (bench/cluster-state.ts reads it).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { OnlineClusterer, StoryTracker } from '../src/cluster/online.js';
import { loadEcb, machine, mb } from './common.js';

const n = Number(process.argv[2] ?? 100_000);
const rows = loadEcb();
const byStory = new Map<string, string[]>();
for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r.text]);
const stories = [...byStory.values()];
const c = new OnlineClusterer(process.env.CLUSTER_PARAMS ? (JSON.parse(process.env.CLUSTER_PARAMS) as ConstructorParameters<typeof OnlineClusterer>[0]) : {});
const base = Date.UTC(2020, 0, 1);
const segment = Math.max(1, Math.floor(n / 10));
console.log(`machine: ${machine()}`);
if (process.env.CLUSTER_PARAMS) console.log(`params: ${process.env.CLUSTER_PARAMS}`);
console.log(`stream: ${n} articles; synthetic stories of ECB+ stories (mean ${(rows.length / stories.length).toFixed(1)} articles), 0.5 days apart`);
const hash = createHash('sha256');
const tracker = new StoryTracker();
let t0 = performance.now();
const tAll = performance.now();
let i = 0;
let s = 0;
while (i < n) {
  const src = stories[s % stories.length]!;
  const marker = `Zorv${s.toString(36)}`;
  const round = Math.floor(s / stories.length);
  const day = base + s * 43_200_000 + round * 365 * 86_400_000;
  for (let k = 0; k < src.length && i < n; k++, i++) {
    // articles of one story interleave with the next two stories' articles in real streams;
    // here they arrive over ~2 days of stream time
    const published = new Date(day + k * 3_600_000 * 4).toISOString();
    const a = c.add({ id: `x${i}`, text: `${marker} ${src[k]} ${marker} Kel${marker}.`, published });
    hash.update(JSON.stringify(a)).update('\n');
    tracker.add(a);
    if ((i + 1) % segment === 0) {
      const secs = (performance.now() - t0) / 1000;
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      console.log(
        `  ${String(i + 1).padStart(8)} articles: ${(segment / secs).toFixed(0).padStart(6)} articles/s in this segment; active stories ${c.activeCount()}; heap ${mb(mem.heapUsed)}, RSS ${mb(mem.rss)}`,
      );
      t0 = performance.now();
    }
  }
  s++;
}
const total = (performance.now() - tAll) / 1000;
console.log(`total: ${n} articles in ${total.toFixed(1)} s = ${(n / total).toFixed(0)} articles/s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
const final = tracker.result().map((x) => x.story);
for (const story of final) hash.update(`${story},`);
// the partition alone (each story named by its first article), comparable across versions that name stories differently
const first = new Map<string, number>();
const partition = createHash('sha256');
final.forEach((story, j) => partition.update(`${first.get(story) ?? (first.set(story, j), j)},`));
console.log(`stories: ${first.size}; assignments sha256: ${hash.digest('hex')}; partition sha256: ${partition.digest('hex')}`);
if (process.env.CLUSTER_SAVE_STATE) writeFileSync(process.env.CLUSTER_SAVE_STATE, JSON.stringify(c.toState()));

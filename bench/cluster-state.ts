/**
 * Loading a saved clustering state: JSON.parse, then OnlineClusterer.fromState (which parses
 * the state with its codec, src/cluster/state.ts, before building the clusterer), and the
 * codec alone. The state is a file written by bench/cluster.ts:
 *
 *   CLUSTER_SAVE_STATE=/tmp/state.json node --expose-gc --import tsx bench/cluster.ts 100000
 *   node --expose-gc --import tsx bench/cluster-state.ts /tmp/state.json [rounds=7]
 *
 * Reports the median of `rounds` loads of each.
 */
import { readFileSync } from 'node:fs';
import { OnlineClusterer } from '../src/cluster/online.js';
import { machine } from './common.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: bench/cluster-state.ts STATE.json [rounds]');
  process.exit(2);
}
const rounds = Number(process.argv[3] ?? 7);
const text = readFileSync(path, 'utf8');
// the codec, where this checkout has one (a checkout before it only casts)
const codec = await import('../src/cluster/state.js').then(
  (m: { parseClusterState?: (raw: unknown) => unknown }) => m.parseClusterState ?? null,
  () => null,
);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void): number => {
  gc();
  const t = performance.now();
  f();
  return performance.now() - t;
};
const state = JSON.parse(text) as { stories: unknown[]; vocab: unknown[] };
console.log(`machine: ${machine()}`);
console.log(`state: ${(text.length / 1e6).toFixed(1)} MB, ${state.stories.length} live stories, ${state.vocab.length} vocabulary entries`);
const parse: number[] = [];
const load: number[] = [];
const check: number[] = [];
for (let r = 0; r < rounds; r++) {
  parse.push(time(() => JSON.parse(text) as unknown));
  const raw = JSON.parse(text) as unknown;
  load.push(time(() => OnlineClusterer.fromState(raw)));
  if (codec) check.push(time(() => codec(raw)));
}
console.log(
  `JSON.parse ${median(parse).toFixed(1)} ms; fromState ${median(load).toFixed(1)} ms${codec ? `, of which the codec ${median(check).toFixed(1)} ms` : ' (no codec in this checkout)'} (median of ${rounds})`,
);

/**
 * Error analysis of story clustering on the gun-violence stream's dev part (before
 * 2015-07-01; the held-out part is not looked at here): the predicted stories that hold
 * several incidents (wrong merges) and the incidents spread over several stories (splits),
 * worst first (by the B-cubed precision or recall they cost), with titles, dates, outlets and
 * the evidence between the parts (the names and the lines they share). Reads ../shared.
 *
 *   npx tsx bench/cluster-errors.ts [--top N] [--params '{...}']
 */
import { buildArticle } from '../src/ingest/build.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { clusterStream, type ClusterParams } from '../src/cluster/online.js';
import { clusterInputOf, extractFeatures, type ClusterInput } from '../src/cluster/features.js';
import { isParallaxError } from '../src/errors.js';
import { GUN_VIOLENCE, loadLabelled } from './common.js';

const STREAM_CUT = '2015-07-01';
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const top = Number(arg('--top') ?? 15);
const params = JSON.parse(arg('--params') ?? '{}') as Partial<ClusterParams>;

type Row = { id: string; title: string | null; text: string; published: string; url: string | null; story: string };
type Item = { input: ClusterInput; gold: string; row: Row; domain: string; text: string };
const items: Item[] = [];
loadLabelled<Row>(GUN_VIOLENCE).forEach((r, i) => {
  if (r.published >= STREAM_CUT) return;
  try {
    const a = buildArticle(parseJsonlLine(JSON.stringify({ id: r.id, title: r.title, text: r.text, published: r.published, url: r.url }), i + 1, 'gv', '2026-11-25T00:00:00Z')!);
    items.push({ input: { ...clusterInputOf(a), id: r.id }, gold: r.story, row: r, domain: a.meta.domain?.value ?? '?', text: a.text });
  } catch (e) {
    if (!isParallaxError(e)) throw e;
  }
});
const pred = clusterStream(
  items.map((x) => x.input),
  params,
).map((p) => p.story);
const n = items.length;
const group = <K>(key: (i: number) => K): Map<K, number[]> => {
  const m = new Map<K, number[]>();
  for (let i = 0; i < n; i++) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
};
const byPred = group((i) => pred[i]!);
const byGold = group((i) => items[i]!.gold);
const feats = items.map((x) => extractFeatures(x.input));
const lineKey = (l: string): string => l.toLowerCase().replace(/\d+/g, '0').replace(/\s+/g, ' ').trim();
const lines = items.map(
  (x) =>
    new Set(
      x.text
        .split('\n')
        .map(lineKey)
        .filter((l) => l.length >= 12),
    ),
);
const show = (i: number): string => `    [${items[i]!.row.published}] ${items[i]!.domain.padEnd(22)} ${(items[i]!.row.title ?? '').slice(0, 90)}`;

function evidence(a: number[], b: number[]): string {
  const names = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const i of a)
    for (const j of b) {
      for (const k of feats[i]!.entities.keys()) if (feats[j]!.entities.has(k)) names.set(k, (names.get(k) ?? 0) + 1);
      for (const l of lines[i]!) if (lines[j]!.has(l)) shared.set(l, (shared.get(l) ?? 0) + 1);
    }
  const topOf = (m: Map<string, number>, k: number): string =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, k)
      .map(([x]) => JSON.stringify(x.slice(0, 70)))
      .join(', ');
  return `      names: ${topOf(names, 12)}\n      lines: ${topOf(shared, 4)}`;
}

let precLoss = 0;
const merges: [number, number[]][] = [];
for (const [, members] of byPred) {
  let loss = 0;
  for (const i of members) loss += 1 - members.filter((j) => items[j]!.gold === items[i]!.gold).length / members.length;
  precLoss += loss;
  if (loss > 0) merges.push([loss, members]);
}
let recLoss = 0;
const splits: [number, number[]][] = [];
for (const [, members] of byGold) {
  let loss = 0;
  for (const i of members) loss += 1 - members.filter((j) => pred[j] === pred[i]).length / members.length;
  recLoss += loss;
  if (loss > 0) splits.push([loss, members]);
}
console.log(`dev: ${n} articles; B-cubed precision lost ${(precLoss / n).toFixed(4)} over ${merges.length} stories, recall lost ${(recLoss / n).toFixed(4)} over ${splits.length} incidents`);
console.log(`\n== worst merges (predicted stories holding several incidents) ==`);
for (const [loss, members] of merges.sort((x, y) => y[0] - x[0]).slice(0, top)) {
  const parts = [...group((i) => (members.includes(i) ? items[i]!.gold : null))].filter(([g]) => g !== null).map(([, m]) => m);
  console.log(`\n  loss ${(loss / n).toFixed(4)}: ${members.length} articles, ${parts.length} incidents`);
  parts.forEach((p, k) => {
    console.log(`   incident ${k + 1}:`);
    for (const i of p.slice(0, 4)) console.log(show(i));
  });
  console.log(evidence(parts[0]!, parts.slice(1).flat()));
}
console.log(`\n== worst splits (incidents over several stories) ==`);
for (const [loss, members] of splits.sort((x, y) => y[0] - x[0]).slice(0, top)) {
  const parts = [...group((i) => (members.includes(i) ? pred[i]! : null))].filter(([g]) => g !== null).map(([, m]) => m);
  console.log(`\n  loss ${(loss / n).toFixed(4)}: ${members.length} articles in ${parts.length} stories`);
  parts.forEach((p, k) => {
    console.log(`   story ${k + 1}:`);
    for (const i of p.slice(0, 4)) console.log(show(i));
  });
  console.log(evidence(parts[0]!, parts.slice(1).flat()));
}

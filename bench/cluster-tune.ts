/**
 * Tuning runs on the gun-violence stream's dev part only (never the held-out part), one line
 * per parameter set: the dev stream, its first two articles per incident, its cold starts (the
 * first 10 days of each month, each clustered as a fresh stream, scores pooled: how a stream
 * does before its vocabulary has learnt anything), the same sparse, and MMDS.
 *
 *   npx tsx bench/cluster-tune.ts '{}' '{"warmup":0}' ...
 */
import { buildArticle } from '../src/ingest/build.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { clusterStream, type ClusterParams } from '../src/cluster/online.js';
import { clusterInputOf, type ClusterInput } from '../src/cluster/features.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { isParallaxError } from '../src/errors.js';
import { GUN_VIOLENCE, loadLabelled, MMDS } from './common.js';

const STREAM_CUT = '2015-07-01';
type Row = { id: string; title?: string | null; text: string; published?: string | null; url?: string | null; story: string };
const toItems = (rows: Row[], source: string) =>
  rows.flatMap((r, i) => {
    try {
      const a = buildArticle(
        parseJsonlLine(JSON.stringify({ id: r.id, title: r.title ?? null, text: r.text, published: r.published ?? null, url: r.url ?? null }), i + 1, source, '2026-11-25T00:00:00Z')!,
      );
      const input: ClusterInput = { ...clusterInputOf(a), id: r.id };
      return [{ input, gold: r.story, row: r }];
    } catch (e) {
      if (isParallaxError(e) && e.kind === 'input') return [];
      throw e;
    }
  });
const gv = toItems(loadLabelled<Row>(GUN_VIOLENCE), 'gv').filter((x) => x.row.published! < STREAM_CUT);
const mm = toItems(loadLabelled<Row>(MMDS), 'mmds');
type It = (typeof gv)[number];
const firstTwo = (items: It[]) => {
  const seen = new Map<string, number>();
  return items.filter((x) => {
    const k = (seen.get(x.gold) ?? 0) + 1;
    seen.set(x.gold, k);
    return k <= 2;
  });
};
// cold starts: the first 10 days of each month, each clustered as a fresh stream, pooled
const months = [...new Set(gv.map((x) => x.row.published!.slice(0, 7)))];
const windows = months.map((m) => gv.filter((x) => x.row.published!.slice(0, 7) === m && x.row.published!.slice(8) <= '10'));
// one city's stream: the dev reports that name the city at least twice (its weekends' round-ups
// and its shootings week after week: what chains), each city a fresh stream, pooled
const CITIES = ['Chicago', 'Baltimore', 'Detroit', 'Houston', 'Atlanta', 'Miami', 'Los Angeles'];
const cities = CITIES.map((c) => gv.filter((x) => x.row.text.split(c).length > 2));
const fmt = (s: ReturnType<typeof scoreClustering>) => `${s.bcubed.precision.toFixed(3)}/${s.bcubed.recall.toFixed(3)}/${s.bcubed.f1.toFixed(4)} pw ${s.pairwise.f1.toFixed(3)}`;
const run = (items: { input: ClusterInput; gold: string }[], p: Partial<ClusterParams>) =>
  scoreClustering(
    items.map((x) => x.gold),
    clusterStream(
      items.map((x) => x.input),
      p,
    ).map((r) => String(r.story)),
  );
const pooled = (ws: It[][], p: Partial<ClusterParams>, two: boolean) => {
  const gold: string[] = [];
  const pred: string[] = [];
  ws.forEach((w0, i) => {
    const w = two ? firstTwo(w0) : w0;
    clusterStream(
      w.map((x) => x.input),
      p,
    ).forEach((r, j) => {
      gold.push(w[j]!.gold);
      pred.push(`${i}:${r.story}`);
    });
  });
  return scoreClustering(gold, pred);
};
const sets = process.argv.slice(2).length ? process.argv.slice(2) : ['{}'];
for (const s of sets) {
  const p = JSON.parse(s) as Partial<ClusterParams>;
  console.log(
    `${s.padEnd(40)} dev ${fmt(run(gv, p))} | two ${fmt(run(firstTwo(gv), p))} | cold ${fmt(pooled(windows, p, false))} | cold2 ${fmt(pooled(windows, p, true))} | cities ${fmt(pooled(cities, p, false))} | mmds ${fmt(run(mm, p))}`,
  );
}

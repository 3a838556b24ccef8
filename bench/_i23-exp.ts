// scratch: dev-only experiments (not committed)
import { buildArticle } from '../src/ingest/build.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { clusterStream, type ClusterParams } from '../src/cluster/online.js';
import { clusterInputOf, type ClusterInput } from '../src/cluster/features.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { GUN_VIOLENCE, loadLabelled } from './common.js';
type Row = { id: string; title: string | null; text: string; published: string; url: string | null; story: string };
const items: { input: ClusterInput; gold: string }[] = [];
loadLabelled<Row>(GUN_VIOLENCE).forEach((r, i) => {
  if (r.published >= '2015-07-01') return;
  try {
    const a = buildArticle(parseJsonlLine(JSON.stringify({ id: r.id, title: r.title, text: r.text, published: r.published, url: r.url }), i + 1, 'gv', '2026-11-25T00:00:00Z')!);
    items.push({ input: { ...clusterInputOf(a), id: r.id }, gold: r.story });
  } catch { /* refused */ }
});
for (const arg of process.argv.slice(2)) {
  const params = JSON.parse(arg) as Partial<ClusterParams>;
  const t = performance.now();
  const s = scoreClustering(items.map((x) => x.gold), clusterStream(items.map((x) => x.input), params).map((p) => String(p.story)));
  console.log(`${arg.padEnd(40)} B3 ${s.bcubed.precision.toFixed(4)}/${s.bcubed.recall.toFixed(4)}/${s.bcubed.f1.toFixed(4)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/**
 * ECB+ B-cubed F1 of parameter sets against a base set, paired over file order and the 40
 * shuffles bench/cluster-quality.ts uses, on one split (dev: topics 1-24, held: 25-35):
 *
 *   npx tsx bench/cluster-tune-ecb.ts dev '{"warmup":0}' '{}' ...
 */
import { buildArticle } from '../src/ingest/build.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { clusterStream, type ClusterParams } from '../src/cluster/online.js';
import { clusterInputOf, type ClusterInput } from '../src/cluster/features.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { loadEcb, shuffle } from './common.js';

const rows = loadEcb();
const items = rows.map((r, i) => {
  const a = buildArticle(parseJsonlLine(JSON.stringify({ id: r.id, url: r.url, text: r.text }), i + 1, 'ecb', '2026-11-25T00:00:00Z')!);
  const input: ClusterInput = { ...clusterInputOf(a), id: r.id };
  return { input, gold: r.story, topic: r.topic };
});
const which = process.argv[2];
const split = items.filter((x) => (which === 'dev' ? x.topic <= 24 : x.topic > 24));
const orders = [split, ...Array.from({ length: 40 }, (_, i) => shuffle(split, i + 1))];
const parse = (s: string): Partial<ClusterParams> => JSON.parse(s) as Partial<ClusterParams>;
const f1s = (p: Partial<ClusterParams>) =>
  orders.map(
    (o) =>
      scoreClustering(
        o.map((x) => x.gold),
        clusterStream(
          o.map((x) => x.input),
          p,
        ).map((r) => String(r.story)),
      ).bcubed.f1,
  );
const [base, ...rest] = process.argv.slice(3);
const b = f1s(parse(base!));
const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
console.log(`${which} base ${base} mean ${mean(b).toFixed(4)} file ${b[0]!.toFixed(4)}`);
for (const s of rest) {
  const f = f1s(parse(s));
  const d = f.map((x, i) => x - b[i]!);
  const sd = Math.sqrt(mean(d.map((x) => (x - mean(d)) ** 2)));
  console.log(
    `${s.padEnd(50)} mean ${mean(f).toFixed(4)} file ${f[0]!.toFixed(4)} diff ${mean(d) >= 0 ? '+' : ''}${mean(d).toFixed(4)} se ${(sd / Math.sqrt(d.length)).toFixed(4)} better ${d.filter((x) => x > 1e-9).length} worse ${d.filter((x) => x < -1e-9).length}`,
  );
}

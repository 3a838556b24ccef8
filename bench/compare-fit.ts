/**
 * Fits the pair scorer's logistic weights on the hand-labelled sentence pairs in
 * test/fixtures/compare/paraphrase-labelled.jsonl (ECB+ sentence pairs from different
 * articles of one story, labelled "same content" or not by a Parallax engineer; see
 * docs/DESIGN.md). Fits on the development topics (1-24) and reports accuracy there (by
 * 5-fold cross-validation) and on the held-out topics (25-35).
 *
 *   node --import tsx bench/compare-fit.ts           # report with the shipped model
 *   node --import tsx bench/compare-fit.ts --fit     # also fit and print new weights
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MODEL, MODEL_FEATURES, type ScoreModel, featureArray, pairFeatures, sameContent, scoreFeatures } from '../src/align/score.js';
import { vectorizeText } from '../src/align/vectorize.js';
import { normaliseText } from '../src/text/index.js';

const root = resolve(import.meta.dirname, '..');
interface Row {
  id: string;
  topic: number;
  a: string;
  b: string;
  same: boolean;
}
const rows: Row[] = readFileSync(resolve(root, 'test/fixtures/compare/paraphrase-labelled.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
const data = rows.map((r) => {
  const f = pairFeatures(vectorizeText(normaliseText(r.a)), vectorizeText(normaliseText(r.b)));
  return { r, f, x: featureArray(f), y: r.same ? 1 : 0 };
});
const dev = data.filter((d) => d.r.topic <= 24);
const held = data.filter((d) => d.r.topic > 24);

function fit(train: typeof data, l2 = 0.002, iters = 20000, lr = 1): number[] {
  const k = MODEL_FEATURES.length;
  const w = new Array<number>(k + 1).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array<number>(k + 1).fill(0);
    for (const d of train) {
      let z = w[0]!;
      for (let j = 0; j < k; j++) z += w[j + 1]! * d.x[j]!;
      const p = 1 / (1 + Math.exp(-z));
      const e = p - d.y;
      g[0] = g[0]! + e;
      for (let j = 0; j < k; j++) g[j + 1] = g[j + 1]! + e * d.x[j]!;
    }
    for (let j = 0; j <= k; j++) w[j] = w[j]! - lr * (g[j]! / train.length + (j > 0 ? l2 * w[j]! : 0));
  }
  return w;
}
function toModel(w: number[], threshold = 0.5): ScoreModel {
  const m: Record<string, number> = { version: DEFAULT_MODEL.version, bias: w[0]!, sameThreshold: threshold };
  MODEL_FEATURES.forEach((name, j) => (m[name] = w[j + 1]!));
  return m as unknown as ScoreModel;
}
function accuracy(set: typeof data, m: ScoreModel): number {
  let ok = 0;
  for (const d of set) if (sameContent(d.f, scoreFeatures(d.f, m), m) === (d.y === 1)) ok++;
  return ok / set.length;
}
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
console.log(`pairs: dev ${dev.length} (${dev.filter((d) => d.y).length} same), held-out ${held.length} (${held.filter((d) => d.y).length} same)`);
console.log(`shipped model: dev ${pct(accuracy(dev, DEFAULT_MODEL))}, held-out ${pct(accuracy(held, DEFAULT_MODEL))}, all ${pct(accuracy(data, DEFAULT_MODEL))}`);
console.log(`majority class: dev ${pct(dev.filter((d) => !d.y).length / dev.length)}, held-out ${pct(held.filter((d) => !d.y).length / held.length)}`);
if (process.argv.includes('--fit')) {
  // 5-fold cross-validation on dev
  let ok = 0;
  for (let fold = 0; fold < 5; fold++) {
    const train = dev.filter((_, i) => i % 5 !== fold);
    const test = dev.filter((_, i) => i % 5 === fold);
    ok += accuracy(test, toModel(fit(train))) * test.length;
  }
  const w = fit(dev);
  const m = toModel(w);
  console.log(`fitted: dev 5-fold CV ${pct(ok / dev.length)}, dev (train) ${pct(accuracy(dev, m))}, held-out ${pct(accuracy(held, m))}`);
  console.log(JSON.stringify(m, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v), 2));
}

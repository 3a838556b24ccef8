/**
 * The seed pair against an independent sentence alignment (bench/data/
 * seed-pair-alignment.annotated.json: made by an LLM helper told to annotate as a careful
 * human would, never shown our output; a proxy for the held-out human alignment). Reports
 * link precision / recall / F1 (a fact of our output stands for every cross-article pair of
 * its sentences), the same for paraphrase links only, and how many of the annotated unique
 * facts we list as unique.
 *
 *   npx tsx bench/compare-seed.ts
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { buildArticle } from '../src/ingest/build.js';
import { readText } from '../src/ingest/text.js';
import { compareArticles } from '../src/compare/index.js';
import { machine, SEED_PAIR } from './common.js';

interface Annotation {
  sentences: Record<string, string>;
  links: { a: string; b: string; relation: string }[];
  unique: Record<'A' | 'B', { s: string; partly: boolean }[]>;
}
const gold = JSON.parse(readFileSync(new URL('./data/seed-pair-alignment.annotated.json', import.meta.url), 'utf8')) as Annotation;
const [a, b] = SEED_PAIR.map((f) => buildArticle(readText(readFileSync(f, 'utf8'), { source: basename(f), fetchedAt: '2026-11-25T00:00:00.000Z' }))) as [
  ReturnType<typeof buildArticle>,
  ReturnType<typeof buildArticle>,
];
const name = (article: string, index: number): string => `${article === a.id ? 'A' : 'B'}${index}`;
const r = compareArticles([a, b]);

// the annotation is on our sentence split: refuse to score if the split has changed
for (const s of r.sentences) {
  const key = name(s.article, s.index);
  if (gold.sentences[key] !== s.text) throw new Error(`compare-seed: sentence ${key} is now "${s.text.slice(0, 60)}...", the annotation has another text; re-annotate`);
}

const ours = new Set<string>();
const oursPara = new Set<string>();
for (const f of r.facts) {
  const as = f.sentences.filter((s) => s.article === a.id).map((s) => name(s.article, s.index));
  const bs = f.sentences.filter((s) => s.article === b.id).map((s) => name(s.article, s.index));
  for (const x of as)
    for (const y of bs) {
      ours.add(`${x}-${y}`);
      if (f.relation !== 'partial') oursPara.add(`${x}-${y}`);
    }
}
function prf(pred: Set<string>, truth: Set<string>): string {
  let tp = 0;
  for (const p of pred) if (truth.has(p)) tp++;
  const p = pred.size ? tp / pred.size : 0;
  const rc = truth.size ? tp / truth.size : 0;
  const f = p + rc ? (2 * p * rc) / (p + rc) : 0;
  return `P ${p.toFixed(3)}  R ${rc.toFixed(3)}  F1 ${f.toFixed(3)}  (${tp} of ${pred.size} ours, ${truth.size} annotated)`;
}
const all = new Set(gold.links.map((l) => `${l.a}-${l.b}`));
const para = new Set(gold.links.filter((l) => l.relation !== 'partial').map((l) => `${l.a}-${l.b}`));
console.log(`machine: ${machine()}`);
console.log(`all links:        ${prf(ours, all)}`);
console.log(`paraphrase links: ${prf(oursPara, para)}  (ours: facts not marked partial)`);
console.log(`missed: ${[...all].filter((x) => !ours.has(x)).join(' ') || 'none'};  extra: ${[...ours].filter((x) => !all.has(x)).join(' ') || 'none'}`);
const uniqueOurs = new Set([...r.unique[a.id]!.map((i) => `A${i}`), ...r.unique[b.id]!.map((i) => `B${i}`)]);
const wholly = [...gold.unique.A, ...gold.unique.B].filter((u) => !u.partly).map((u) => u.s);
console.log(`annotated wholly unique sentences listed as unique by us: ${wholly.filter((s) => uniqueOurs.has(s)).length} of ${wholly.length}`);

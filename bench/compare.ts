/**
 * Comparison benchmark: speed (two 1,000-word articles, a 50-article story, growth with
 * the number of sentences) and quality (seed pair alignment, ECB+ same-story vs
 * sibling-story alignment rates on dev and held-out topics).
 *
 *   node --import tsx bench/compare.ts
 *
 * Targets (issue 6): two 1,000-word articles < 20 ms; a 50-article story < 1 s; time
 * about linear in the number of sentences.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { alignSentences } from '../src/align/align.js';
import { vectorizeSentences } from '../src/align/vectorize.js';
import { compareArticles } from '../src/compare/index.js';
import type { Article } from '../src/domain/article.js';
import { buildArticle, readText } from '../src/ingest/index.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { type EcbRow, loadEcb, machine, SEED_PAIR } from './common.js';

const rows = loadEcb();
const build = (text: string, source: string): Article => buildArticle(emptyDraft(source, text, '2026-11-25T00:00:00.000Z'));
const words = (a: Article): number => a.text.split(/\s+/).length;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
let lastMin = 0;
/** Median time of `runs` runs after warm-up; the fastest run is kept in `lastMin` (other jobs share the machine). */
function time(fn: () => void, runs: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and the stem cache
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  lastMin = Math.min(...ts);
  return median(ts);
}

console.log(`machine: ${machine()}`);
console.log('corpus: ECB+ development data (772 articles, topics 1-35), seed pair');

// --- speed: two 1,000-word articles of one story (articles of the story joined to 1,000 words)
const byStory = new Map<string, EcbRow[]>();
for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r]);
const big = [...byStory.values()].sort((a, b) => b.length - a.length)[0]!;
function joinTo(list: EcbRow[], n: number): string {
  const out: string[] = [];
  let w = 0;
  for (const r of list) {
    if (w >= n) break;
    out.push(r.text);
    w += r.text.split(/\s+/).length;
  }
  return out.join('\n');
}
const half = Math.floor(big.length / 2);
const a1 = build(joinTo(big.slice(0, half), 1000), 'a1');
const a2 = build(joinTo(big.slice(half), 1000), 'a2');
const pairMs = time(() => compareArticles([a1, a2]), 30);
console.log(
  `\ntwo articles of ${words(a1)} and ${words(a2)} words (${a1.sentences.length}+${a2.sentences.length} sentences): ${pairMs.toFixed(1)} ms median of 30, fastest ${lastMin.toFixed(1)} ms (target < 20 ms)`,
);

// --- speed: a 50-article story (the largest ECB+ story, topped up with its topic)
const topic = big[0]!.topic;
const story50 = [...big, ...rows.filter((r) => r.topic === topic && r.story !== big[0]!.story)].slice(0, 50).map((r) => build(r.text, r.id));
const sents50 = story50.reduce((n, a) => n + a.sentences.length, 0);
const story50Ms = time(() => compareArticles(story50), 5);
console.log(`50-article story (${sents50} sentences): ${story50Ms.toFixed(0)} ms median of 5, fastest ${lastMin.toFixed(0)} ms (target < 1,000 ms)`);

// --- growth: articles of one topic repeated with a changed last line, alignment and whole comparison
console.log('\ngrowth with the number of sentences (articles cycled from the largest topic):');
console.log('  articles  sentences  compare ms  us/sentence  pairs scored  pairs/sentence');
const topicRows = rows.filter((r) => r.topic === topic);
for (const n of [25, 50, 100, 200, 400, 800]) {
  const arts = Array.from({ length: n }, (_, i) => build(`${topicRows[i % topicRows.length]!.text}\nUpdate ${i}.`, `g${i}`));
  const sentences = arts.reduce((s, a) => s + a.sentences.length, 0);
  const ms = time(() => compareArticles(arts), n >= 400 ? 1 : 3);
  const docs = arts.map((a) => ({ vectors: vectorizeSentences(a.text, a.sentences) }));
  const scored = alignSentences(docs).scored;
  console.log(
    `  ${String(n).padStart(8)}  ${String(sentences).padStart(9)}  ${ms.toFixed(0).padStart(10)}  ${((ms * 1000) / sentences).toFixed(0).padStart(11)}  ${String(scored).padStart(12)}  ${(scored / sentences).toFixed(1).padStart(14)}`,
  );
}

// --- quality: seed pair
const seed = SEED_PAIR.map((f) => buildArticle(readText(readFileSync(f, 'utf8'), { source: basename(f), fetchedAt: '2026-11-25T00:00:00.000Z' })));
const sc = compareArticles(seed);
console.log(`\nseed pair: ${sc.facts.length} facts (${sc.facts.map((f) => f.sentences.map((s) => `${s.article === seed[0]!.id ? 'A' : 'B'}${s.index}`).join('~')).join(', ')})`);
console.log(`  unique A: ${JSON.stringify(sc.unique[seed[0]!.id])}  unique B: ${JSON.stringify(sc.unique[seed[1]!.id])}`);
console.log(`  quotes: ${sc.quotes.length}, figures: ${sc.figures.length}, conflicts: ${sc.conflicts.length}, brief: ${sc.brief.length} sentences`);

// --- quality: ECB+ same story vs sibling story (same topic, other event), per split
function rates(maxTopic: number, minTopic: number): { within: number; across: number; pairs: number } {
  let within = 0;
  let across = 0;
  let wn = 0;
  let an = 0;
  for (const [story, list] of byStory) {
    if (!story.endsWith('_ecb') || list[0]!.topic > maxTopic || list[0]!.topic < minTopic) continue;
    const sibling = byStory.get(story.replace('_ecb', '_ecbplus')) ?? [];
    const arts = list.slice(0, 4).map((r) => build(r.text, r.id));
    const others = sibling.slice(0, 2).map((r) => build(r.text, r.id));
    for (let i = 0; i + 1 < arts.length; i += 2) {
      const c = compareArticles([arts[i]!, arts[i + 1]!]);
      within += c.facts.length / Math.min(arts[i]!.sentences.length, arts[i + 1]!.sentences.length);
      wn++;
    }
    for (let i = 0; i < Math.min(arts.length, others.length); i++) {
      const c = compareArticles([arts[i]!, others[i]!]);
      across += c.facts.length / Math.min(arts[i]!.sentences.length, others[i]!.sentences.length);
      an++;
    }
  }
  return { within: within / Math.max(1, wn), across: across / Math.max(1, an), pairs: wn + an };
}
const dev = rates(24, 1);
const held = rates(35, 25);
console.log('\nECB+: aligned facts per sentence of the shorter article, two articles of one event vs of two events of one topic');
console.log(`  dev (topics 1-24):      same event ${dev.within.toFixed(3)}, other event ${dev.across.toFixed(3)} (${dev.pairs} comparisons)`);
console.log(`  held-out (25-35):       same event ${held.within.toFixed(3)}, other event ${held.across.toFixed(3)} (${held.pairs} comparisons)`);

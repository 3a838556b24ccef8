/**
 * Figure extraction quality on sentences labelled by hand (bench/data/figures-labelled.jsonl):
 * 154 development sentences (looked at while the rules were written) and 77 held-out ones
 * (drawn from other articles and labelled after the rules were frozen), from the
 * gun-violence and ECB+ development data. The file holds ids, sentence indexes and the gold
 * values only (the gun-violence texts are not ours to redistribute); the texts are read from
 * ../shared. A figure is a count, amount, measure, age, duration or dated day of something
 * named in the sentence; not an address, clock time, bare year, phone number, id or the
 * number in a name (Channel 5, Internet Explorer 9). Matched by value (dates as YYYY-MM-DD,
 * --MM-DD when the article is undated); `wrongMeasure` lists gold values extracted with a
 * wrong measure, which count as both a false positive and a miss.
 *
 *   npx tsx bench/figures.ts
 *
 * Baseline: every number (digits or a number word) is a figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractClaims } from '../src/claims/extract.js';
import { buildArticle } from '../src/ingest/build.js';
import { draftFromRecord } from '../src/ingest/jsonl.js';
import { machine, REPO } from './common.js';

const FILES = { gv: resolve(REPO, '../shared/data/gun-violence/articles.jsonl'), ecb: resolve(REPO, '../shared/data/ecbplus/articles.jsonl') };
for (const f of Object.values(FILES)) {
  if (!existsSync(f)) {
    console.error(`figures: ${f} is missing (the development data beside the checkout)`);
    process.exit(2);
  }
}
interface Label {
  split: 'dev' | 'held-out';
  corpus: 'gv' | 'ecb';
  id: string;
  index: number;
  figures: Array<number | string>;
  wrongMeasure?: number[];
}
const labels = readFileSync(resolve(REPO, 'bench/data/figures-labelled.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Label);
const records = new Map<string, Record<string, unknown>>();
for (const [corpus, file] of Object.entries(FILES))
  for (const line of readFileSync(file, 'utf8').split('\n'))
    if (line) {
      const r = JSON.parse(line) as Record<string, unknown>;
      records.set(`${corpus}:${String(r['id'])}`, r);
    }

const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  dozen: 12,
  dozens: 24,
  hundreds: 100,
  thousands: 1000,
};
function baseline(sentence: string): Array<number | string> {
  const out: Array<number | string> = [];
  for (const m of sentence.matchAll(/\b(\d[\d,]*(?:\.\d+)?)\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|dozens?|hundreds|thousands)\b/gi)) {
    out.push(m[1] ? Number(m[1].replace(/,/g, '')) : WORDS[m[2]!.toLowerCase()]!);
  }
  return out;
}

function score(gold: Array<number | string>, got: Array<number | string>, wrong: number[] = []): { tp: number; fp: number; fn: number } {
  const left = [...gold].filter((g) => !wrong.includes(g as number));
  let tp = 0;
  let fp = 0;
  for (const v of got) {
    const i = left.findIndex((g) => g === v);
    if (i >= 0) {
      left.splice(i, 1);
      tp++;
    } else fp++;
  }
  return { tp, fp, fn: left.length };
}

const totals: Record<string, { tp: number; fp: number; fn: number; btp: number; bfp: number; bfn: number; n: number; gold: number }> = {};
for (const l of labels) {
  const r = records.get(`${l.corpus}:${l.id}`);
  if (!r) throw new Error(`figures: ${l.corpus} article ${l.id} is not in the development data`);
  const a = buildArticle(draftFromRecord(r, `${l.corpus}:${l.id}`, '2026-12-05T00:00:00.000Z'));
  const texts = a.sentences.map((s) => a.text.slice(s.start, s.end));
  const got = extractClaims(texts, { published: a.meta.published?.value ?? null })
    .figures.filter((f) => f.index === l.index)
    .map((f) => f.value);
  const s = score(l.figures, got, l.wrongMeasure);
  const b = score(l.figures, baseline(texts[l.index] ?? ''));
  for (const key of [l.split, 'all']) {
    const t = (totals[key] ??= { tp: 0, fp: 0, fn: 0, btp: 0, bfp: 0, bfn: 0, n: 0, gold: 0 });
    t.tp += s.tp;
    t.fp += s.fp;
    t.fn += s.fn;
    t.btp += b.tp;
    t.bfp += b.fp;
    t.bfn += b.fn;
    t.n++;
    t.gold += l.figures.length;
  }
}
const f3 = (x: number): string => x.toFixed(3);
console.log(machine());
for (const [split, t] of Object.entries(totals)) {
  const p = t.tp / (t.tp + t.fp);
  const rec = t.tp / (t.tp + t.fn);
  const bp = t.btp / (t.btp + t.bfp);
  const br = t.btp / (t.btp + t.bfn);
  console.log(
    `${split.padEnd(9)} sentences ${t.n}, gold figures ${t.gold}: precision ${f3(p)} recall ${f3(rec)} F1 ${f3((2 * p * rec) / (p + rec))} | baseline (every number) precision ${f3(bp)} recall ${f3(br)}`,
  );
}

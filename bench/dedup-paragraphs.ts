/**
 * Copies whose paragraphs were moved: shuffled, some dropped, or interleaved with another
 * article's paragraphs. Are they found, and do the passages cover what was copied?
 *
 * Sources: dev articles of at least four paragraphs and 150 words: ECB+ topics 1-24 and the
 * first two thirds of gun-violence (dev), ECB+ topics 25-35 and the last third of gun-violence
 * (held out: nothing was tuned on them). Per source, seeded: `shuffled` (paragraphs in a random
 * order), `dropped` (one to three paragraphs left out, the rest in order), `shuffled-dropped`,
 * `interleaved` (its paragraphs alternating with another article's), and a plain `reordered`
 * (bench/dedup.ts's line shuffle). All originals of the split and the variants are streamed in a
 * seeded order through the detector `dupes` runs.
 *
 * A variant is found when its pair with the source is reported and the passages cover at least
 * 90 % of the copied words that a passage can cover (paragraphs of at least 12 words, the
 * shortest passage reported, less boilerplate lines, which are never reuse). Precision: reported pairs that are related by construction
 * (a source, its variants, their host) or whose texts share a verbatim run of 12 words or more
 * (checked naively on whitespace words, independent of our shingles).
 *
 *   npx tsx bench/dedup-paragraphs.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Deduplicator } from '../src/dedup/deduplicator.js';
import { mulberry32 } from '../src/dedup/hash.js';
import { makeVariant } from '../test/helpers/synthetic.js';
import { boilerplateRanges } from '../src/dedup/shingle.js';
import type { ReuseLink } from '../src/domain/reuse.js';
import { normaliseText } from '../src/text/index.js';
import { machine, REPO } from './common.js';

const DATA = resolve(REPO, '../shared/data');
if (!existsSync(join(DATA, 'ecbplus/articles.jsonl')) || !existsSync(join(DATA, 'gun-violence/articles.jsonl'))) {
  console.error(`bench/dedup-paragraphs: needs ${DATA} (ecbplus, gun-violence)`);
  process.exit(2);
}

interface Row {
  id: string;
  text: string;
}
const load = (set: string): (Row & { topic?: number })[] =>
  readFileSync(join(DATA, set, 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row & { topic?: number });
const ecb = load('ecbplus');
const gv = load('gun-violence');
const split = {
  dev: [...ecb.filter((r) => (r.topic ?? 0) <= 24), ...gv.slice(0, Math.floor((gv.length * 2) / 3))],
  'held-out': [...ecb.filter((r) => (r.topic ?? 0) > 24), ...gv.slice(Math.floor((gv.length * 2) / 3))],
};

const paragraphs = (text: string): string[] => text.split(/\n+/).filter((p) => p.trim() !== '');
const KINDS = ['shuffled', 'dropped', 'shuffled-dropped', 'interleaved', 'reordered'] as const;
type Kind = (typeof KINDS)[number];

function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** The variant and the source paragraphs it carries. */
function variant(src: string, kind: Kind, host: string, rng: () => number): { text: string; kept: string[] } {
  const ps = paragraphs(src);
  const drop = (xs: string[]): string[] => {
    const n = 1 + Math.floor(rng() * Math.min(3, xs.length - 2));
    const out = [...xs];
    for (let i = 0; i < n; i++) out.splice(Math.floor(rng() * out.length), 1);
    return out;
  };
  switch (kind) {
    case 'shuffled': {
      const kept = shuffle([...ps], rng);
      return { text: kept.join('\n\n'), kept };
    }
    case 'dropped': {
      const kept = drop(ps);
      return { text: kept.join('\n\n'), kept };
    }
    case 'shuffled-dropped': {
      const kept = shuffle(drop(ps), rng);
      return { text: kept.join('\n\n'), kept };
    }
    case 'interleaved': {
      const hs = paragraphs(host);
      const out: string[] = [];
      for (let i = 0; i < Math.max(ps.length, hs.length); i++) {
        if (i < ps.length) out.push(ps[i]!);
        if (i < hs.length) out.push(hs[i]!);
      }
      return { text: out.join('\n\n'), kept: ps };
    }
    case 'reordered':
      return { text: makeVariant(src, 'reordered', rng), kept: ps };
  }
}

/** Whitespace words of the normalised text with their character ranges. */
function words(text: string): { w: string; start: number; end: number }[] {
  const out: { w: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ w: m[0].toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''), start: m.index, end: m.index + m[0].length });
  return out.filter((x) => x.w !== '');
}

function sharesRun(a: string, b: string, n = 12): boolean {
  const wa = words(a).map((x) => x.w);
  const wb = words(b).map((x) => x.w);
  const grams = new Set<string>();
  for (let i = 0; i + n <= wa.length; i++) grams.add(wa.slice(i, i + n).join(' '));
  for (let i = 0; i + n <= wb.length; i++) if (grams.has(wb.slice(i, i + n).join(' '))) return true;
  return false;
}

function run(name: string, rows: Row[]): void {
  const rng = mulberry32(name === 'dev' ? 2201 : 2202);
  const texts = new Map<string, string>();
  const docs: { id: string; text: string }[] = rows.map((r) => ({ id: r.id, text: normaliseText(r.text) }));
  for (const d of docs) texts.set(d.id, d.text);
  const sources = rows.filter((r) => paragraphs(r.text).length >= 4 && r.text.split(/\s+/).length >= 150);
  const cases: { source: string; variant: string; kind: Kind; host: string | null; kept: string[] }[] = [];
  for (const s of sources) {
    for (const kind of KINDS) {
      const host = rows[Math.floor(rng() * rows.length)]!;
      const v = variant(s.text, kind, host.text, rng);
      const id = `${s.id}~${kind}`;
      const text = normaliseText(v.text);
      docs.push({ id, text });
      texts.set(id, text);
      cases.push({ source: s.id, variant: id, kind, host: kind === 'interleaved' ? host.id : null, kept: v.kept.map(normaliseText) });
    }
  }
  shuffle(docs, rng);
  const d = new Deduplicator();
  const found = new Map<string, ReuseLink>();
  const t0 = performance.now();
  docs.forEach((doc, order) => {
    for (const l of d.add({ id: doc.id, text: doc.text, published: null, credits: [], order })) found.set(`${l.a}|${l.b}`, l);
  });
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n${name}: ${sources.length} sources x ${KINDS.length} variants, ${docs.length} articles streamed (${secs.toFixed(1)} s)`);
  const family = new Set<string>();
  const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const bySource = new Map<string, string[]>();
  for (const c of cases) {
    family.add(pairKey(c.source, c.variant));
    if (c.host) family.add(pairKey(c.host, c.variant));
    bySource.set(c.source, [...(bySource.get(c.source) ?? []), c.variant]);
  }
  for (const vs of bySource.values()) for (const a of vs) for (const b of vs) if (a < b) family.add(pairKey(a, b));
  for (const kind of KINDS) {
    let linked = 0;
    let covered = 0;
    const misses: string[] = [];
    const mine = cases.filter((c) => c.kind === kind);
    for (const c of mine) {
      const l = found.get(pairKey(c.source, c.variant));
      if (!l) {
        misses.push(`${c.variant} (not linked)`);
        continue;
      }
      linked++;
      // the copied words that a passage can cover: paragraphs of 12+ words, located in the variant
      const vtext = texts.get(c.variant)!;
      // boilerplate lines (bylines, "Read more", copyright) are never reuse: not counted
      const drop = boilerplateRanges(vtext);
      const inVariant = (p: { a: { start: number; end: number }; b: { start: number; end: number } }) => (l.a === c.variant ? p.a : p.b);
      let want = 0;
      let got = 0;
      for (const para of c.kept) {
        const ws = words(para);
        if (ws.length < 12) continue;
        const at = vtext.indexOf(para);
        if (at < 0) continue;
        for (const w of ws) {
          const s = at + w.start;
          if (drop.some(([x, y]) => x <= s && s < y)) continue;
          want++;
          if (l.passages.some((p) => inVariant(p).start <= s && s < inVariant(p).end)) got++;
        }
      }
      if (want === 0 || got / want >= 0.9) covered++;
      else misses.push(`${c.variant} (${l.class}, passages cover ${(got / want).toFixed(2)})`);
    }
    console.log(
      `  ${kind.padEnd(17)} linked ${(linked / mine.length).toFixed(3)}  found with passages ${(covered / mine.length).toFixed(3)} (${covered}/${mine.length})${misses.length ? `  e.g. ${misses.slice(0, 3).join('; ')}` : ''}`,
    );
  }
  let correct = 0;
  for (const l of found.values()) if (family.has(pairKey(l.a, l.b)) || sharesRun(texts.get(l.a)!, texts.get(l.b)!)) correct++;
  console.log(`  precision, all ${found.size} reported pairs: ${(correct / Math.max(1, found.size)).toFixed(4)}`);
}

console.log(`machine: ${machine()}`);
run('dev', split.dev);
run('held-out', split['held-out']);

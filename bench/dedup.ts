/**
 * Reprint detection: quality and speed.
 *
 * Quality: 300 source articles from ECB+ (seeded choice), 6 synthetic variants each (exact
 * copy, header/footer boilerplate, 5-30 % of words edited, truncated, paragraphs reordered,
 * embedded inside a longer unrelated article), streamed with all 772 originals in a seeded
 * order. Ground truth: every pair's exact Jaccard, containment and longest reused passage,
 * computed by brute force over all pairs, classified by the same rules. Reported: recall
 * and precision per class and on pairs with Jaccard >= 0.8, and partial reuse of >= 50
 * words found with passage offsets within 10 characters.
 *
 * Speed: signature + index + query on ~600-word articles (ECB+ texts joined to that length),
 * one core, against a brute-force baseline (exact Jaccard of the new article against every
 * indexed one) measured in the same run on the first 2,000 articles; index bytes per article.
 *
 *   npx tsx bench/dedup.ts [--speed-only] [--quality-only]
 */
import { comparePair, fingerprint, type DedupDoc, type Fingerprint } from '../src/dedup/detect.js';
import { Deduplicator } from '../src/dedup/deduplicator.js';
import { mulberry32 } from '../src/dedup/hash.js';
import { DedupIndex } from '../src/dedup/index-lsh.js';
import { intersectionSize, shingle, shingleSet } from '../src/dedup/shingle.js';
import { makeParams, minhash } from '../src/dedup/signature.js';
import { makeVariant, type VariantKind } from '../test/helpers/synthetic.js';
import type { ReuseLink } from '../src/domain/reuse.js';
import { normaliseText } from '../src/text/index.js';
import { loadEcb, machine } from './common.js';

const params = makeParams();
const rows = loadEcb();
console.log(`machine: ${machine()}`);
console.log(`params: ${JSON.stringify(params)}`);

function quality(): void {
  const rng = mulberry32(2026);
  const docs: DedupDoc[] = rows.map((r, i) => ({ id: r.id, text: normaliseText(r.text), published: null, credits: [], order: i }));
  const sources = [...rows.keys()]
    .filter((i) => rows[i]!.text.split(' ').length >= 80)
    .sort(() => rng() - 0.5)
    .slice(0, 300);
  const kinds: VariantKind[] = ['exact', 'boilerplate', 'edited', 'truncated', 'reordered', 'embedded'];
  // where the source text sits in embedded and truncated variants, known by construction
  const placed: { source: string; variant: string; inSource: [number, number]; inVariant: [number, number] }[] = [];
  for (const i of sources) {
    for (const kind of kinds) {
      const host = rows[Math.floor(rng() * rows.length)]!.text;
      const text = normaliseText(makeVariant(rows[i]!.text, kind, rng, { editRate: 0.05 + rng() * 0.25, host }));
      const id = `${rows[i]!.id}~${kind}`;
      docs.push({ id, text, published: null, credits: [], order: docs.length });
      const src = normaliseText(rows[i]!.text);
      if (kind === 'embedded') {
        const at = text.indexOf(src);
        if (at >= 0) placed.push({ source: rows[i]!.id, variant: id, inSource: [0, src.length], inVariant: [at, at + src.length] });
      } else if (kind === 'truncated') {
        placed.push({ source: rows[i]!.id, variant: id, inSource: [0, text.length], inVariant: [0, text.length] });
      }
    }
  }
  // arrival in a seeded random order
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  // ground truth by brute force over all pairs
  const prints: Fingerprint[] = docs.map((d) => fingerprint(d, params));
  const truth = new Map<string, ReuseLink>();
  const t0 = performance.now();
  for (let i = 0; i < prints.length; i++) {
    for (let j = i + 1; j < prints.length; j++) {
      if (intersectionSize(prints[i]!.set, prints[j]!.set) === 0) continue;
      const l = comparePair(prints[i]!, prints[j]!, params);
      if (l) truth.set(`${l.a}|${l.b}`, l);
    }
  }
  const bruteSecs = (performance.now() - t0) / 1000;
  // the streaming detector
  const t1 = performance.now();
  const d = new Deduplicator({ params });
  const found = new Map<string, ReuseLink>();
  for (const doc of docs) for (const l of d.add(doc)) found.set(`${l.a}|${l.b}`, l);
  const streamSecs = (performance.now() - t1) / 1000;
  console.log(`\nquality corpus: ${docs.length} articles (772 originals + ${sources.length} x 6 variants), ${truth.size} related pairs in the ground truth`);
  console.log(`brute force all pairs: ${bruteSecs.toFixed(1)} s; streaming detector: ${streamSecs.toFixed(1)} s`);
  const classes = ['exact', 'near-duplicate', 'contains', 'partial-reuse'] as const;
  for (const c of classes) {
    const t = [...truth.values()].filter((l) => l.class === c);
    const f = [...found.values()].filter((l) => l.class === c);
    const tp = f.filter((l) => truth.get(`${l.a}|${l.b}`)?.class === c).length;
    console.log(
      `  ${c.padEnd(15)} truth ${String(t.length).padStart(5)}  found ${String(f.length).padStart(5)}  recall ${(t.length ? tp / t.length : 1).toFixed(3)}  precision ${(f.length ? tp / f.length : 1).toFixed(3)}`,
    );
  }
  const high = [...truth.values()].filter((l) => l.jaccard >= 0.8);
  const highFound = high.filter((l) => found.has(`${l.a}|${l.b}`)).length;
  const anyTp = [...found.keys()].filter((k) => truth.has(k)).length;
  console.log(
    `  Jaccard >= 0.8: recall ${(highFound / Math.max(1, high.length)).toFixed(4)} (${highFound}/${high.length}); all related pairs: precision ${(anyTp / Math.max(1, found.size)).toFixed(4)}, recall ${(anyTp / Math.max(1, truth.size)).toFixed(4)}`,
  );
  // reuse of >= 50 words (by brute force): found
  const partial = [...truth.values()].filter((l) => l.passages.some((p) => p.words >= 50));
  const hit = partial.filter((t) => found.has(`${t.a}|${t.b}`)).length;
  console.log(`  reuse of >= 50 words (brute force): found ${(hit / Math.max(1, partial.length)).toFixed(4)} (${hit}/${partial.length})`);
  // passage offsets against the construction (embedded and truncated copies), within 10 characters
  let ok = 0;
  let linked = 0;
  for (const p of placed) {
    const [a, b] = p.source < p.variant ? [p.source, p.variant] : [p.variant, p.source];
    const f = found.get(`${a}|${b}`);
    if (!f) continue;
    linked++;
    const want = p.source === a ? { a: p.inSource, b: p.inVariant } : { a: p.inVariant, b: p.inSource };
    const close = (x: { start: number; end: number }, y: [number, number]): boolean => Math.abs(x.start - y[0]) <= 10 && Math.abs(x.end - y[1]) <= 10;
    if (f.passages.some((q) => close(q.a, want.a) && close(q.b, want.b))) ok++;
  }
  console.log(
    `  embedded and truncated copies (${placed.length}): linked ${linked}, one passage matching the construction within 10 characters at all four ends: ${(ok / Math.max(1, placed.length)).toFixed(4)} (${ok}/${placed.length})`,
  );
}

function speed(): void {
  // ~600-word articles of distinct text: words drawn (seeded) from the ECB+ vocabulary with
  // their corpus frequencies, in sentences of 12-30 words, so that shingles rarely repeat by
  // chance, as between unrelated news articles
  const vocab = normaliseText(rows.map((r) => r.text).join(' ')).split(/\s+/);
  const rng = mulberry32(7);
  const texts: string[] = [];
  for (let i = 0; i < 12_000; i++) {
    const sentences: string[] = [];
    let n = 0;
    while (n < 600) {
      const len = 12 + Math.floor(rng() * 19);
      const ws: string[] = [];
      for (let j = 0; j < len; j++) ws.push(vocab[Math.floor(rng() * vocab.length)]!);
      sentences.push(`${ws.join(' ')}.`);
      n += len;
    }
    texts.push(sentences.join(' '));
  }
  const words = texts.reduce((s, t) => s + t.split(' ').length, 0) / texts.length;
  const index = new DedupIndex(params);
  const t0 = performance.now();
  let candidates = 0;
  for (let i = 0; i < texts.length; i++) {
    const sh = shingle(texts[i]!, params.shingleSize);
    const sig = minhash(sh.hashes, params);
    const anchors = index.anchorsOf(sh.hashes);
    candidates += index.query(sig, anchors).length;
    index.add(`d${i}`, sig, anchors);
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`\nspeed corpus: ${texts.length} articles, ~${words.toFixed(0)} words each (sampled from the ECB+ vocabulary, seeded)`);
  console.log(`signature + index + query: ${(texts.length / secs).toFixed(0)} articles/s on one core (${candidates} candidates returned)`);
  console.log(`index size: ${index.bytesPerDocument().toFixed(0)} bytes per article (typed arrays; ids and texts not counted)`);
  // brute-force baseline: exact Jaccard against everything seen so far
  const n = 2000;
  const sets: Uint32Array[] = [];
  const t1 = performance.now();
  for (let i = 0; i < n; i++) {
    const set = shingleSet(shingle(texts[i]!, params.shingleSize));
    for (const other of sets) intersectionSize(set, other);
    sets.push(set);
  }
  const bsecs = (performance.now() - t1) / 1000;
  console.log(`brute-force baseline (exact Jaccard against every earlier article), first ${n}: ${(n / bsecs).toFixed(0)} articles/s, falling as the store grows (O(n) per article)`);
}

if (!process.argv.includes('--quality-only')) speed();
if (!process.argv.includes('--speed-only')) quality();

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Deduplicator } from '../src/dedup/deduplicator.js';
import { comparePair, fingerprint, type DedupDoc } from '../src/dedup/detect.js';
import { mulberry32 } from '../src/dedup/hash.js';
import { DedupIndex } from '../src/dedup/index-lsh.js';
import { findPassages } from '../src/dedup/passages.js';
import { intersectionSize, shingle, shingleSet } from '../src/dedup/shingle.js';
import { assertSameParams, candidateProbability, makeParams, minhash, paramsKey } from '../src/dedup/signature.js';
import { makeVariant } from '../src/dedup/synthetic.js';
import { normaliseText } from '../src/text/index.js';
import { runCli } from './helpers/cli.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-dedup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ecb = readFileSync(ECBPLUS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
const long = ecb.filter((r) => r.text.split(' ').length > 350);
const doc = (id: string, text: string, extra: Partial<DedupDoc> = {}): DedupDoc => ({ id, text: normaliseText(text), published: null, credits: [], order: 0, ...extra });
const params = makeParams();

describe('signatures', () => {
  it('same seed, same signature; another seed, another signature', () => {
    const s = shingle(normaliseText(long[0]!.text), 5).hashes;
    expect(Array.from(minhash(s, params))).toEqual(Array.from(minhash(s, makeParams())));
    expect(Array.from(minhash(s, makeParams({ seed: 2 })))).not.toEqual(Array.from(minhash(s, params)));
  });
  it('refuses to compare signatures made with other parameters', () => {
    expect(() => assertSameParams(paramsKey(makeParams({ seed: 2 })), paramsKey(params), 'x')).toThrow(/signed with parameters .* this index uses/);
    expect(params.bands * params.rows).toBeLessThanOrEqual(params.numPerm);
  });
  it('estimates Jaccard close to the exact value', () => {
    const a = fingerprint(doc('a', long[1]!.text), params);
    const b = fingerprint(doc('b', makeVariant(long[1]!.text, 'truncated', mulberry32(1))), params);
    const exact = intersectionSize(a.set, b.set) / (a.set.length + b.set.length - intersectionSize(a.set, b.set));
    const link = comparePair(a, b, params)!;
    expect(link.jaccard).toBeCloseTo(exact, 10);
    expect(Math.abs(link.estimatedJaccard - exact)).toBeLessThan(0.15);
  });
});

describe('LSH candidates (property against brute force)', () => {
  it('finds pairs at the rate the S-curve predicts', () => {
    // pairs of synthetic sets with a controlled Jaccard; count how often the index returns them
    const rng = mulberry32(11);
    const trials = 300;
    for (const target of [0.3, 0.6, 0.9]) {
      let hits = 0;
      let expected = 0;
      for (let t = 0; t < trials; t++) {
        const n = 300;
        const shared = Math.round((2 * target * n) / (1 + target));
        const base = Array.from({ length: shared }, () => (rng() * 2 ** 32) >>> 0);
        const a = Uint32Array.from([...base, ...Array.from({ length: n - shared }, () => (rng() * 2 ** 32) >>> 0)]);
        const b = Uint32Array.from([...base, ...Array.from({ length: n - shared }, () => (rng() * 2 ** 32) >>> 0)]);
        const j = shared / (2 * n - shared);
        expected += candidateProbability(j, params.bands, params.rows);
        const index = new DedupIndex(params);
        index.add('a', minhash(a, params), new Uint32Array(0));
        if (index.query(minhash(b, params), new Uint32Array(0)).includes('a')) hits++;
      }
      expect(Math.abs(hits - expected) / trials).toBeLessThan(0.08);
    }
  });
});

describe('bounded candidates for reprint families', () => {
  it('returns at most maxNear band candidates, the original and the newest among them, and keeps partial reuse', () => {
    const text = normaliseText(long[2]!.text);
    const index = new DedupIndex(params);
    const fpOf = (id: string, t: string) => fingerprint(doc(id, t), params);
    // forty reprints of one wire story, each with its own sign-off, then an article that
    // quotes a paragraph of another story (found through anchors only)
    for (let i = 0; i < 40; i++) {
      const fp = fpOf(`copy${i}`, `${text}\nReprinted by outlet number ${i}.`);
      index.add(`copy${i}`, fp.sig, index.anchorsOf(fp.shingles.hashes));
    }
    const quoted = normaliseText(long[3]!.text);
    const source = fpOf('source', quoted);
    index.add('source', source.sig, index.anchorsOf(source.shingles.hashes));
    const paragraph = quoted.split(' ').slice(0, 120).join(' ');
    const next = fpOf('next', `${text}\nReprinted by outlet number 40. ${paragraph}`);
    const got = index.query(next.sig, index.anchorsOf(next.shingles.hashes), { maxNear: 8 });
    const copies = got.filter((id) => id.startsWith('copy'));
    expect(copies).toHaveLength(8);
    expect(copies).toContain('copy0');
    expect(copies).toContain('copy39');
    expect(got).toContain('source');
    // without limits every reprint is a candidate
    expect(index.query(next.sig, index.anchorsOf(next.shingles.hashes), { maxNear: 1000 }).filter((id) => id.startsWith('copy'))).toHaveLength(40);
  });
});

describe('passages (property against a brute-force aligner)', () => {
  it('finds the same reused word ranges as brute force on small inputs', () => {
    const vocab = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi', 'rho', 'sigma', 'tau', 'upsilon'];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: vocab.length - 1 }), { minLength: 30, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: vocab.length - 1 }), { minLength: 10, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: vocab.length - 1 }), { minLength: 10, maxLength: 30 }),
        (shared, pre, post) => {
          const uniq = (xs: number[], tag: string) => xs.map((x, i) => `${tag}${i}${vocab[x]}`);
          const sharedWords = shared.map((x, i) => `s${i}${vocab[x]}`);
          const a = [...uniq(pre, 'p'), ...sharedWords].join(' ');
          const b = [...sharedWords, ...uniq(post, 'q')].join(' ');
          const sa = shingle(a, 5);
          const sb = shingle(b, 5);
          const found = findPassages(sa, sb, 5);
          // brute force: the shared words are exactly one contiguous run in both
          expect(found).toHaveLength(1);
          expect(a.slice(found[0]!.a.start, found[0]!.a.end)).toBe(sharedWords.join(' '));
          expect(b.slice(found[0]!.b.start, found[0]!.b.end)).toBe(sharedWords.join(' '));
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });
});

describe('classes and direction on synthetic reprints of real articles', () => {
  const rng = mulberry32(42);
  const src = long[2]!.text;
  const host = long[3]!.text;
  const d = new Deduplicator();
  d.add(doc('orig', src, { order: 1, credits: ['Reuters'] }));
  const linkFor = (id: string, text: string, extra: Partial<DedupDoc> = {}) => d.add(doc(id, text, { order: 2, ...extra })).find((l) => l.a === 'orig' || l.b === 'orig');

  it('exact copies and copies with boilerplate are exact', () => {
    expect(linkFor('copy', src)?.class).toBe('exact');
    const b = linkFor('boiler', makeVariant(src, 'boilerplate', rng));
    expect(b?.class).toBe('exact');
    expect(b?.original).toBe('orig');
    expect(b?.reason).toMatch(/wire credit|received first/);
  });
  it('a lightly edited copy is a near-duplicate; a shortened one is contained, the full one the original', () => {
    expect(linkFor('edit', makeVariant(src, 'edited', rng, { editRate: 0.02 }))?.class).toBe('near-duplicate');
    const t = linkFor('trunc', src.split('\n').slice(0, Math.ceil(src.split('\n').length / 2)).join('\n'))!;
    expect(t.class).toBe('contains');
    expect(t.original).toBe('orig');
  });
  it('an article embedded in a longer one: contains, with the passage offsets in both texts', () => {
    const embedded = normaliseText(makeVariant(src, 'embedded', rng, { host }));
    const l = linkFor('emb', embedded)!;
    expect(l.class).toBe('contains');
    expect(l.original).toBe('orig');
    const p = l.passages.reduce((x, y) => (y.words > x.words ? y : x));
    const [inOrig, inCopy] = l.a === 'orig' ? [p.a, p.b] : [p.b, p.a];
    const origText = normaliseText(src);
    expect(Math.abs(inOrig.start - 0)).toBeLessThanOrEqual(10);
    expect(Math.abs(inOrig.end - origText.length)).toBeLessThanOrEqual(10);
    expect(embedded.slice(inCopy.start, inCopy.end)).toBe(origText.slice(inOrig.start, inOrig.end));
  });
  it('the earlier published date wins the direction', () => {
    const e = new Deduplicator();
    e.add(doc('late', src, { published: '2024-02-24', order: 1 }));
    const [l] = e.add(doc('early', src, { published: '2024-02-23', order: 2 }));
    expect(l).toMatchObject({ original: 'early', reason: 'published earlier' });
  });
});

describe('the seed pair', () => {
  it('is a rewrite, not a copy', async () => {
    const r = await runCli(['dupes', SEED_A, SEED_B, '--json']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
  });
});

describe('bad input', () => {
  it('empty and one-word texts give no links and no crash; huge texts work', () => {
    const d = new Deduplicator();
    expect(d.add(doc('e', ''))).toEqual([]);
    expect(d.add(doc('w', 'Word'))).toEqual([]);
    expect(d.add(doc('w2', 'Word'))).toEqual([]);
    const huge = Array.from({ length: 40 }, (_, i) => long[i % long.length]!.text).join('\n');
    expect(d.add(doc('h1', huge))).toEqual([]);
    expect(d.add(doc('h2', huge))[0]?.class).toBe('exact');
  });
  it('the same input twice is checked once, with a message', async () => {
    const f = join(dir, 'dup.jsonl');
    writeFileSync(f, `${JSON.stringify({ text: long[0]!.text })}\n${JSON.stringify({ text: long[0]!.text })}\n`);
    const r = await runCli(['dupes', f]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/same article as an earlier input/);
  });
});

describe('dupes over the store', () => {
  it('ingest records reuse links as articles arrive; dupes groups copies under the original', async () => {
    const db = join(dir, 'store.db');
    const f = join(dir, 'copies.jsonl');
    const rng = mulberry32(9);
    const src = long[4]!.text;
    writeFileSync(
      f,
      [
        JSON.stringify({ id: 'wire', text: `${src}\n(Reuters)`, published: '2024-02-23' }),
        JSON.stringify({ id: 'repost', text: makeVariant(src, 'boilerplate', rng), published: '2024-02-24' }),
        JSON.stringify({ id: 'other', text: long[5]!.text }),
      ].join('\n'),
    );
    expect((await runCli(['ingest', f, '--db', db])).code).toBe(0);
    const r = await runCli(['dupes', '--db', db, '--json']);
    const links = r.out.trim().split('\n').map((l) => JSON.parse(l) as { class: string; original: string; reason: string });
    expect(links).toHaveLength(1);
    expect(links[0]!.reason).toBe('published earlier');
    const human = await runCli(['dupes', '--db', db]);
    expect(human.out).toMatch(/1 related pair/);
  });
});

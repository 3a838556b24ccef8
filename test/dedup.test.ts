import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Deduplicator } from '../src/dedup/deduplicator.js';
import { comparePair, fingerprint, mayRelate, SharedBound, wordCoverage, type DedupDoc } from '../src/dedup/detect.js';
import { mulberry32 } from '../src/dedup/hash.js';
import { DedupIndex } from '../src/dedup/index-lsh.js';
import { findPassages } from '../src/dedup/passages.js';
import { intersectionSize, shingle } from '../src/dedup/shingle.js';
import { assertSameParams, candidateProbability, makeParams, minhash, paramsKey } from '../src/dedup/signature.js';
import { makeVariant } from './helpers/synthetic.js';
import { normaliseText } from '../src/text/index.js';
import { DedupStage } from '../src/stages/dedup.js';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runCli } from './helpers/cli.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-dedup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ecb = readFileSync(ECBPLUS, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; text: string });
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
  // signatures made by hand, so that how many LSH bands two documents share is exact
  const { bands, rows, numPerm } = params;
  const sigSharing = (base: number, shared: number, salt: number): Uint32Array => {
    const s = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) s[i] = i < shared * rows ? base + i : (salt * 7919 + i * 104729) >>> 0;
    return s;
  };
  const none = new Uint32Array(0);
  const query = sigSharing(1000, bands, 0);

  it('keeps the original among the band candidates when it shares fewer bands than its reprints', () => {
    const index = new DedupIndex(params);
    // the original lacks the sign-off its reprints share: two bands fewer
    index.add('orig', sigSharing(1000, bands - 2, 1), none);
    for (let i = 0; i < 40; i++) index.add(`copy${i}`, query, none);
    const got = index.query(query, none, { maxNear: 8 });
    expect(got).toHaveLength(8);
    expect(got).toContain('orig');
    // the rest are the newest reprints
    expect(got.filter((id) => id !== 'orig').sort()).toEqual(['copy33', 'copy34', 'copy35', 'copy36', 'copy37', 'copy38', 'copy39'].sort());
    // a new version of the original keeps its age (re-added, it is still the oldest)
    index.add('orig', sigSharing(1000, bands - 2, 2), none);
    expect(index.query(query, none, { maxNear: 8 })).toContain('orig');
    // without limits every reprint is a candidate
    expect(index.query(query, none, { maxNear: 1000 })).toHaveLength(41);
  });

  it('lets a source that lost its band slot compete as partial reuse, and bounds partial candidates', () => {
    const index = new DedupIndex(params);
    const anchors = Uint32Array.from([11, 22, 33]);
    // a source this article quotes, sharing one band by chance and three anchors
    index.add('source', sigSharing(1000, 1, 3), anchors);
    for (let i = 0; i < 40; i++) index.add(`copy${i}`, query, none);
    // sources that share anchors only: the ones sharing more anchors first
    for (let i = 0; i < 10; i++) index.add(`quoted${i}`, sigSharing(50_000 + i * 100, 0, 10 + i), Uint32Array.from(i < 5 ? [11, 22] : [33]));
    const got = index.query(query, anchors, { maxNear: 8, maxPartial: 6 });
    // the seven newest reprints and the oldest (copy0) hold the band slots
    expect(got.filter((id) => id.startsWith('copy')).sort()).toEqual(['copy0', 'copy33', 'copy34', 'copy35', 'copy36', 'copy37', 'copy38', 'copy39'].sort());
    expect(got).toContain('source');
    expect(got.filter((id) => id.startsWith('quoted')).sort()).toEqual(['quoted0', 'quoted1', 'quoted2', 'quoted3', 'quoted4']);
  });

  it('links a reprint to the original the same way after a restart (ages come from the store)', async () => {
    const text = normaliseText(long[2]!.text);
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => JSON.stringify({ id: `copy${from + k}`, text: `${text}\nThis story was reprinted by outlet number ${from + k} under licence.` })).join('\n');
    const run = async (db: string, files: string[]) => {
      for (const f of files) {
        // a new engine per file, as separate CLI runs
        const engine = new Engine({ store: SqliteStore.open({ path: db }), stages: [new DedupStage()] });
        await engine.ingest([f]);
        await engine.close();
      }
      const store = SqliteStore.open({ path: db });
      const listed = (await store.listArticles({ limit: 100 })).items;
      const last = listed.find((a) => a.externalId === 'copy40')!;
      const original = listed.find((a) => a.externalId === 'orig')!;
      const links = await store.reuse.linksOf(last.id);
      await store.close();
      return { toOriginal: links.some((l) => l.a === original.id || l.b === original.id), count: links.length };
    };
    const first = join(dir, 'family-a.jsonl');
    const second = join(dir, 'family-b.jsonl');
    writeFileSync(first, `${JSON.stringify({ id: 'orig', text })}\n${lines(0, 40)}\n`);
    writeFileSync(second, `${lines(40, 41)}\n`);
    const all = join(dir, 'family-all.jsonl');
    writeFileSync(all, `${JSON.stringify({ id: 'orig', text })}\n${lines(0, 41)}\n`);
    const oneRun = await run(join(dir, 'family-one.db'), [all]);
    const twoRuns = await run(join(dir, 'family-two.db'), [first, second]);
    expect(oneRun.toOriginal).toBe(true);
    expect(twoRuns).toEqual(oneRun);
    expect(oneRun.count).toBeLessThanOrEqual(16);
  });
});

describe('dedup stage', () => {
  it('stores the same links whatever its fingerprint cache holds: evictions, new versions and small batches included', async () => {
    // topics with real reuse between ECB+ articles, plus reprints and new versions of some
    const rows = ecb.filter((r) => /^(1|3|4)_/.test(r.id));
    // an article is known by its URL: the same URL with another text is a new version
    const url = (id: string) => `https://news.example/${id}`;
    const first = rows.map((r) => JSON.stringify({ id: r.id, url: url(r.id), text: r.text }));
    const reprints = rows.slice(0, 12).map((r, i) => JSON.stringify({ id: `${r.id}-reprint`, url: url(`${r.id}-reprint`), text: `${r.text}\nReprinted with permission, outlet ${i}.` }));
    const versions = rows.slice(5, 15).map((r) => JSON.stringify({ id: r.id, url: url(r.id), text: `${r.text}\nThis story has been updated.` }));
    const files = [first, reprints, versions].map((lines, i) => {
      const f = join(dir, `stage-cache-${i}.jsonl`);
      writeFileSync(f, `${lines.join('\n')}\n`);
      return f;
    });
    const linksWith = async (cacheSize: number): Promise<string[]> => {
      const db = join(dir, `stage-cache-${cacheSize}.db`);
      for (const [i, f] of files.entries()) {
        const engine = new Engine({ store: SqliteStore.open({ path: db }), stages: [new DedupStage(makeParams(), { cacheSize })], batchSize: 7 });
        const report = await engine.ingest([f]);
        expect(report.failed).toEqual([]);
        // the third file holds new versions of stored articles
        if (i === 2) expect(report.updated).toBe(10);
        await engine.close();
      }
      const store = SqliteStore.open({ path: db });
      const { items, total } = await store.reuse.list({ limit: 100_000 });
      await store.close();
      expect(items).toHaveLength(total);
      return items.map((l) => JSON.stringify(l)).sort();
    };
    const uncached = await linksWith(0);
    expect(uncached.length).toBeGreaterThan(12);
    expect(await linksWith(3)).toEqual(uncached);
    expect(await linksWith(4096)).toEqual(uncached);
  });
});

describe('the bound on shared shingles (SharedBound)', () => {
  it('is never below the exact count, and comparePair with it gives what it gives without (property and ECB+ pairs)', () => {
    const bound = new SharedBound();
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 0xffffffff }), { maxLength: 700 }), fc.uniqueArray(fc.nat({ max: 0xffffffff }), { maxLength: 700 }), fc.nat({ max: 700 }), (xs, ys, shared) => {
        const a = Uint32Array.from(xs).sort();
        const b = Uint32Array.from(new Set([...ys, ...xs.slice(0, shared)])).sort();
        bound.load(a);
        expect(bound.bound(b)).toBeGreaterThanOrEqual(intersectionSize(a, b));
      }),
      { numRuns: 300 },
    );
    const topic = ecb.filter((r) => r.id.startsWith('4_') || r.id.startsWith('5_'));
    const prints = topic.map((r) => fingerprint(doc(r.id, r.text), params));
    // with a copy in the set, so that some pairs relate
    prints.push(fingerprint(doc('copy', makeVariant(topic[0]!.text, 'edited', mulberry32(3))), params));
    let links = 0;
    for (const p of prints) {
      bound.load(p.set);
      for (const q of prints) {
        if (p === q) continue;
        const exact = comparePair(p, q, params);
        expect(comparePair(p, q, params, undefined, bound.bound(q.set))).toEqual(exact);
        if (exact) links++;
      }
    }
    expect(links).toBeGreaterThan(0);
  });
});

describe('the bound that skips finding passages (mayRelate)', () => {
  // comparePair's classes computed in full, without its early exit: the reference mayRelate
  // must never contradict
  const related = (p: DedupDoc, q: DedupDoc): boolean => {
    const a = fingerprint(p, params);
    const b = fingerprint(q, params);
    const inter = intersectionSize(a.set, b.set);
    if (inter === 0) return false;
    const aInB = inter / a.set.length;
    const bInA = inter / b.set.length;
    const jaccard = inter / (a.set.length + b.set.length - inter);
    const [x, y] = p.id <= q.id ? [a, b] : [b, a];
    const coverA = wordCoverage(a.shingles, b.shingles, params.shingleSize);
    const coverB = wordCoverage(b.shingles, a.shingles, params.shingleSize);
    return (
      jaccard >= 0.8 ||
      Math.min(aInB, bInA) >= 0.8 ||
      Math.max(aInB, bInA) >= 0.9 ||
      Math.min(coverA, coverB) >= 0.8 ||
      Math.max(coverA, coverB) >= 0.9 ||
      findPassages(x.shingles, y.shingles, params.shingleSize).some((g) => g.words >= 50)
    );
  };
  const sketchOf = (d: DedupDoc) => {
    const f = fingerprint(d, params);
    return { set: f.set, count: f.shingles.hashes.length, tokens: f.shingles.tokens };
  };
  const mayOf = (p: DedupDoc, q: DedupDoc): boolean => {
    const a = sketchOf(p);
    const b = sketchOf(q);
    return mayRelate(intersectionSize(a.set, b.set), a, b, params);
  };

  it('never rule out a related pair: real reuse, reprints, short texts and repeated passages (property)', () => {
    const rand = mulberry32(7);
    const pick = () => ecb[Math.floor(rand() * ecb.length)]!.text;
    let relatedPairs = 0;
    let ruledOut = 0;
    const check = (p: DedupDoc, q: DedupDoc): void => {
      const r = related(p, q);
      const m = mayOf(p, q);
      if (r) {
        relatedPairs++;
        expect(m, `${p.id} / ${q.id}`).toBe(true);
      } else if (!m) ruledOut++;
    };
    // every pair of one ECB+ topic (rewrites of one event share passages)
    const topic = ecb.filter((r) => r.id.startsWith('4_'));
    for (let i = 0; i < topic.length; i++) for (let j = i + 1; j < topic.length; j++) check(doc(topic[i]!.id, topic[i]!.text), doc(topic[j]!.id, topic[j]!.text));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 5, max: 120 }), fc.integer({ min: 1, max: 6 }), (s, words, repeats) => {
        const r = mulberry32(s);
        const host = pick();
        const source = pick().split(' ');
        const at = Math.floor(r() * Math.max(1, source.length - words));
        // a passage of `words` words, said `repeats` times, inside another article
        const passage = Array.from({ length: repeats }, () => source.slice(at, at + words).join(' ')).join(' ');
        const cut = Math.floor(r() * host.length);
        const embedded = `${host.slice(0, cut)} ${passage} ${host.slice(cut)}`;
        check(doc('a', source.join(' ')), doc('b', embedded));
        check(doc('a', passage), doc('b', embedded));
        check(doc('a', passage), doc('b', host));
      }),
      { numRuns: 150, seed: 11 },
    );
    expect(relatedPairs).toBeGreaterThan(100);
    // and it does rule out most unrelated pairs that share something
    expect(ruledOut).toBeGreaterThan(50);
  });
});

describe('passages in order', () => {
  it('lists two passages that start at the same word in the order they are found (stored links depend on it)', () => {
    // A: twenty shared words, then twenty of its own; B: the twenty, filler, then the first sixteen again
    const shared = Array.from({ length: 20 }, (_, i) => `shared${String.fromCharCode(97 + i)}word`);
    const own = Array.from({ length: 20 }, (_, i) => `own${String.fromCharCode(97 + i)}word`);
    const filler = Array.from({ length: 20 }, (_, i) => `filler${String.fromCharCode(97 + i)}word`);
    const a = shingle(normaliseText([...shared, ...own].join(' ')), 5);
    const b = shingle(normaliseText([...shared, ...filler, ...shared.slice(0, 16)].join(' ')), 5);
    const got = findPassages(a, b, 5, { maxGap: 12, maxDrift: 4, minWords: 12 });
    expect(got.map((p) => [p.a.start, p.words, p.b.start > 0])).toEqual([
      [0, 20, false],
      [0, 16, true],
    ]);
    // the same again with B's positions already known (kept beside its shingles)
    expect(findPassages(a, b, 5, { maxGap: 12, maxDrift: 4, minWords: 12 })).toEqual(got);
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
    const t = linkFor(
      'trunc',
      src
        .split('\n')
        .slice(0, Math.ceil(src.split('\n').length / 2))
        .join('\n'),
    )!;
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
    const links = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { class: string; original: string; reason: string });
    expect(links).toHaveLength(1);
    expect(links[0]!.reason).toBe('published earlier');
    const human = await runCli(['dupes', '--db', db]);
    expect(human.out).toMatch(/1 related pair/);
  });
});

describe('the dedup index with two writers on one store', () => {
  it('catches up on what the other signed with the ages a fresh open gives (an article stored first and re-signed later stays older)', async () => {
    const db = join(dir, 'ages.db');
    const rec = (n: string, text: string) => JSON.stringify({ url: `https://news.example.org/${n}`, text });
    const file = (name: string, lines: string[]) => {
      const f = join(dir, `ages-${name}.jsonl`);
      writeFileSync(f, `${lines.join('\n')}\n`);
      return f;
    };
    const open = () => {
      const stage = new DedupStage();
      return { stage, engine: new Engine({ store: SqliteStore.open({ path: db }), stages: [stage] }) };
    };
    const ages = (stage: DedupStage) => (stage as unknown as { index: DedupIndex }).index.idsByAge();
    const a = open();
    const b = open();
    expect((await a.engine.ingest([file('z', [rec('z', long[0]!.text)])])).new).toBe(1);
    // the other writer stores x then y, then a new version of x: x's signature is written last
    expect((await b.engine.ingest([file('xy', [rec('x', long[1]!.text), rec('y', long[2]!.text)])])).new).toBe(2);
    // (the same report with a paragraph added: a version; a text sharing nothing would be another article)
    expect((await b.engine.ingest([file('x2', [rec('x', `${long[1]!.text}\n${long[3]!.text}`)])])).updated).toBe(1);
    expect((await a.engine.ingest([file('w', [rec('w', long[4]!.text)])])).new).toBe(1);
    const fresh = new DedupStage();
    const store = SqliteStore.open({ path: db });
    await fresh.open(store);
    expect(ages(a.stage)).toEqual(ages(fresh));
    expect(ages(a.stage)).toHaveLength(4);
    await store.close();
    await a.engine.close();
    await b.engine.close();
  });
});

describe('reprints in a script written without spaces', () => {
  it('finds a Chinese reprint with a sentence cut and a few words changed, and the passage reused', () => {
    const src = readFileSync(new URL('./fixtures/zh-quake.txt', import.meta.url), 'utf8');
    const lines = src.trim().split('\n');
    // an aggregator's copy: the last paragraph cut, a figure updated, a place named differently
    const copy = lines.slice(0, -1).join('\n').replace('5700多人受伤', '6000多人受伤').replace('龙门乡', '龙门镇');
    const d = new Deduplicator();
    d.add(doc('orig', src, { order: 1 }));
    const link = d.add(doc('copy', copy, { order: 2 })).find((l) => l.a === 'orig' || l.b === 'orig');
    expect(link?.class).toBe('near-duplicate');
    expect(link!.jaccard).toBeGreaterThan(0.7);
    expect(link!.original).toBe('orig');
    // the reused passages cover most of the copy
    const covered = link!.passages.reduce((n, p) => n + (link!.a === 'copy' ? p.a.end - p.a.start : p.b.end - p.b.start), 0);
    expect(covered / normaliseText(copy).length).toBeGreaterThan(0.6);
  });
});

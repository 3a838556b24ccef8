import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { comparisonJsonSchema, comparisonSchema, compareArticles, renderComparison, type Comparison } from '../src/compare/index.js';
import type { Article } from '../src/domain/article.js';
import { articleIdFromKey } from '../src/domain/ids.js';
import { isParallaxError } from '../src/errors.js';
import { openStore } from '../src/store/open.js';
import { ecbRows, ecbStory, seedPair } from './compare-fixtures.js';
import { articleFrom } from './helpers/articles.js';
import { runCli } from './helpers/cli.js';
import { REPO, SEED_A, SEED_B } from './helpers/paths.js';

const [A, B] = seedPair();
const seed = compareArticles([A, B]);
const refs = (c: Comparison, f: Comparison['facts'][number]): string[] => f.sentences.map((s) => `${c.articles.findIndex((a) => a.id === s.article)}:${s.index}`);

describe('compareArticles on the seed pair', () => {
  it('produces a document valid against the published schema', () => {
    expect(() => comparisonSchema.parse(seed)).not.toThrow();
    const published = JSON.parse(readFileSync(resolve(REPO, 'docs/comparison-schema.json'), 'utf8')) as unknown;
    // the file is generated from the zod schema (bench/_compare-schema.ts): it must be up to date
    expect(published).toEqual(JSON.parse(JSON.stringify(comparisonJsonSchema())));
    expect(seed.sentences).toHaveLength(A.sentences.length + B.sentences.length);
    expect(seed.articles.map((a) => a.label)).toEqual(['Gulf Times', 'Reuters']);
    expect(seed.articles[1]!.credits).toEqual(['Reuters']);
  });

  it('aligns the shared facts and lists what each source adds', () => {
    const facts = seed.facts.map((f) => refs(seed, f).join(' '));
    expect(facts).toContain('0:4 1:1'); // ramped up / intensified
    expect(facts).toContain('0:9 1:9'); // the quote, with and without quote marks
    expect(seed.unique[A.id]).toEqual(expect.arrayContaining([11, 12, 13, 14]));
    expect(seed.unique[B.id]).toEqual(expect.arrayContaining([6, 10, 12]));
  });

  it('matches the Hamas quote across sources with its speaker', () => {
    const q = seed.quotes.find((x) => x.text.startsWith('We discussed our proposal with them (the Egyptians)'))!;
    expect(q.speaker).toBe('the Hamas official');
    expect(q.occurrences).toEqual([
      { article: A.id, index: 9, marked: true, speaker: 'the Hamas official' },
      { article: B.id, index: 9, marked: false, speaker: 'the Hamas official' },
    ]);
  });

  it('attributes the casualty figures to the Gaza health ministry and finds no conflict', () => {
    const byValue = (v: number): Comparison['figures'][number] | undefined => seed.figures.find((f) => f.value === v);
    for (const v of [104, 160, 29514]) expect(byValue(v)).toMatchObject({ article: A.id, attribution: 'the Gaza health ministry' });
    expect(byValue(104)!.measure).toBe('killed (past 24 hours)');
    expect(byValue(160)!.measure).toBe('wounded (past 24 hours)');
    expect(byValue(100)).toMatchObject({ article: B.id, measure: 'hostages' });
    expect(seed.conflicts).toEqual([]);
  });

  it('writes an extractive brief from the facts both sources report', () => {
    expect(seed.brief.length).toBeGreaterThanOrEqual(3);
    expect(seed.brief.length).toBeLessThanOrEqual(8);
    const all = new Set(seed.sentences.map((s) => `${s.article}:${s.index}:${s.text}`));
    for (const b of seed.brief) {
      expect(all.has(`${b.article}:${b.index}:${b.text}`)).toBe(true);
      expect(b.sources).toEqual([A.id, B.id]);
    }
  });

  it('renders a text report with every section', () => {
    const text = renderComparison(seed);
    for (const h of ['Brief', 'Shared facts (', 'What each source adds and omits', 'Quotes (', 'Figures (', 'Conflicts (']) expect(text).toContain(h);
    expect(text).toContain('the Hamas official');
    expect(text).toContain('(no quote marks)');
    expect(text).not.toMatch(/\u001b\[/); // no colour codes unless asked
  });
});

describe('conflicting figures', () => {
  it('flags the same measure with different values in aligned sentences', () => {
    const a = articleFrom('A fire at a chemical plant in Ohio killed 12 people on Monday, officials said.\nThe cause of the fire is not known.', { source: 'a.txt' });
    const b = articleFrom('A fire at a chemical plant in Ohio killed 15 people on Monday, officials said.\nFirefighters fought the blaze for hours.', { source: 'b.txt' });
    const c = compareArticles([a, b]);
    expect(c.conflicts).toHaveLength(1);
    expect(c.conflicts[0]!.values.map((v) => v.value)).toEqual([12, 15]);
  });
});

describe('ECB+ stories', () => {
  const rows = ecbRows();
  const stories = [...new Set(rows.map((r) => r.story))];

  it('aligns far more between articles of one story than between two stories of the same topic', () => {
    let within = 0;
    let across = 0;
    let n = 0;
    for (const story of stories.filter((s) => s.endsWith('_ecb')).slice(0, 8)) {
      const sibling = story.replace('_ecb', '_ecbplus');
      const mine = ecbStory(story).slice(0, 3);
      const other = ecbStory(sibling).slice(0, 1);
      if (mine.length < 3 || other.length < 1) continue;
      const c1 = compareArticles(mine.slice(0, 2));
      const c2 = compareArticles([mine[2]!, other[0]!]);
      within += c1.facts.length;
      across += c2.facts.length;
      n++;
      expect(() => comparisonSchema.parse(c1)).not.toThrow();
    }
    expect(n).toBeGreaterThanOrEqual(5);
    expect(within).toBeGreaterThan(2 * across);
  });

  it('compares a whole story: facts reported by several sources lead the brief', () => {
    const arts = ecbStory('1_ecb');
    const c = compareArticles(arts);
    expect(c.articles).toHaveLength(arts.length);
    expect(c.facts.some((f) => f.articles >= 3)).toBe(true);
    expect(c.brief[0]!.sources.length).toBeGreaterThanOrEqual(2);
    // Tara Reid's publicist's statement is quoted by several sources
    expect(c.quotes.some((q) => q.occurrences.length >= 2)).toBe(true);
  });
});

describe('bad input', () => {
  it('refuses no article with a usage error', () => {
    let err: unknown;
    try {
      compareArticles([]);
    } catch (e) {
      err = e;
    }
    expect(isParallaxError(err) && err.code).toBe('USAGE');
  });

  it('compares one article with a note, listing every sentence as its own', () => {
    const c = compareArticles([A]);
    expect(c.facts).toEqual([]);
    expect(c.unique[A.id]).toHaveLength(A.sentences.length);
    expect(c.warnings.join(' ')).toMatch(/only one article/);
    expect(c.brief.length).toBeGreaterThanOrEqual(3);
    expect(c.brief.every((b) => b.sources.length === 1)).toBe(true);
  });

  it('handles an empty article, the same article twice and different languages', () => {
    const empty: Article = { ...A, id: articleIdFromKey('empty'), text: '', sentences: [], source: 'empty.txt' };
    const c = compareArticles([A, empty, A, B]);
    expect(c.articles).toHaveLength(3);
    expect(c.warnings.join(' ')).toMatch(/has no text/);
    expect(c.warnings.join(' ')).toMatch(/more than once/);
    const fr = articleFrom(
      "Les médiateurs ont intensifié leurs efforts pour obtenir un cessez-le-feu à Gaza, dans l'espoir d'empêcher une attaque israélienne sur la ville de Rafah.\nLe Hamas a terminé les négociations au Caire.",
      { source: 'fr.txt' },
    );
    const mixed = compareArticles([A, fr]);
    expect(mixed.warnings.join(' ')).toMatch(/different languages/);
    expect(mixed.facts).toEqual([]);
  });

  it('compares thousands of articles in reasonable time', () => {
    const base = ecbRows()
      .slice(0, 40)
      .map((r) => r.text);
    const many: Article[] = [];
    for (let i = 0; i < 2000; i++) many.push(articleFrom(`${base[i % base.length]}\nUpdate number ${i}.`, { source: `gen-${i}` }));
    const t0 = performance.now();
    const c = compareArticles(many);
    const ms = performance.now() - t0;
    expect(c.articles).toHaveLength(2000);
    expect(c.brief.length).toBeGreaterThanOrEqual(3);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});

describe('CLI', () => {
  it('parallax compare prints a report, or one JSON document with --json', async () => {
    const text = await runCli(['compare', SEED_A, SEED_B]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Shared facts (');
    const json = await runCli(['compare', SEED_A, SEED_B, '--json']);
    expect(json.code).toBe(0);
    const doc = comparisonSchema.parse(JSON.parse(json.out));
    expect(doc.quotes.some((q) => q.speaker === 'the Hamas official')).toBe(true);
  });

  it('parallax compare reports unreadable inputs and unknown ids clearly', async () => {
    const r = await runCli(['compare', SEED_A, '/nonexistent/file.txt']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent/file.txt');
    expect(r.out).toContain('only one article');
    const none = await runCli(['compare', '/nonexistent/a.txt']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/none of the 1 input/);
    const dir = mkdtempSync(join(tmpdir(), 'parallax-compare-'));
    expect((await runCli(['ingest', SEED_A, '--db', join(dir, 'x.db')])).code).toBe(0);
    const unknown = await runCli(['compare', 'a0123456789abcdef', '--db', join(dir, 'x.db')]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/skipped a0123456789abcdef: no article with that id/);
    // an unknown id among good inputs is skipped like a missing file; the rest are compared
    const mixed = await runCli(['compare', 'a0123456789abcdef', SEED_A, SEED_B, '--db', join(dir, 'x.db'), '--json']);
    expect(mixed.code).toBe(1);
    expect((JSON.parse(mixed.out) as { articles: unknown[] }).articles).toHaveLength(2);
  });

  it('parallax story refuses a malformed or unknown id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-story-'));
    expect((await runCli(['ingest', SEED_A, SEED_B, '--db', join(dir, 'x.db')])).code).toBe(0);
    expect((await runCli(['story', 'nope', '--db', join(dir, 'x.db')])).code).toBe(2);
    const r = await runCli(['story', 's0123456789abcdef', '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no story with id/);
    // the story the first seed article was clustered into at ingest compares from the store
    const store = openStore(join(dir, 'x.db'), { readonly: true });
    const storyId = await store.stories.storyOf(A.id);
    await store.close();
    expect(storyId).not.toBeNull();
    const story = await runCli(['story', storyId!, '--json', '--db', join(dir, 'x.db')]);
    expect(story.code).toBe(0);
    const doc = comparisonSchema.parse(JSON.parse(story.out));
    expect(doc.articles.map((a) => a.id)).toContain(A.id);
  });

  it('parallax similarity refuses a directory with a usage error', async () => {
    const r = await runCli(['similarity', tmpdir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a directory; expected a JSON Lines file/);
  });

  it('parallax similarity scores JSON lines and names bad lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-sim-'));
    const file = join(dir, 'pairs.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'p1', a: 'Mediators have ramped up efforts to secure a ceasefire in Gaza.', b: 'Mediators have intensified efforts to secure a truce in Gaza.' }),
        JSON.stringify({ id: 'p2', a: 'The cat sat on the mat.', b: 'Stock markets fell sharply in Tokyo.' }),
        '{oops',
        JSON.stringify({ id: 'p4', a: 1 }),
      ].join('\n'),
    );
    const r = await runCli(['similarity', file]);
    expect(r.code).toBe(1);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => z.object({ id: z.string(), score: z.number(), same: z.boolean() }).parse(JSON.parse(l)));
    expect(lines.map((l) => [l.id, l.same])).toEqual([
      ['p1', true],
      ['p2', false],
    ]);
    expect(r.err).toContain(`${file}:3`);
    expect(r.err).toContain(`${file}:4`);
    expect((await runCli(['similarity', join(dir, 'missing.jsonl')])).err).toMatch(/no such file/);
  });
});

describe('HTTP API', () => {
  it('GET /api/v1/stories/:id/comparison returns the comparison of a stored story', async () => {
    const { Engine } = await import('../src/engine/engine.js');
    const { ClusterStage } = await import('../src/stages/cluster.js');
    const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
    const { createApp } = await import('../src/server/app.js');
    const { SERVER_EXTENSIONS } = await import('../src/server/extensions.js');
    const dir = mkdtempSync(join(tmpdir(), 'parallax-api-compare-'));
    const engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'api.db') }), stages: [new ClusterStage()] });
    try {
      await engine.ingest([SEED_A, SEED_B]);
      const app = createApp({ engine, ui: false, extend: SERVER_EXTENSIONS });
      const storyId = await engine.store.stories.storyOf(A.id);
      const res = await app.request(`/api/v1/stories/${storyId}/comparison`);
      expect(res.status).toBe(200);
      const doc = comparisonSchema.parse(await res.json());
      expect(doc.articles.map((a) => a.id)).toContain(A.id);
      expect((await app.request('/api/v1/stories/s0123456789abcdef/comparison')).status).toBe(404);
      expect((await app.request('/api/v1/stories/nope/comparison')).status).toBe(400);
    } finally {
      await engine.close();
    }
  });
});

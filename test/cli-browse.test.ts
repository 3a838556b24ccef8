import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBrowseCorpus, type BrowseCorpus } from './helpers/browse-corpus.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-cli-browse-'));
const db = join(dir, 'b.db');
let corpus: BrowseCorpus;

beforeAll(async () => {
  corpus = writeBrowseCorpus(dir);
  expect((await runCli(['ingest', corpus.file, '--db', db])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe('parallax stories: pages and filters', () => {
  it('pages with --offset until every story is listed, and says where the next page starts', async () => {
    const all = ids((await runCli(['stories', '--db', db, '--json', '--limit', '1000'])).out);
    expect(all.length).toBeGreaterThan(corpus.fillers);
    const seen: string[] = [];
    for (let offset = 0; offset < all.length; offset += 20) seen.push(...ids((await runCli(['stories', '--db', db, '--json', '--limit', '20', '--offset', String(offset)])).out));
    expect(seen).toEqual(all);
    const first = await runCli(['stories', '--db', db, '--limit', '20']);
    expect(first.out).toContain(`1-20 of ${all.length} stories; next page: --offset 20`);
  });

  it('filters by words, outlet in any case, dates, articles and outlets', async () => {
    const quake = ids((await runCli(['stories', '--db', db, '--json', '--search', 'Qeshm'])).out);
    expect(quake).toHaveLength(1);
    expect(ids((await runCli(['stories', '--db', db, '--json', '--outlet', corpus.quakeOutlets[2]!.toUpperCase()])).out)).toEqual(quake);
    expect(ids((await runCli(['stories', '--db', db, '--json', '--since', '2005-01-01', '--until', '2006-01-01'])).out)).toEqual(quake);
    const multi = (await runCli(['stories', '--db', db, '--json', '--min-outlets', '2'])).out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { outlets: string[] });
    expect(multi.length).toBeGreaterThan(0);
    expect(multi.every((s) => s.outlets.length >= 2)).toBe(true);
    const big = (await runCli(['stories', '--db', db, '--json', '--min-articles', '3'])).out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { size: number });
    expect(big.every((s) => s.size >= 3)).toBe(true);
  });

  it('refuses bad flags with a usage error naming them', async () => {
    for (const [flag, value] of [
      ['--since', 'yesterday'],
      ['--offset', '-1'],
      ['--min-outlets', '0'],
      ['--search', '  '],
    ] as const) {
      const r = await runCli(['stories', '--db', db, flag, value]);
      expect(r.code, flag).toBe(2);
      expect(r.err).toContain(flag);
    }
  });
});

describe('articles link to their story', () => {
  it('show names the story; --json carries it; search marks the matches', async () => {
    const quake = ids((await runCli(['stories', '--db', db, '--json', '--search', 'Qeshm'])).out)[0]!;
    const story = JSON.parse((await runCli(['stories', quake, '--db', db, '--json'])).out) as { articles: { id: string }[] };
    const article = story.articles[0]!.id;
    const shown = await runCli(['show', article, '--db', db]);
    expect(shown.out).toMatch(new RegExp(`story\\s+${quake}`));
    expect((JSON.parse((await runCli(['show', article, '--db', db, '--json'])).out) as { story: string }).story).toBe(quake);
    const found = await runCli(['articles', '--db', db, '--search', 'Qeshm', '--limit', '3']);
    expect(found.out).toContain('»Qeshm«');
    expect(found.out).not.toMatch(/\[Qeshm\]/);
  });
});

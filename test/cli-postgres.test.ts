import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';
import { dropTestDatabase, newTestDatabaseUrl } from './helpers/postgres.js';

/** The commands that use the store, on a PostgreSQL store (the SQLite runs are in cli.test.ts). */
const made: string[] = [];
afterAll(async () => {
  for (const url of made) await dropTestDatabase(url);
});

describe('the CLI on a postgres:// store', () => {
  it('ingest, articles (with story ids), search, show, dupes and compare work on PostgreSQL as on SQLite', async () => {
    const db = newTestDatabaseUrl();
    made.push(db);
    const ingest = await runCli(['ingest', EXAMPLES, '--db', db, '--json']);
    expect(ingest.code, ingest.err).toBe(0);
    const report = JSON.parse(ingest.out) as { new: number; articles: { id: string }[] };
    expect(report.new).toBe(12);
    // again: nothing new (idempotent)
    expect(JSON.parse((await runCli(['ingest', EXAMPLES, '--db', db, '--json'])).out)).toMatchObject({ new: 0, unchanged: 12 });

    const listed = await runCli(['articles', '--db', db, '--json', '--limit', '100']);
    expect(listed.code).toBe(0);
    const rows = listed.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; story: string | null });
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => /^s[0-9a-f]{16}$/.test(r.story ?? ''))).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(report.articles.map((a) => a.id)));

    // the same inputs on SQLite: the same articles, in the same stories
    const file = join(mkdtempSync(join(tmpdir(), 'parallax-cli-pg-')), 'same.db');
    expect((await runCli(['ingest', EXAMPLES, '--db', file, '--json'])).code).toBe(0);
    const onSqlite = (await runCli(['articles', '--db', file, '--json', '--limit', '100'])).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; story: string | null });
    const partition = (xs: { id: string; story: string | null }[]): string[] => {
      const by = new Map<string, string[]>();
      for (const x of xs) by.set(x.story!, [...(by.get(x.story!) ?? []), x.id]);
      return [...by.values()].map((ids) => ids.sort().join(',')).sort();
    };
    expect(partition(rows)).toEqual(partition(onSqlite));
    rmSync(dirname(file), { recursive: true, force: true });

    const search = await runCli(['articles', '--db', db, '--search', 'earthquake Iran', '--json']);
    expect(search.code).toBe(0);
    const hits = search.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { snippet: string; highlights: { start: number; end: number }[]; story: string | null });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /^s[0-9a-f]{16}$/.test(h.story ?? ''))).toBe(true);
    // the matched words, by offset into the plain-text snippet
    const marked = hits.flatMap((h) => h.highlights.map((r) => h.snippet.slice(r.start, r.end).toLowerCase()));
    expect(marked).toEqual(expect.arrayContaining(['earthquake']));

    const show = await runCli(['show', rows[0]!.id, '--db', db, '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({ id: rows[0]!.id, version: 1 });

    const dupes = await runCli(['dupes', '--db', db, '--json']);
    expect(dupes.code, dupes.err).toBe(0);

    const compare = await runCli(['compare', rows[0]!.id, rows[1]!.id, '--db', db]);
    expect(compare.code, compare.err).toBe(0);
    expect(compare.out).toContain('Comparison of 2 articles');

    const sources = await runCli(['sources', 'list', '--db', db]);
    expect(sources.code, sources.err).toBe(0);
    expect(sources.out).toContain('No sources');
  }, 120_000);

  it('a reading command on a missing database fails with a clear error and creates nothing', async () => {
    const db = newTestDatabaseUrl();
    const r = await runCli(['articles', '--db', db]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`no database at ${db}`);
    // nothing was created by that name
    const again = await runCli(['articles', '--db', db]);
    expect(again.err).toContain(`no database at ${db}`);
  });

  it('an unreachable server is a store error naming it, without the password', async () => {
    const r = await runCli(['articles', '--db', 'postgres://reader:hunter2@127.0.0.1:1/news']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('cannot reach PostgreSQL at postgres://reader:***@127.0.0.1:1/news');
    expect(r.err).not.toContain('hunter2');
  });
});

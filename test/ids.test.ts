import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/pipeline.js';
import { createApp } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runCli } from './helpers/cli.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

// Every record that names an article gives `articleId` (ours) and `inputId` (the user's: the
// JSON Lines id, else the URL, else where it was read from), the same names in every command.
const dir = mkdtempSync(join(tmpdir(), 'parallax-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ARTICLE_ID = /^a[0-9a-f]{16}$/;

const rows = readFileSync(ECBPLUS, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; topic: number; text: string })
  .filter((r) => r.topic === 1);
// one article with the user's id, one known only by its URL, one by neither; then a reprint
// of the first under another id, so that dupes has a pair to name
const first = rows[0]!;
const records = [
  { id: `user-${first.id}`, text: first.text },
  { url: 'https://news.example/rehab/second', text: rows[1]!.text },
  { text: rows[2]!.text },
  { id: 'user-reprint', text: `${first.text}\nReprinted with permission.` },
];
const input = join(dir, 'mixed.jsonl');
writeFileSync(input, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
const expectedInputIds = [`user-${first.id}`, 'https://news.example/rehab/second', `${input}:3`, 'user-reprint'];

type Ids = { articleId: string; inputId: string };
const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("the user's own ids in every command", () => {
  it("cluster: id and inputId are the input's id (JSON Lines id, else URL, else file:line), articleId ours", async () => {
    const r = await runCli(['cluster', input]);
    expect(r.code).toBe(0);
    const out = lines(r.out);
    expect(out.map((o) => o['inputId'])).toEqual(expectedInputIds);
    expect(out.map((o) => o['id'])).toEqual(expectedInputIds);
    for (const o of out) expect(o['articleId']).toMatch(ARTICLE_ID);
    expect(new Set(out.map((o) => o['articleId'])).size).toBe(4);
  });

  it('dupes --json names both articles of each pair by both ids, on files and from the store', async () => {
    const onFiles = await runCli(['dupes', input, '--json']);
    expect(onFiles.code).toBe(0);
    const pairs = lines(onFiles.out) as (Record<string, unknown> & { a: string; b: string; articles: Ids[] })[];
    const reprint = pairs.find((p) => p.articles.some((s) => s.inputId === 'user-reprint'))!;
    expect(reprint.articles.map((s) => s.inputId).sort()).toEqual([expectedInputIds[0], 'user-reprint']);
    expect(reprint.articles.map((s) => s.articleId)).toEqual([reprint.a, reprint.b]);

    const db = join(dir, 'dupes.db');
    expect((await runCli(['ingest', input, '--db', db])).code).toBe(0);
    const stored = await runCli(['dupes', '--db', db, '--json']);
    const storedPairs = lines(stored.out) as (Record<string, unknown> & { a: string; b: string; articles: Ids[] })[];
    const again = storedPairs.find((p) => p.articles.some((s) => s.inputId === 'user-reprint'))!;
    expect(again.articles.map((s) => s.articleId)).toEqual([again.a, again.b]);
    expect(again.articles.map((s) => s.inputId).sort()).toEqual([expectedInputIds[0], 'user-reprint']);
  });

  it('compare --json gives each compared article its inputId beside its id', async () => {
    const r = await runCli(['compare', SEED_A, SEED_B, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out) as { articles: (Ids & { id: string })[] };
    // text files carry no id or URL: the file they were read from
    expect(c.articles.map((a) => a.inputId)).toEqual([SEED_A, SEED_B]);
    for (const a of c.articles) expect(a.articleId).toBe(a.id);
    const fromJsonl = JSON.parse((await runCli(['compare', input, '--json'])).out) as { articles: Ids[] };
    expect(fromJsonl.articles.map((a) => a.inputId)).toEqual(expectedInputIds);
  });

  it("similarity echoes the line's id as inputId, else file:line", async () => {
    const pairs = join(dir, 'pairs.jsonl');
    writeFileSync(
      pairs,
      `${JSON.stringify({ id: 'p-1', a: 'The talks began in Paris.', b: 'Talks started in Paris.' })}\n${JSON.stringify({ a: 'x y z', b: 'a b c' })}\n${JSON.stringify({ id: 7, a: 'one', b: 'one' })}\n`,
    );
    const r = await runCli(['similarity', pairs]);
    expect(r.code).toBe(0);
    expect(lines(r.out).map((o) => [o['id'], o['inputId']])).toEqual([
      ['p-1', 'p-1'],
      [2, `${pairs}:2`],
      [7, '7'],
    ]);
  });

  it('ingest --json, articles, show and stories name each article by both ids', async () => {
    const db = join(dir, 'listing.db');
    const ingest = await runCli(['ingest', input, '--db', db, '--json']);
    expect(ingest.code).toBe(0);
    const report = JSON.parse(ingest.out) as { articles: (Ids & { id: string })[] };
    expect(report.articles.map((a) => a.inputId)).toEqual(expectedInputIds);
    for (const a of report.articles) expect(a.articleId).toBe(a.id);
    const listed = lines((await runCli(['articles', '--db', db, '--json'])).out) as (Ids & { id: string })[];
    expect(listed.map((a) => a.inputId).sort()).toEqual([...expectedInputIds].sort());
    const shown = JSON.parse((await runCli(['show', report.articles[1]!.id, '--db', db, '--json'])).out) as Ids;
    expect(shown).toEqual(expect.objectContaining({ articleId: report.articles[1]!.id, inputId: 'https://news.example/rehab/second' }));
    const story = lines((await runCli(['stories', '--db', db, '--json'])).out)[0]!;
    const members = JSON.parse((await runCli(['stories', String(story['id']), '--db', db, '--json'])).out) as { articles: Ids[] };
    for (const m of members.articles) expect(expectedInputIds).toContain(m.inputId);
  });

  it("the API's upload answer names each article by both ids", async () => {
    const engine = openEngine(SqliteStore.open({ path: join(dir, 'api.db') }));
    const app = createApp({ engine, writeToken: 't', ui: false });
    try {
      const res = await app.request('/api/v1/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ articles: [{ id: 'cms-42', text: rows[3]!.text }, { text: rows[4]!.text }] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { articles: (Ids & { id: string })[] };
      expect(body.articles.map((a) => a.inputId)).toEqual(['cms-42', 'articles.1']);
      for (const a of body.articles) expect(a.articleId).toBe(a.id);
      const form = new FormData();
      form.append('file', new Blob([readFileSync(SEED_B)]), 'seed-b.txt');
      const up = await app.request('/api/v1/ingest', { method: 'POST', body: form, headers: { authorization: 'Bearer t' } });
      expect(((await up.json()) as { articles: Ids[] }).articles.map((a) => a.inputId)).toEqual(['upload:seed-b.txt']);
    } finally {
      await engine.close();
    }
  });
});

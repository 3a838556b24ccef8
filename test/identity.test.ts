import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/pipeline.js';
import { diffWords } from '../src/ui/app/diff.js';
import { resolveIdentity } from '../src/engine/identity.js';
import { identityKey, inputFile } from '../src/domain/identity.js';
import { SPLIT_MARK } from '../src/store/tracks.js';
import { copySqliteRows, makeLegacySqlite } from './helpers/legacy-schema.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { articleFrom } from './helpers/articles.js';
import { runCli } from './helpers/cli.js';

/**
 * Article identity (issue 22) and versions: an article is the same article only when it is
 * the same input (URL, else id and outlet, else content in its file); re-reading an input
 * changes nothing; a new version only when the text changed and still shares text with the
 * stored one.
 */
const dir = mkdtempSync(join(tmpdir(), 'parallax-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOPIC14 = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/ecbplus-topic14.jsonl');
const rows = readFileSync(TOPIC14, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; url?: string; text: string });
const wire = rows.reduce((a, b) => (b.text.length > a.text.length ? b : a)).text;
const other = rows.filter((r) => r.text !== wire).reduce((a, b) => (b.text.length > a.text.length ? b : a)).text;

function jsonl(name: string, records: object[]): string {
  const f = join(dir, name);
  writeFileSync(f, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return f;
}

async function ingest(db: string, file: string) {
  const engine = openEngine(SqliteStore.open({ path: db }));
  try {
    return await engine.ingest([file]);
  } finally {
    await engine.close();
  }
}

describe('identity keys', () => {
  it('are the URL, else the id with its outlet, else the content in its file', () => {
    const base = articleFrom('One wire story, carried word for word.', { source: 'feeds/a.jsonl:3' });
    expect(identityKey({ ...base, url: 'https://www.Example.com/x/?utm_source=t#top' })).toBe('url:example.com/x');
    expect(inputFile('feeds/a.jsonl:3')).toBe('feeds/a.jsonl');
    expect(inputFile('./feeds/b.xml#item-2')).toBe('feeds/b.xml');
    const withId = { ...base, externalId: '17' };
    expect(identityKey(withId)).toBe('id:\n17');
    const outlet = { value: 'Gulf Times', evidence: { source: 'jsonl', detail: 'outlet' } } as const;
    expect(identityKey({ ...withId, meta: { ...base.meta, outlet } })).toBe('id:gulf times\n17');
    // an outlet read from the text is not the input's own
    expect(identityKey({ ...withId, meta: { ...base.meta, outlet: { ...outlet, evidence: { source: 'text', detail: '(MENAFN- Gulf Times)' } } } })).toBe('id:\n17');
    expect(identityKey(base)).toBe(`content:feeds/a.jsonl\n${base.contentHash}`);
    expect(identityKey({ ...base, source: 'feeds/a.jsonl:9' })).toBe(identityKey(base));
    expect(identityKey({ ...base, source: 'feeds/c.jsonl:3' })).not.toBe(identityKey(base));
  });

  it('resolves an input against the articles under its key: unchanged, a version, or another article', () => {
    const v1 = articleFrom(wire);
    const key = 'url:example.com/live';
    const stored = [{ key, id: v1.id, version: 2, title: null, texts: [articleFrom(other).text, v1.text] }];
    expect(resolveIdentity(v1, key, stored)).toEqual({ status: 'unchanged', id: v1.id, version: 2 });
    // an older version's text read again is no new version
    expect(resolveIdentity(articleFrom(other), key, stored)).toEqual({ status: 'unchanged', id: v1.id, version: 2 });
    const edited = articleFrom(`${wire}\nPolice later said no one was hurt.`);
    expect(resolveIdentity(edited, key, stored)).toEqual({ status: 'updated', id: v1.id });
    const unrelated = articleFrom(rows[0]!.text === wire ? rows[1]!.text : rows[0]!.text);
    const r = resolveIdentity(unrelated, key, [{ key, id: v1.id, version: 1, title: null, texts: [v1.text] }]);
    expect(r.status).toBe('new');
    expect(r.id).not.toBe(v1.id);
    // the same headline over a rewritten text is the article updated
    expect(resolveIdentity({ ...unrelated, title: 'Fire' }, key, [{ key, id: v1.id, version: 1, title: 'Fire', texts: [v1.text] }])).toEqual({ status: 'updated', id: v1.id });
  });
});

describe('ingest', () => {
  it('keeps identical texts under different ids, URLs or outlets as different articles, and dupes pairs them as exact', async () => {
    const f = jsonl('wire.jsonl', [
      { id: 'w1', text: wire, published: '2013-07-21T10:00:00Z' },
      { id: 'w2', text: wire, published: '2013-07-21T12:00:00Z' },
      { id: 'w1', outlet: 'Other Times', text: wire, published: '2013-07-21T13:00:00Z' },
      { url: 'https://a.example.com/fire', text: wire, published: '2013-07-21T14:00:00Z' },
      { url: 'https://b.example.com/fire', text: wire, published: '2013-07-21T15:00:00Z' },
    ]);
    const db = join(dir, 'wire.db');
    const first = await ingest(db, f);
    expect([first.new, first.unchanged, first.updated, first.failed.length]).toEqual([5, 0, 0, 0]);
    const again = await ingest(db, f);
    expect([again.new, again.unchanged, again.updated]).toEqual([0, 5, 0]);
    // stored links: every pair exact, the earliest published the original
    const listed = await runCli(['dupes', '--db', db, '--json']);
    const links = listed.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { a: string; b: string; class: string; original: string });
    expect(links.length).toBeGreaterThanOrEqual(4);
    expect(new Set(links.map((l) => l.class))).toEqual(new Set(['exact']));
    const firstId = first.outcomes[0]!.id;
    expect(links.filter((l) => l.a === firstId || l.b === firstId).every((l) => l.original === firstId)).toBe(true);
    // stateless: the ten pairs, each exact, the earlier of each pair the original
    const r = await runCli(['dupes', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const pairs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { class: string; reason: string });
    expect(pairs).toHaveLength(10);
    expect(pairs.every((p) => p.class === 'exact' && p.reason === 'published earlier')).toBe(true);
  });

  it('re-ingesting an ECB+ slice changes nothing, and different reports at one URL stay different articles', async () => {
    const db = join(dir, 'ecb.db');
    const first = await ingest(db, TOPIC14);
    expect([first.new, first.updated, first.failed.length]).toEqual([rows.length, 0, 0]);
    for (let i = 0; i < 2; i++) {
      const again = await ingest(db, TOPIC14);
      expect([again.new, again.unchanged, again.updated]).toEqual([0, rows.length, 0]);
    }
    const d = new Database(db, { readonly: true });
    expect((d.prepare('SELECT count(*) AS n FROM article_versions').get() as { n: number }).n).toBe(0);
    const atOneUrl = d.prepare("SELECT count(*) AS n FROM articles WHERE url LIKE '%wellington-supermarket-fire%'").get() as { n: number };
    expect(atOneUrl.n).toBe(3);
    d.close();
  });

  it('makes a new version only when the text changed, and never flips back to an old one', async () => {
    const db = join(dir, 'versions.db');
    const url = 'https://news.example.org/fire';
    const v1 = jsonl('v1.jsonl', [{ url, title: 'Fire', text: wire }]);
    const retitled = jsonl('v1t.jsonl', [{ url, title: 'Fire at the supermarket', text: wire }]);
    const v2 = jsonl('v2.jsonl', [{ url, title: 'Fire', text: `${wire}\nPolice later said no one was hurt.` }]);
    expect((await ingest(db, v1)).new).toBe(1);
    expect((await ingest(db, retitled)).unchanged).toBe(1);
    const up = await ingest(db, v2);
    expect([up.updated, up.outcomes[0]!.version]).toEqual([1, 2]);
    expect((await ingest(db, v1)).unchanged).toBe(1);
    expect((await ingest(db, v2)).unchanged).toBe(1);
    const store = SqliteStore.open({ path: db });
    expect((await store.getVersions(up.outcomes[0]!.id)).map((v) => v.version)).toEqual([1, 2]);
    await store.close();
  });

  it('dates each version by its own published date, and diffs versions word by word', async () => {
    const db = join(dir, 'dated.db');
    const url = 'https://news.example.org/dated';
    const text = 'Fire crews fought the blaze for 6 hours.\nThe store will stay closed until Monday.';
    expect((await ingest(db, jsonl('d1.jsonl', [{ url, text, published: '2013-07-21T08:00:00Z' }]))).new).toBe(1);
    const up = await ingest(db, jsonl('d2.jsonl', [{ url, text: text.replace('6 hours', '7 hours'), published: '2013-07-22T09:30:00Z' }]));
    expect(up.updated).toBe(1);
    const store = SqliteStore.open({ path: db });
    const versions = await store.getVersions(up.outcomes[0]!.id);
    await store.close();
    expect(versions.map((v) => [v.version, v.published])).toEqual([
      [1, '2013-07-21T08:00:00.000Z'],
      [2, '2013-07-22T09:30:00.000Z'],
    ]);
    expect(diffWords(versions[0]!.text, versions[1]!.text)).toEqual([
      { op: 'same', text: 'Fire crews fought the blaze for ' },
      { op: 'del', text: '6' },
      { op: 'add', text: '7' },
      { op: 'same', text: ' hours.\nThe store will stay closed until Monday.' },
    ]);
  });

  it('migrates a schema-4 database: old articles get their keys, so re-reading them changes nothing', async () => {
    const made = join(dir, 'schema4-source.db');
    const f = jsonl('old.jsonl', [{ id: 'k1', text: wire }, { url: 'https://news.example.org/other', text: other }, { text: rows[2]!.text }]);
    expect((await ingest(made, f)).new).toBe(3);
    // as a schema-4 Parallax left it (no identity keys)
    const db = join(dir, 'schema4.db');
    makeLegacySqlite(db, 4, false);
    copySqliteRows(made, db);
    const raw = new Database(db);
    const ids = raw.prepare('SELECT id FROM articles ORDER BY seq').all();
    raw.close();
    const again = await ingest(db, f);
    expect([again.new, again.unchanged, again.updated]).toEqual([0, 3, 0]);
    const up = new Database(db, { readonly: true });
    expect(up.pragma('user_version', { simple: true })).toBe(SPLIT_MARK);
    expect(up.prepare('SELECT id FROM articles ORDER BY seq').all()).toEqual(ids);
    expect((up.prepare("SELECT name FROM repository_migrations WHERE repository = 'articles' AND version = 2").get() as { name: string }).name).toBe('article identity keys');
    expect((up.prepare('SELECT count(*) AS n FROM articles WHERE identity_key IS NULL').get() as { n: number }).n).toBe(0);
    up.close();
  });
});

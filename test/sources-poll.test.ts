import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleId } from '../src/domain/ids.js';
import { articleIdFromKey } from '../src/domain/ids.js';
import { canonicalUrl } from '../src/ingest/build.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runCli } from './helpers/cli.js';
import { type ArticleFixture, type FeedServer, type Handler, articlePage, atom, conditional, fixtureArticles, jsonFeed, rdf, rss2, startFeedServer, teaser } from './helpers/feed-server.js';
import { REPO } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-sources-'));
const articles = fixtureArticles();
const OUTLET = 'Loopback Herald';
let server: FeedServer;
let base: string;
const routes = new Map<string, Handler>();

const page =
  (a: ArticleFixture): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(a, OUTLET));
  };
const ETAG = '"rss-v1"';
const LAST_MODIFIED = 'Thu, 19 Nov 2026 10:00:00 GMT';
let rssItems = articles.slice(0, 3);

beforeAll(async () => {
  server = await startFeedServer(routes);
  base = server.base;
  for (const a of articles) for (const prefix of ['articles', 'atom-articles', 'rdf-articles', 'json-articles']) routes.set(`/${prefix}/${a.n}.html`, page(a));
  // RSS 2.0 of summaries, with an ETag; Atom of full texts, with Last-Modified only
  routes.set('/rss.xml', (req, res) =>
    conditional(() => rss2(base, rssItems, { title: 'Loopback Herald: World', summaries: true }), 'application/rss+xml', rssItems.length === 3 ? ETAG : '"rss-v2"', null)(req, res),
  );
  routes.set(
    '/atom.xml',
    conditional(() => atom(base, articles.slice(3, 6), 'Loopback Atom Desk'), 'application/atom+xml', null, LAST_MODIFIED),
  );
  routes.set(
    '/rdf.xml',
    conditional(() => rdf(base, articles.slice(6, 8), 'Loopback RDF'), 'application/rdf+xml', '"rdf1"', null),
  );
  routes.set(
    '/feed.json',
    conditional(() => jsonFeed(base, articles.slice(8, 10), 'Loopback JSON'), 'application/feed+json', '"json1"', LAST_MODIFIED),
  );
  routes.set('/site/', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>Site</title><link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/atom+xml" title="Site feed" href="/site/feed.atom"></head><body><p>Front page</p></body></html>`);
  });
  routes.set(
    '/site/feed.atom',
    conditional(() => atom(base, articles.slice(3, 4), 'Site Atom'), 'application/atom+xml', '"site1"', null),
  );
  // the ways sources fail
  routes.set('/500.xml', (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error'));
  routes.set('/slow.xml', (_req, res) => {
    const t = setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss2(base, articles.slice(0, 1), { title: 'Slow', summaries: true })), 5000);
    res.on('close', () => clearTimeout(t));
  });
  routes.set('/loop-a', (_req, res) => res.writeHead(302, { location: '/loop-b' }).end());
  routes.set('/loop-b', (_req, res) => res.writeHead(302, { location: '/loop-a' }).end());
  routes.set('/huge.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>');
    const item = `<item><title>x</title><description>${'word '.repeat(2000)}</description></item>`;
    let sent = 0;
    const more = (): void => {
      while (sent < 3_000_000) {
        sent += item.length;
        if (!res.write(item)) return void res.once('drain', more);
      }
      res.end('</channel></rss>');
    };
    more();
  });
  routes.set('/not-xml.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('Service temporarily unavailable. Please try again later.'));
  routes.set('/busy.xml', (_req, res) => res.writeHead(429, { 'retry-after': '7200', 'content-type': 'text/plain' }).end('slow down'));
  routes.set(
    '/broken-links.xml',
    conditional(() => rss2(base, articles.slice(0, 2), { title: 'Broken Links', summaries: true, linkPrefix: '/gone/' }), 'application/rss+xml', null, null),
  );
  routes.set(
    '/fresh.xml',
    conditional(() => rss2(base, articles.slice(2, 3), { title: 'Fresh', summaries: false }), 'application/rss+xml', null, null, { 'cache-control': 'public, max-age=7200' }),
  );
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOfUrl = (url: string): ArticleId => articleIdFromKey(`url:${canonicalUrl(url)}`);

async function listJson(db: string): Promise<Array<Record<string, unknown>>> {
  const r = await runCli(['sources', 'list', '--json', '--db', db]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { items: Array<Record<string, unknown>> }).items;
}

describe('sources over real HTTP', () => {
  const db = join(dir, 'good.db');

  it('adds feeds of every format and a site by the feed its page names', async () => {
    const r = await runCli([
      'sources',
      'add',
      `${base}/rss.xml`,
      `${base}/atom.xml`,
      `${base}/rdf.xml`,
      `${base}/feed.json`,
      `${base}/site/`,
      '--allow-private',
      '--interval',
      '30m',
      '--db',
      db,
      '--json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const list = await listJson(db);
    expect(list.map((s) => [s['kind'], s['format'], s['url'], s['title'], s['interval']])).toEqual([
      ['feed', 'rss', `${base}/rss.xml`, 'Loopback Herald: World', 1800],
      ['feed', 'atom', `${base}/atom.xml`, 'Loopback Atom Desk', 1800],
      ['feed', 'rdf', `${base}/rdf.xml`, 'Loopback RDF', 1800],
      ['feed', 'json', `${base}/feed.json`, 'Loopback JSON', 1800],
      ['site', 'atom', `${base}/site/feed.atom`, 'Site Atom', 1800],
    ]);
    expect(list[4]!['siteUrl']).toBe(`${base}/site/`);
    // adding again changes nothing
    const again = await runCli(['sources', 'add', `${base}/rss.xml`, '--allow-private', '--db', db]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^known/);
    expect(await listJson(db)).toHaveLength(5);
  });

  it("watch --once stores every new item; summaries are followed to the page, with the feed's title, date and outlet", async () => {
    const before = server.requests.length;
    const r = await runCli(['watch', '--once', '--host-delay', '20', '--db', db]);
    expect(r.code).toBe(0);
    // one line per source on stderr
    expect(r.err.trim().split('\n')).toHaveLength(5);
    expect(r.err).toMatch(/ok +1 .*rss\.xml: 200, 3 items, 3 new, 3 stored \(3 full pages, 0 summaries\)/);
    const store = SqliteStore.open({ path: db });
    try {
      const a1 = articles[0]!;
      const stored = await store.getArticle(idOfUrl(`${base}/articles/1.html`));
      expect(stored).not.toBeNull();
      // the page's whole text, not the teaser the feed carried
      const lastPara = a1.text.split('\n\n').at(-1)!;
      expect(stored!.text).toContain(lastPara.slice(0, 60));
      expect(stored!.text.length).toBeGreaterThan(teaser(a1.text).length * 2);
      expect(stored!.text).not.toContain('Advertisement');
      expect(stored!.meta.title).toEqual({ value: a1.title, evidence: { source: 'feed', detail: 'item title' } });
      expect(stored!.meta.outlet).toEqual({ value: 'Loopback Herald: World', evidence: { source: 'feed', detail: 'channel title' } });
      expect(stored!.meta.published?.value).toBe(new Date(a1.published).toISOString());
      expect(stored!.meta.published?.evidence.source).toBe('feed');
      expect(stored!.externalId).toBe('rss-1');
      // JSON Feed summaries were followed too; RSS 1.0 as well
      expect(await store.getArticle(idOfUrl(`${base}/json-articles/9.html`))).not.toBeNull();
      expect((await store.getArticle(idOfUrl(`${base}/rdf-articles/7.html`)))!.meta.outlet?.value).toBe('Loopback RDF');
      // through the same engine as ingest: the site's feed and the Atom feed link to one page, stored once, in a story
      const shared = idOfUrl(`${base}/atom-articles/4.html`);
      expect(await store.getArticle(shared)).not.toBeNull();
      expect(await store.stories.storyOf(shared)).not.toBeNull();
      expect(await store.countArticles()).toBe(3 + 3 + 2 + 2);
    } finally {
      await store.close();
    }
    // Atom items that carried a long article were not fetched again as pages
    const asked = server.requests.slice(before).map((q) => q.path);
    const longAtom = articles.slice(3, 6).filter((a) => a.text.split(/\s+/).length >= 150);
    expect(longAtom.length).toBeGreaterThan(0);
    for (const a of longAtom) expect(asked).not.toContain(`/atom-articles/${a.n}.html`);
    const list = await listJson(db);
    expect(list.map((s) => [s['lastStatus'], s['consecutiveFailures'], s['lastError']])).toEqual(Array(5).fill([200, 0, null]));
    const text = await runCli(['sources', 'list', '--db', db]);
    expect(text.out).toContain(`   1  feed rss  every 30m    Loopback Herald: World\n      ${base}/rss.xml\n      last fetch `);
    expect(text.out).toMatch(/status 200, ok, 3 articles, next in 30m/);
    expect(text.out).toContain(`(site ${base}/site/)`);
    expect(list.reduce((n, s) => n + (s['articles'] as number), 0)).toBe(3 + 3 + 2 + 2 + 1);
  });

  it('asks again conditionally: a 304 costs nothing, an item already stored is never fetched again', async () => {
    const before = server.requests.length;
    const store = SqliteStore.open({ path: db });
    const count = await store.countArticles();
    await store.close();
    const r = await runCli(['watch', '--once', '--host-delay', '5', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const reports = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { url: string; status: number; notModified: boolean });
    expect(reports.every((p) => p.notModified && p.status === 304)).toBe(true);
    const asked = server.requests.slice(before);
    expect(asked.map((q) => q.path).sort()).toEqual(['/atom.xml', '/feed.json', '/rdf.xml', '/rss.xml', '/site/feed.atom']);
    expect(asked.find((q) => q.path === '/rss.xml')!.ifNoneMatch).toBe(ETAG);
    expect(asked.find((q) => q.path === '/atom.xml')).toMatchObject({ ifNoneMatch: null, ifModifiedSince: LAST_MODIFIED });
    expect(asked.find((q) => q.path === '/feed.json')).toMatchObject({ ifNoneMatch: '"json1"', ifModifiedSince: LAST_MODIFIED });
    const after = SqliteStore.open({ path: db });
    expect(await after.countArticles()).toBe(count);
    await after.close();

    // the feed changes: only the new item's page is fetched
    rssItems = articles.slice(0, 4);
    const mark = server.requests.length;
    const r2 = await runCli(['watch', '--once', '--host-delay', '5', '--db', db]);
    expect(r2.code).toBe(0);
    expect(r2.err).toMatch(/rss\.xml: 200, 4 items, 1 new, 1 stored/);
    expect(
      server.requests
        .slice(mark)
        .filter((q) => q.path.startsWith('/articles/'))
        .map((q) => q.path),
    ).toEqual(['/articles/4.html']);
  });

  it('exports OPML that imports into another store unchanged', async () => {
    const out = await runCli(['sources', 'export', '--db', db]);
    expect(out.code).toBe(0);
    expect(out.out).toContain(`xmlUrl="${base}/rss.xml"`);
    const file = join(dir, 'subs.opml');
    writeFileSync(file, out.out);
    const other = join(dir, 'imported.db');
    const imp = await runCli(['sources', 'import', file, '--db', other, '--allow-private']);
    expect(imp.code).toBe(0);
    expect(imp.out).toContain('5 added, 0 already known');
    const list = await listJson(other);
    expect(list.map((s) => [s['url'], s['title'], s['siteUrl']])).toEqual((await listJson(db)).map((s) => [s['url'], s['title'], s['siteUrl']]));
    const bad = join(dir, 'bad.opml');
    writeFileSync(bad, '<opml version="2.0"><body><outline xmlUrl="https://a.example/feed"></body></opml>');
    const r = await runCli(['sources', 'import', bad, '--db', other]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.opml:1:\d+: malformed OPML/);
  });

  it('removes by id or URL; the articles stay', async () => {
    const other = join(dir, 'imported.db');
    const r = await runCli(['sources', 'remove', '1', `${base}/atom.xml`, '99', '--db', other]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`removed 1 ${base}/rss.xml`);
    expect(r.err).toContain('no source with id 99');
    expect((await listJson(other)).map((s) => s['id'])).toEqual([3, 4, 5]);
  });
});

describe('bad sources', () => {
  const db = join(dir, 'bad.db');

  it('one bad source never stops the others; each failure is recorded on its source', async () => {
    const store = SqliteStore.open({ path: db });
    const repo = store.sources;
    const now = new Date().toISOString();
    for (const path of ['/500.xml', '/slow.xml', '/loop-a', '/huge.xml', '/not-xml.xml', '/busy.xml', '/broken-links.xml', '/fresh.xml']) {
      await repo.add({ url: `${base}${path}`, siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 900, allowPrivate: true, follow: 'auto', addedAt: now });
    }
    // the same server, but this source was not allowed private addresses
    await repo.add({ url: `${base}/rss.xml`, siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 900, allowPrivate: false, follow: 'auto', addedAt: now });
    await store.close();

    const t0 = Date.now();
    const r = await runCli(['watch', '--once', '--host-delay', '0', '--timeout', '1', '--max-bytes', '1000000', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(9);
    const list = await listJson(db);
    const by = (p: string): Record<string, unknown> => list.find((s) => s['url'] === `${base}${p}`)!;
    expect(by('/500.xml')).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500', consecutiveFailures: 1 });
    expect(by('/slow.xml')['lastError']).toMatch(/no answer within 1000 ms/);
    expect(by('/loop-a')['lastError']).toMatch(/more than 5 redirects/);
    expect(by('/huge.xml')['lastError']).toMatch(/TOO_LARGE: .*over the 1000000-byte limit/);
    expect(by('/not-xml.xml')['lastError']).toMatch(/MALFORMED_FEED: .*not a feed: expected RSS, Atom \(XML\) or JSON Feed/);
    expect(by('/busy.xml')).toMatchObject({ lastStatus: 429, lastError: 'HTTP 429' });
    // Retry-After: 7200 is honoured (well past the 15-minute interval)
    expect(Date.parse(by('/busy.xml')['nextDueAt'] as string) - t0).toBeGreaterThanOrEqual(7_190_000);
    expect(by('/rss.xml')['lastError']).toMatch(/URL_REFUSED: .*loopback, private or link-local address; refused/);
    expect(by('/rss.xml')['lastStatus']).toBeNull();
    // Cache-Control: max-age=7200 puts the next poll two hours away, not 15 minutes
    expect(by('/fresh.xml')).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, articles: 1 });
    expect(Date.parse(by('/fresh.xml')['nextDueAt'] as string) - t0).toBeGreaterThanOrEqual(7_190_000);
    // pages that fail: the summary is stored and the failure recorded
    expect(by('/broken-links.xml')).toMatchObject({ lastStatus: 200, lastError: null, articles: 2 });
    expect(r.err).toMatch(/broken-links\.xml: 200, 2 items, 2 new, 2 stored \(0 full pages, 2 summaries\), 2 pages failed/);

    const s2 = SqliteStore.open({ path: db });
    try {
      const repo2 = s2.sources;
      const broken = (await repo2.find(`${base}/broken-links.xml`))!;
      const errs = await repo2.itemErrors(broken.id, 10);
      expect(errs).toHaveLength(2);
      expect(errs[0]!.error).toMatch(/^page: FETCH_FAILED: fetch: .*\/gone\/\d\.html: HTTP 404/);
      const summary = await s2.getArticle(idOfUrl(`${base}/gone/1.html`));
      expect(summary!.text).toContain(articles[0]!.text.split(/\s+/).slice(0, 8).join(' '));
      expect(summary!.text.split(/\s+/).length).toBeLessThanOrEqual(26);
      expect(summary!.meta.outlet?.value).toBe('Broken Links');
    } finally {
      await s2.close();
    }
  });

  it('backs off exponentially while a source keeps failing', async () => {
    const before = (await listJson(db)).find((s) => s['url'] === `${base}/500.xml`)!;
    const t0 = Date.now();
    const r = await runCli(['watch', '--once', '--host-delay', '0', '--timeout', '1', '--max-bytes', '1000000', '--db', db]);
    expect(r.code).toBe(1);
    const after = (await listJson(db)).find((s) => s['url'] === `${base}/500.xml`)!;
    expect(before['consecutiveFailures']).toBe(1);
    expect(after['consecutiveFailures']).toBe(2);
    // interval 900 s: 900 after the first failure, 1800 after the second
    expect(Date.parse(after['nextDueAt'] as string) - t0).toBeGreaterThanOrEqual(1_795_000);
    expect(Date.parse(after['nextDueAt'] as string) - t0).toBeLessThan(1_900_000);
  });

  it('asks one host one request at a time, with the minimum delay between requests', async () => {
    const db2 = join(dir, 'polite.db');
    const store = SqliteStore.open({ path: db2 });
    const repo = store.sources;
    for (const p of ['/rss.xml', '/atom.xml', '/rdf.xml', '/feed.json']) {
      await repo.add({ url: `${base}${p}`, siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 900, allowPrivate: true, follow: 'always', addedAt: new Date().toISOString() });
    }
    await store.close();
    const mark = server.requests.length;
    const r = await runCli(['watch', '--once', '--host-delay', '40', '--concurrency', '4', '--db', db2]);
    expect(r.code).toBe(0);
    const reqs = server.requests.slice(mark).sort((a, b) => a.at - b.at);
    expect(reqs.length).toBeGreaterThan(10);
    for (let i = 1; i < reqs.length; i++) {
      // each request starts after the previous one ended, at least 40 ms later (timer slack: 35)
      expect(reqs[i]!.at - reqs[i - 1]!.end!).toBeGreaterThanOrEqual(35);
    }
  });

  it('refuses to add a loopback source without --allow-private, and names the page that names no feed', async () => {
    const db3 = join(dir, 'refuse.db');
    const r = await runCli(['sources', 'add', `${base}/rss.xml`, '--db', db3]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed +http:\/\/127\.0\.0\.1:\d+\/rss\.xml: URL_REFUSED: .*refused \(use --allow-private to permit\)/);
    const r2 = await runCli(['sources', 'add', `${base}/articles/1.html`, `${base}/500.xml`, '--allow-private', '--db', db3]);
    expect(r2.code).toBe(1);
    expect(r2.out).toMatch(/articles\/1\.html: MALFORMED_FEED: .*HTML page that names no feed/);
    expect(r2.out).toMatch(/500\.xml: FETCH_FAILED: .*HTTP 500/);
    const bad = await runCli(['sources', 'add', `${base}/rss.xml`, '--interval', '5', '--db', db3]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--interval: expected between 1m and 7d, found "5"');
    const follow = await runCli(['sources', 'add', `${base}/rss.xml`, '--follow', 'sometimes', '--db', db3]);
    expect(follow.code).toBe(2);
    expect(follow.err).toContain('--follow: expected auto, always or never, found "sometimes"');
    expect(await listJson(db3)).toEqual([]);
  });
});

describe('watch until stopped', () => {
  it('SIGTERM finishes the polls under way and exits cleanly', async () => {
    const db = join(dir, 'watch.db');
    const add = await runCli(['sources', 'add', `${base}/rss.xml`, '--allow-private', '--db', db]);
    expect(add.code).toBe(0);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'watch', '--db', db, '--host-delay', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // one signal: a second one means "stop at once" (exit 130)
      if (!sent && /rss\.xml: 200/.test(err)) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(err).toContain('stopping after the polls under way');
    const store = SqliteStore.open({ path: db });
    expect(await store.countArticles()).toBe(rssItems.length);
    await store.close();
  });
});

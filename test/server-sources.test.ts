import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/pipeline.js';
import type { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { type FeedServer, type Handler, articlePage, conditional, fixtureArticles, rss2, startFeedServer } from './helpers/feed-server.js';
import { REPO } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-server-sources-'));
const articles = fixtureArticles();
const routes = new Map<string, Handler>();
let feeds: FeedServer;
let engine: Engine;
let app: ReturnType<typeof createApp>;
const TOKEN = 'sources-token';

beforeAll(async () => {
  feeds = await startFeedServer(routes);
  for (const a of articles) routes.set(`/articles/${a.n}.html`, (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end(articlePage(a, 'Loopback Herald')));
  routes.set(
    '/rss.xml',
    conditional(() => rss2(feeds.base, articles.slice(0, 3), { title: 'Herald RSS', summaries: true }), 'application/rss+xml', '"e1"', null),
  );
  routes.set('/500.xml', (_q, r) => r.writeHead(500).end('no'));
  engine = openEngine(SqliteStore.open({ path: join(dir, 'api.db') }));
  app = createApp({ engine, writeToken: TOKEN, allowPrivate: true, ui: false, extend: SERVER_EXTENSIONS });
});
afterAll(async () => {
  await engine?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, token: string | null = TOKEN) =>
  app.request('/api/v1/sources', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('/api/v1/sources', () => {
  it('refuses writes without the token, and bad bodies with the field named', async () => {
    expect((await post({ urls: [`${feeds.base}/rss.xml`] }, null)).status).toBe(401);
    expect((await post({ urls: [`${feeds.base}/rss.xml`] }, 'wrong')).status).toBe(401);
    const bad = await post({ urls: ['not a url'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('urls.0');
    const interval = await post({ urls: [`${feeds.base}/rss.xml`], interval: '10s', allowPrivate: true });
    expect(interval.status).toBe(400);
    expect(((await interval.json()) as { error: { message: string } }).error.message).toContain('interval: expected between 1m and 7d');
    const extra = await post({ urls: [`${feeds.base}/rss.xml`], colour: 'red' });
    expect(extra.status).toBe(400);
    expect((await app.request('/api/v1/sources/1', { method: 'DELETE' })).status).toBe(401);
    const noWrites = createApp({ engine, ui: false, extend: SERVER_EXTENSIONS });
    expect((await noWrites.request('/api/v1/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"urls":["https://a.example/"]}' })).status).toBe(403);
    const noPrivate = createApp({ engine, writeToken: TOKEN, ui: false, extend: SERVER_EXTENSIONS });
    const refused = await noPrivate.request('/api/v1/sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ urls: [`${feeds.base}/rss.xml`], allowPrivate: true }),
    });
    expect(refused.status).toBe(403);
  });

  it('adds, lists with health and articles per day, shows one, deletes', async () => {
    const r = await post({ urls: [`${feeds.base}/rss.xml`, `${feeds.base}/500.xml`], interval: '30m', follow: 'always', allowPrivate: true });
    expect(r.status).toBe(201);
    const body = (await r.json()) as { results: Array<{ ok: boolean; created?: boolean; source?: { id: number; kind: string; format: string; interval: number; follow: string }; error?: string }> };
    expect(body.results[0]).toMatchObject({ ok: true, created: true, source: { kind: 'feed', format: 'rss', interval: 1800, follow: 'always' } });
    expect(body.results[1]).toMatchObject({ ok: false });
    expect(body.results[1]!.error).toContain('HTTP 500');
    const again = await post({ urls: [`${feeds.base}/rss.xml`], allowPrivate: true });
    expect(again.status).toBe(200);
    const allBad = await post({ urls: [`${feeds.base}/500.xml`], allowPrivate: true });
    expect(allBad.status).toBe(422);

    const list = (await (await app.request('/api/v1/sources')).json()) as { total: number; items: Array<Record<string, unknown>> };
    expect(list.total).toBe(1);
    const s = list.items[0]!;
    for (const field of ['id', 'url', 'title', 'kind', 'interval', 'lastFetchAt', 'lastStatus', 'lastError', 'consecutiveFailures', 'articles', 'nextDueAt']) expect(s).toHaveProperty(field);
    expect(s['articlesPerDay']).toHaveLength(14);
    const one = await app.request(`/api/v1/sources/${String(s['id'])}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: s['id'], itemErrors: [] });
    expect((await app.request('/api/v1/sources/999')).status).toBe(404);
    expect((await app.request('/api/v1/sources/abc')).status).toBe(400);
    const del = await app.request(`/api/v1/sources/${String(s['id'])}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await del.json()).toEqual({ removed: s['id'] });
    expect((await app.request(`/api/v1/sources/${String(s['id'])}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('is documented in the OpenAPI document, writes marked as authenticated', async () => {
    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(Object.keys(doc.paths['/sources']!)).toEqual(['get', 'post']);
    expect(doc.paths['/sources']!['post']!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/sources/{id}']!['delete']!.security).toEqual([{ bearer: [] }]);
  });
});

describe('parallax serve --watch', () => {
  it('polls in the server process: a source added through the API is polled at once and its articles stored', async () => {
    const db = join(dir, 'watch.db');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'serve', '--watch', '--allow-private', '--port', '0', '--db', db], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PARALLAX_TOKEN: TOKEN },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setInterval(() => {
          const m = /Parallax at (http:\/\/\S+)\//.exec(out);
          if (m) {
            clearInterval(t);
            resolve(m[1]!);
          }
        }, 50);
        child.on('exit', () => reject(new Error(`serve exited: ${err}`)));
      });
      const r = await fetch(`${url}/api/v1/sources`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ urls: [`${feeds.base}/rss.xml`], allowPrivate: true }),
      });
      expect(r.status).toBe(201);
      let source: Record<string, unknown> | undefined;
      for (let i = 0; i < 200; i++) {
        source = ((await (await fetch(`${url}/api/v1/sources`)).json()) as { items: Array<Record<string, unknown>> }).items[0];
        if (source?.['lastStatus'] === 200) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(source).toMatchObject({ lastStatus: 200, articles: 3, consecutiveFailures: 0 });
      const perDay = source!['articlesPerDay'] as Array<{ articles: number }>;
      expect(perDay.at(-1)!.articles).toBe(3);
      expect(((await (await fetch(`${url}/api/v1/articles`)).json()) as { total: number }).total).toBe(3);
      // the poll is in the server's JSON log
      expect(err).toMatch(/"msg":"poll".*"status":200/);
      child.kill('SIGTERM');
      expect(await new Promise((res) => child.on('exit', res))).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

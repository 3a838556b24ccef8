import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { ClusterStage } from '../src/stages/cluster.js';
import { DedupStage } from '../src/stages/dedup.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { contractProblems } from './helpers/contract.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-server-'));
let engine: Engine;
let app: ReturnType<typeof createApp>;
const logs: Record<string, unknown>[] = [];
const TOKEN = 'test-token-123';

beforeAll(async () => {
  engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'api.db') }), stages: [new DedupStage(), new ClusterStage()] });
  // the seed pair and the first 60 ECB+ articles, from real files
  const ecb = join(dir, 'ecb.jsonl');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(ecb, readFileSync(ECBPLUS, 'utf8').split('\n').slice(0, 60).join('\n'));
  // a reprint of the Gulf Times article, with a syndication footer (a "read more" line, which
  // makes it another text, and a copyright line, which is boilerplate and removed at build)
  const copy = join(dir, 'reprint.txt');
  writeFileSync(copy, `${readFileSync(SEED_A, 'utf8').replace(/^ date \S+ \(MENAFN- Gulf Times\) /, '')}\nRead more at examplewire.com\nCopyright Example Wire 2024. All rights reserved.\n`);
  await engine.ingest([SEED_A, SEED_B, ecb, copy]);
  app = createApp({ engine, writeToken: TOKEN, log: (e) => logs.push(e), ui: false, extend: SERVER_EXTENSIONS });
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A GET whose answer, unless it is the OpenAPI document itself, must conform to the contract. */
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await app.request(path, { headers });
  const body = (await res.json()) as Record<string, unknown>;
  if (!path.startsWith('/api/v1/openapi.json')) expect(contractProblems('GET', path, res.status, body)).toEqual([]);
  return { status: res.status, body, headers: res.headers };
};

describe('GET /api/v1/articles', () => {
  it('lists with pagination and filters', async () => {
    const r = await get('/api/v1/articles?limit=5');
    expect(r.status).toBe(200);
    expect(r.body['total']).toBe(63);
    expect((r.body['items'] as unknown[]).length).toBe(5);
    const byOutlet = await get('/api/v1/articles?outlet=Gulf%20Times');
    expect((byOutlet.body['items'] as { outlet: string }[]).map((i) => i.outlet)).toEqual(['Gulf Times']);
    const dated = await get('/api/v1/articles?since=2024-01-01&limit=50');
    expect(dated.body['total']).toBe(1);
  });
  it('names the bad field in a 400', async () => {
    const r = await get('/api/v1/articles?limit=0');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: 'INVALID_FIELD', message: expect.stringMatching(/^query: limit: /), field: 'limit' } });
    const d = await get('/api/v1/articles?since=yesterday');
    expect(d.status).toBe(400);
    expect((d.body['error'] as { field: string }).field).toBe('since');
    // the right shape but no such day
    const bad = await get('/api/v1/articles?since=2013-99-99');
    expect(bad.status).toBe(400);
    expect((bad.body['error'] as { field: string }).field).toBe('since');
  });
  it('returns one article with sentences and versions; 404 and 400 for unknown and malformed ids', async () => {
    const list = await get('/api/v1/articles?outlet=Gulf%20Times');
    const id = (list.body['items'] as { id: string }[])[0]!.id;
    const r = await get(`/api/v1/articles/${id}`);
    expect(r.status).toBe(200);
    expect((r.body['sentences'] as unknown[]).length).toBe(15);
    expect((r.body['versions'] as unknown[]).length).toBe(1);
    const reprints = await get(`/api/v1/articles/${id}/reprints`);
    expect(reprints.body['items']).toEqual([expect.objectContaining({ class: 'exact', jaccard: 1 })]);
    expect((await get('/api/v1/articles/a0000000000000000/reprints')).status).toBe(404);
    expect((r.body['meta'] as { syndicator: { value: string } }).syndicator.value).toBe('MENAFN');
    expect((await get('/api/v1/articles/a0000000000000000')).status).toBe(404);
    const bad = await get('/api/v1/articles/..%2F..%2Fetc');
    expect(bad.status).toBe(400);
    expect((bad.body['error'] as { field: string }).field).toBe('id');
  });
});

describe('GET /api/v1/stories', () => {
  it('lists stories by size with outlets and per-article coverage, and shows one', async () => {
    const r = await get('/api/v1/stories?sort=largest&limit=100');
    expect(r.status).toBe(200);
    const items = r.body['items'] as { id: string; size: number; outlets: string[]; articles: { id: string }[] }[];
    expect(items.reduce((a, s) => a + s.size, 0)).toBe(63);
    expect(items[0]!.size).toBeGreaterThanOrEqual(items[1]!.size);
    const seed = items.find((s) => s.outlets.includes('Gulf Times'))!;
    expect(seed.size).toBe(3);
    expect(seed.articles).toHaveLength(3);
    const graph = await get(`/api/v1/stories/${seed.id}/reprints`);
    expect(graph.body['items']).toEqual([expect.objectContaining({ class: 'exact', reason: expect.any(String) })]);
    const one = await get(`/api/v1/stories/${seed.id}`);
    expect(one.status).toBe(200);
    expect((one.body['articles'] as { outlet: string | null }[]).map((a) => a.outlet)).toContain('Gulf Times');
    expect((await get('/api/v1/stories/s0000000000000000')).status).toBe(404);
    expect((await get('/api/v1/stories?sort=random')).status).toBe(400);
  });
});

describe('GET /api/v1/search', () => {
  it('finds by full text and requires q', async () => {
    const r = await get('/api/v1/search?q=Haniyeh');
    expect((r.body['items'] as unknown[]).length).toBe(3);
    expect((await get('/api/v1/search?q=')).status).toBe(400);
  });
});

describe('POST /api/v1/ingest', () => {
  const post = (body: NonNullable<RequestInit['body']>, headers: Record<string, string>) => app.request('/api/v1/ingest', { method: 'POST', body, headers });
  it('needs the bearer token', async () => {
    const body = JSON.stringify({ articles: [{ text: 'A new article about a truce in Gaza and the talks in Paris.' }] });
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(body, { 'content-type': 'application/json', authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await post(body, { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ new: 1, unchanged: 0, failed: [] });
  });
  it('refuses writes when no token is configured', async () => {
    const closed = createApp({ engine, ui: false });
    const r = await closed.request('/api/v1/ingest', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(403);
  });
  it('validates the body and names the field', async () => {
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    const r1 = await post('{"articles": [{"title": "no text"}]}', auth);
    expect(r1.status).toBe(400);
    expect(await r1.json()).toMatchObject({ error: { code: 'INVALID_FIELD', field: 'articles.0.text' } });
    const r2 = await post('not json', auth);
    expect(r2.status).toBe(400);
    const r3 = await post('{}', auth);
    expect(r3.status).toBe(400);
    const r4 = await post('x', { ...auth, 'content-type': 'text/plain' });
    expect(r4.status).toBe(415);
  });
  it('accepts file uploads, reporting bad files by name', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(SEED_B)]), 'seed-b.txt');
    form.append('file', new Blob([new Uint8Array([0, 1, 2, 3])]), 'bin.dat');
    const send = () => app.request('/api/v1/ingest', { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKEN}` } });
    const r = await send();
    expect(r.status).toBe(200);
    const body = (await r.json()) as { new: number; unchanged: number; failed: { source: string; code: string }[] };
    // an upload is an input of its own (the same text ingested from a path is another article, an exact reprint)
    expect(body.new + body.unchanged).toBe(1);
    expect(body.failed).toEqual([expect.objectContaining({ source: 'upload:bin.dat', code: 'BINARY_INPUT' })]);
    // the same upload again changes nothing
    expect(((await (await send()).json()) as { unchanged: number }).unchanged).toBe(1);
  });
  it('keeps the private-address guard for URL ingest', async () => {
    const r = await post(JSON.stringify({ urls: ['http://127.0.0.1:1/x'] }), { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { failed: { code: string }[] }).failed[0]!.code).toBe('URL_REFUSED');
  });
  it('answers a malformed multipart body with a 400 naming the body', async () => {
    for (const type of ['multipart/form-data; boundary=XYZ', 'multipart/form-data']) {
      const r = await post('garbage-no-boundary', { 'content-type': type, authorization: `Bearer ${TOKEN}` });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { field: string } }).error.field).toBe('body');
    }
  });
  it('limits the body size', async () => {
    const small = createApp({ engine, writeToken: TOKEN, maxBodyBytes: 1000, ui: false });
    const r = await small.request('/api/v1/ingest', {
      method: 'POST',
      body: JSON.stringify({ articles: [{ text: 'x'.repeat(5000) }] }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    expect(r.status).toBe(413);
  });
});

describe('safety and documentation', () => {
  it('sends a Content-Security-Policy and no-sniff on every response', async () => {
    const r = await app.request('/api/v1/articles');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
  it('keeps the whole policy and the other safety headers on answers and errors alike', async () => {
    for (const r of [await app.request('/api/v1/articles'), await app.request('/api/v1/nope'), await app.request('/api/v1/ingest', { method: 'POST' })]) {
      expect(r.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });
  it('refuses a missing, malformed or wrong token alike: 401 in the error form, with a bearer challenge', async () => {
    for (const authorization of [null, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not a token', 'Bearer wrong-token']) {
      const r = await app.request('/api/v1/ingest', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
      expect(r.status, String(authorization)).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await r.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'writes need a bearer token (Authorization: Bearer <token>)' } });
    }
  });
  it("answers a JSON route's malformed body and wrong media type in the error form", async () => {
    const merge = (body: string, type: string) => app.request('/api/v1/stories/s0000000000000000/merge', { method: 'POST', body, headers: { 'content-type': type, authorization: `Bearer ${TOKEN}` } });
    const bad = await merge('{"into": ', 'application/json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'INVALID_FIELD', message: 'body: expected valid JSON', field: 'body' } });
    const type = await merge('{"into": "s0000000000000001"}', 'text/plain');
    expect(type.status).toBe(415);
    expect(await type.json()).toEqual({ error: { code: 'UNSUPPORTED_TYPE', message: 'body: expected application/json', field: 'content-type' } });
    const field = await merge('{"into": "x"}', 'application/json');
    expect(field.status).toBe(400);
    expect(await field.json()).toMatchObject({ error: { code: 'INVALID_FIELD', field: 'into' } });
  });
  it('refuses at start a token no client could present as a bearer token', () => {
    expect(() => createApp({ engine, writeToken: 'has spaces in it', ui: false })).toThrow(/PARALLAX_TOKEN: expected a token of letters, digits/);
    expect(() => createApp({ engine, readToken: 'ok-token', writeToken: 'fine~token/+9==', ui: false })).not.toThrow();
  });
  it('turns unexpected errors into a 500 that leaks nothing', async () => {
    const broken = createApp({
      engine: { store: { listArticles: () => Promise.reject(new Error('secret internal detail /var/db')) }, events: engine.events } as unknown as Engine,
      ui: false,
      log: (e) => logs.push(e),
    });
    const r = await broken.request('/api/v1/articles');
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal server error' } });
    expect(logs.some((l) => String(l['error']).includes('secret internal detail'))).toBe(true);
  });
  it('unknown API routes are JSON 404s; a known route with another method is a 405 naming the allowed ones', async () => {
    const r = await get('/api/v1/nope');
    expect(r.status).toBe(404);
    const put = await app.request('/api/v1/ingest', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    const del = await app.request('/api/v1/stories/s0000000000000000', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET');
  });
  it('serves an OpenAPI document generated from the request schemas', async () => {
    const r = await get('/api/v1/openapi.json');
    expect(r.body['openapi']).toBe('3.1.0');
    const paths = r.body['paths'] as Record<string, { get?: { parameters?: { name: string }[] } }>;
    expect(paths['/articles']!.get!.parameters!.map((p) => p.name)).toEqual(['limit', 'offset', 'outlet', 'since', 'until', 'language']);
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/articles', '/articles/{id}', '/search', '/ingest', '/events']));
  });
  it('logs each request as a structured entry', async () => {
    await app.request('/api/v1/articles?limit=1');
    expect(logs.some((l) => l['msg'] === 'request' && l['path'] === '/api/v1/articles' && l['status'] === 200 && typeof l['ms'] === 'number')).toBe(true);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStage } from '../src/stages/cluster.js';
import { DedupStage } from '../src/stages/dedup.js';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { writeBrowseCorpus, type BrowseCorpus } from './helpers/browse-corpus.js';
import { CONTRACT_ROUTES, contractProblems } from './helpers/contract.js';

// Every documented response is checked against the OpenAPI document the server publishes,
// over real HTTP on loopback, on a store with stories, reprints, undated and day-only articles;
// and every response the server gives in this file against the contract's own zod schema for
// its route and status (src/contract/), the definitions the server and the UI are typed from.
const dir = mkdtempSync(join(tmpdir(), 'parallax-contract-'));
const TOKEN = 'contract-token';
let engine: Engine;
let server: RunningServer;
let corpus: BrowseCorpus;
let doc: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
  corpus = writeBrowseCorpus(dir);
  engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'api.db') }), stages: [new DedupStage(), new ClusterStage()] });
  await engine.ingest([corpus.file]);
  server = await listen(createApp({ engine, writeToken: TOKEN, ui: false, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as typeof doc;
}, 120_000);

afterAll(async () => {
  // every call above went through the contract check
  expect(contractChecked).toBeGreaterThan(100);
  await server?.close(200);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}/api/v1${path}`, { method, ...init });
  const text = await res.text();
  const body = text === '' ? null : (JSON.parse(text) as unknown);
  expect(contractProblems(method, path, res.status, body)).toEqual([]);
  contractChecked++;
  return { status: res.status, body };
}
let contractChecked = 0;

/** Validates a response against the schema the document gives for that path, method and status. */
function conforms(template: string, method: string, status: number, body: unknown): void {
  const op = doc.paths[template]?.[method];
  expect(op, `${method} ${template} is documented`).toBeDefined();
  const schema = op!.responses[String(status)]?.content?.['application/json']?.schema;
  expect(schema, `${method} ${template} documents status ${status}`).toBeDefined();
  const key = `${method} ${template} ${status}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema!)));
  const ok = validate(body);
  expect(ok ? [] : validate.errors!.map((e) => `${key}: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
}

describe('the API matches its OpenAPI document', () => {
  it('validates every documented GET response on a populated store, and the errors of each', async () => {
    const stories = (await call('GET', '/stories?sort=largest&limit=5')).body as { items: { id: string; size: number }[] };
    const big = stories.items[0]!;
    expect(big.size).toBeGreaterThanOrEqual(5);
    const story = (await call('GET', `/stories/${big.id}`)).body as { articles: { id: string }[] };
    const ids: Record<string, string> = { articles: story.articles[0]!.id, stories: big.id };
    const checked: string[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      if (!item['get'] || template === '/events') continue;
      // ids for the collections this test stores; a route of another collection is still held
      // to refusing unknown parameters, which is checked before its id is looked at
      let exercised = true;
      const path = template.replace(/\/(\w+)\/\{\w+\}/g, (_, coll: string) => {
        if (ids[coll] === undefined) exercised = false;
        return `/${coll}/${ids[coll] ?? 'x'}`;
      });
      const required = (item['get'].parameters ?? []).filter((p) => p.in === 'query' && p.name === 'q');
      if (exercised) {
        const ok = await call('GET', `${path}${required.length > 0 ? '?q=earthquake' : ''}`);
        expect(ok.status, `GET ${path}`).toBe(200);
        conforms(template, 'get', 200, ok.body);
      }
      // an unknown parameter is refused with a documented 400
      const unknown = await call('GET', `${path}?${required.length > 0 ? 'q=earthquake&' : ''}nosuchparam=1`);
      expect(unknown.status, `GET ${path}?nosuchparam=1`).toBe(400);
      conforms(template, 'get', 400, unknown.body);
      expect(unknown.body).toMatchObject({ error: { code: 'INVALID_FIELD', field: 'nosuchparam' } });
      if (exercised && template.includes('{id}')) {
        const missing = await call(
          'GET',
          path.replace(/\/[as][0-9a-f]{16}/, (m) => `${m.slice(0, 2)}${'0'.repeat(16)}`),
        );
        expect(missing.status).toBe(404);
        conforms(template, 'get', 404, missing.body);
      }
      if (exercised) checked.push(template);
    }
    expect(checked).toEqual(
      expect.arrayContaining(['/articles', '/articles/{id}', '/search', '/stories', '/stories/{id}', '/stories/{id}/comparison', '/stories/{id}/reprints', '/articles/{id}/reprints', '/reprints']),
    );
  });

  it('validates the article record of every stored article (undated, day-only, reprinted)', async () => {
    const list = (await call('GET', '/articles?limit=200')).body as { items: { id: string; published: string | null; story: string | null }[] };
    // every listed article names its story, and that story holds it
    expect(list.items.every((a) => typeof a.story === 'string')).toBe(true);
    const first = list.items[0]!;
    const holder = (await call('GET', `/stories/${first.story}`)).body as { articles: { id: string }[] };
    expect(holder.articles.map((a) => a.id)).toContain(first.id);
    expect(list.items.some((a) => a.published === null)).toBe(true);
    expect(list.items.some((a) => a.published?.length === 10)).toBe(true);
    for (const a of list.items) {
      const r = await call('GET', `/articles/${a.id}`);
      conforms('/articles/{id}', 'get', 200, r.body);
      expect((r.body as { story: string | null }).story).toMatch(/^s[0-9a-f]{16}$/);
    }
  });

  it('validates every story, its comparison and reprints', async () => {
    const list = (await call('GET', '/stories?limit=200')).body as { items: { id: string }[]; total: number };
    expect(list.items.length).toBe(list.total);
    conforms('/stories', 'get', 200, list);
    for (const s of list.items.slice(0, 8)) {
      conforms('/stories/{id}', 'get', 200, (await call('GET', `/stories/${s.id}`)).body);
      conforms('/stories/{id}/comparison', 'get', 200, (await call('GET', `/stories/${s.id}/comparison`)).body);
      conforms('/stories/{id}/reprints', 'get', 200, (await call('GET', `/stories/${s.id}/reprints`)).body);
    }
  });

  it('validates ingest answers: stored, refused without a token, bad body, wrong type', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const okBody = JSON.stringify({
      articles: [{ id: 'contract-1', text: 'The harbour authority reopened the northern pier on Sunday after repairs.', outlet: 'Harbour Gazette', published: '2024-05-05' }],
    });
    const ok = await call('POST', '/ingest', { headers: auth, body: okBody });
    expect(ok.status).toBe(200);
    conforms('/ingest', 'post', 200, ok.body);
    const noToken = await call('POST', '/ingest', { headers: { 'content-type': 'application/json' }, body: okBody });
    expect(noToken.status).toBe(401);
    conforms('/ingest', 'post', 401, noToken.body);
    const bad = await call('POST', '/ingest', { headers: auth, body: JSON.stringify({ articles: [{ text: '' }] }) });
    expect(bad.status).toBe(400);
    conforms('/ingest', 'post', 400, bad.body);
    const type = await call('POST', '/ingest', { headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'x' });
    expect(type.status).toBe(415);
    conforms('/ingest', 'post', 415, type.body);
  });
});

describe('the OpenAPI document is generated from the contract', () => {
  it('documents every route of the contract, with the same statuses', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => `${method} ${path} ${Object.keys(op.responses).join(',')}`));
    const declared = CONTRACT_ROUTES.map(({ route }) => `${route.method} ${route.path} ${Object.keys(route.responses).join(',')}`);
    expect(documented.sort()).toEqual(declared.sort());
  });
  it('holds a response that breaks the contract to it (the check can fail)', () => {
    expect(contractProblems('GET', '/api/v1/stories', 200, { items: [{ id: 's1' }], total: 1, limit: 50, offset: 0 })).not.toEqual([]);
    expect(contractProblems('GET', '/api/v1/stories', 418, { error: { code: 'USAGE', message: 'x' } })).not.toEqual([]);
    expect(contractProblems('GET', '/api/v1/articles', 400, { error: { code: 'NO_SUCH_CODE', message: 'x' } })).not.toEqual([]);
  });
});

describe('browsing stories over the API', () => {
  const page = async (query: string) => {
    const r = await call('GET', `/stories?${query}`);
    expect(r.status, query).toBe(200);
    return r.body as { items: { id: string; size: number; outlets: string[]; label: string; firstSeen: string | null; lastSeen: string | null }[]; total: number; offset: number };
  };

  it('pages through every story: no story is out of reach', async () => {
    const all = await page('limit=200');
    const seen: string[] = [];
    for (let offset = 0; offset < all.total; offset += 20) seen.push(...(await page(`limit=20&offset=${offset}`)).items.map((s) => s.id));
    expect(seen).toEqual(all.items.map((s) => s.id));
    expect(new Set(seen).size).toBe(all.total);
    expect(all.total).toBeGreaterThan(corpus.fillers);
  });

  it('filters by words, outlet in any case, dates and size, with the total of what matches', async () => {
    const quake = await page('q=Qeshm');
    expect(quake.total).toBe(1);
    expect(quake.items[0]!.outlets).toEqual(expect.arrayContaining([...corpus.quakeOutlets.slice(0, 3)]));
    const byOutlet = await page(`outlet=${encodeURIComponent(corpus.quakeOutlets[0]!.toUpperCase())}`);
    expect(byOutlet.items.map((s) => s.id)).toEqual(quake.items.map((s) => s.id));
    const multi = await page('minOutlets=2');
    expect(multi.items.every((s) => s.outlets.length >= 2)).toBe(true);
    expect(multi.items.map((s) => s.id)).toContain(quake.items[0]!.id);
    const big = await page('minArticles=2');
    expect(big.items.every((s) => s.size >= 2)).toBe(true);
    expect(big.total).toBeLessThan((await page('')).total);
    const y2005 = await page('since=2005-01-01&until=2006-01-01');
    expect(y2005.items.map((s) => s.id)).toEqual(quake.items.map((s) => s.id));
    expect((await page('q=Qeshm&minArticles=1000')).total).toBe(0);
  });

  it('refuses bad filters with a 400 naming them', async () => {
    for (const [query, field] of [
      ['since=last-week', 'since'],
      ['minOutlets=0', 'minOutlets'],
      ['minArticles=two', 'minArticles'],
      ['sort=random', 'sort'],
      ['search=gaza', 'search'],
    ] as const) {
      const r = await call('GET', `/stories?${query}`);
      expect(r.status, query).toBe(400);
      expect((r.body as { error: { field: string } }).error.field).toBe(field);
    }
    const msg = ((await call('GET', '/stories?search=gaza')).body as { error: { message: string } }).error.message;
    expect(msg).toContain('unknown parameter "search"');
    expect(msg).toContain('q');
  });

  it('search has a total and the matched words as offsets into plain text', async () => {
    const r = (await call('GET', '/search?q=quake&limit=2')).body as { items: { snippet: string; highlights: { start: number; end: number }[] }[]; total: number };
    expect(r.items).toHaveLength(2);
    expect(r.total).toBeGreaterThan(2);
    for (const hit of r.items) {
      expect(hit.snippet).not.toMatch(/[\u0001\u0002[\]]/);
      expect(hit.highlights.length).toBeGreaterThan(0);
      for (const h of hit.highlights) expect(hit.snippet.slice(h.start, h.end).toLowerCase()).toMatch(/^quake/);
    }
  });
});

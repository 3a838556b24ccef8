import type { Hono } from 'hono';
import { z } from 'zod';
import { sourceJson } from '../sources/json.js';
import { FOLLOW_MODES } from '../sources/types.js';
import type { AppContext } from './app.js';
import { HttpError, parseInput } from './errors.js';
import { documentPath, errorResponse, jsonResponse } from './openapi.js';

/** How many days of articles per day the list carries (the UI's bar chart). */
const DAYS = 14;

export const SourceSchema = z.object({
  id: z.number(),
  url: z.string().describe('the feed URL polled'),
  siteUrl: z.string().nullable().describe('the page the feed was discovered from (kind site)'),
  title: z.string().nullable(),
  kind: z.enum(['feed', 'site']),
  format: z.enum(['rss', 'rdf', 'atom', 'json']).nullable(),
  interval: z.number().describe('seconds between polls'),
  follow: z.enum(['auto', 'always', 'never']),
  allowPrivate: z.boolean(),
  addedAt: z.string(),
  lastFetchAt: z.string().nullable(),
  lastStatus: z.number().nullable().describe('HTTP status of the last poll; null when no answer came'),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number(),
  articles: z.number().describe('articles stored from its items'),
  nextDueAt: z.string(),
  articlesPerDay: z.array(z.object({ day: z.string(), articles: z.number() })).describe(`articles stored per UTC day, the last ${DAYS} days, oldest first`),
});
export const SourceList = z.object({ items: z.array(SourceSchema), total: z.number() });
export const SourceDetail = SourceSchema.extend({
  itemErrors: z.array(z.object({ key: z.string(), status: z.string(), error: z.string(), seenAt: z.string() })).describe('the last items whose page or text failed, newest first'),
});

export const SourceAddBody = z
  .object({
    urls: z.array(z.string().url('expected an http(s) URL').max(2000)).min(1, 'expected at least one URL').max(100),
    interval: z.string().max(20).default('15m').describe('90s, 15m, 2h, 1d (at least 1m)'),
    follow: z.enum(FOLLOW_MODES as [string, ...string[]]).default('auto').describe('fetch the linked page for the full article: auto, always or never'),
    allowPrivate: z.boolean().default(false).describe('loopback and private addresses; only when the server runs with --allow-private'),
  })
  .strict();
export const SourceAddResult = z.object({
  results: z.array(
    z.union([
      z.object({ url: z.string(), ok: z.literal(true), created: z.boolean(), source: SourceSchema.omit({ articlesPerDay: true }) }),
      z.object({ url: z.string(), ok: z.literal(false), code: z.string(), error: z.string() }),
    ]),
  ),
});
const SourceIdParam = z.object({ id: z.string().regex(/^\d{1,12}$/, 'expected a source id (a whole number)') });

/** GET/POST/DELETE /sources: the same fields as `parallax sources list --json`, with each source's health. */
export function sourceRoutes(api: Hono, ctx: AppContext): void {
  // opened (and migrated) now, while the engine is idle: a migration run inside a commit in
  // flight on the same connection would share its fate
  const repository = ctx.engine.store.sources;
  const repo = () => repository;
  const today = (): string => new Date().toISOString().slice(0, 10);

  api.get('/sources', async (c) => {
    const r = repo();
    const sources = await r.list();
    const day = today();
    const items = [];
    for (const s of sources) items.push({ ...sourceJson(s), articlesPerDay: await r.articlesPerDay(s.id, DAYS, day) });
    return c.json({ items, total: items.length });
  });

  api.get('/sources/:id', async (c) => {
    const { id } = parseInput(SourceIdParam, c.req.param(), 'path');
    const r = repo();
    const s = await r.find(Number(id));
    if (!s) throw new HttpError(404, 'UNKNOWN_ID', `no source with id ${id}`, 'id');
    return c.json({ ...sourceJson(s), articlesPerDay: await r.articlesPerDay(s.id, DAYS, today()), itemErrors: await r.itemErrors(s.id, 20) });
  });

  api.post('/sources', async (c) => {
    ctx.requireWriter(c);
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new HttpError(400, 'INVALID_FIELD', 'body: expected a JSON object such as {"urls": ["https://example.com/feed.xml"]}', 'body');
    }
    const body = parseInput(SourceAddBody, raw, 'body');
    if (body.allowPrivate && !ctx.allowPrivate) throw new HttpError(403, 'URL_REFUSED', 'allowPrivate: this server does not fetch private addresses (start it with --allow-private)', 'allowPrivate');
    const { parseInterval } = await import('../sources/schedule.js');
    let intervalSeconds: number;
    try {
      intervalSeconds = parseInterval(body.interval, 'interval');
    } catch (e) {
      throw new HttpError(400, 'INVALID_FIELD', `body: ${(e as Error).message}`, 'interval');
    }
    const { addSources } = await import('../sources/add.js');
    const results = await addSources(repo(), body.urls, { intervalSeconds, allowPrivate: body.allowPrivate, follow: body.follow as (typeof FOLLOW_MODES)[number] });
    const { watchingOf } = await import('../sources/watching.js');
    watchingOf(ctx.engine)?.poller.wake();
    const out = results.map((r) => (r.ok ? { url: r.url, ok: true, created: r.created, source: sourceJson(r.source) } : r));
    const status = results.every((r) => !r.ok) ? 422 : results.some((r) => r.ok && r.created) ? 201 : 200;
    return c.json({ results: out }, status);
  });

  api.delete('/sources/:id', async (c) => {
    ctx.requireWriter(c);
    const { id } = parseInput(SourceIdParam, c.req.param(), 'path');
    if (!(await repo().remove(Number(id)))) throw new HttpError(404, 'UNKNOWN_ID', `no source with id ${id}`, 'id');
    return c.json({ removed: Number(id) });
  });

  const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,12}$' } }];
  documentPath('/sources', {
    get: { summary: 'Sources followed, with their health and articles per day', responses: { 200: jsonResponse(SourceList, 'every source'), 400: errorResponse('an unknown query parameter') } },
    post: {
      summary: 'Add feeds or sites (a page whose <link rel="alternate"> names its feed); each URL is read first',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(SourceAddBody, { io: 'input' }) } } },
      responses: {
        200: jsonResponse(SourceAddResult, 'every URL was known already (or some failed)'),
        201: jsonResponse(SourceAddResult, 'at least one source added; failures listed per URL'),
        400: errorResponse('invalid body'),
        401: errorResponse('missing or wrong token'),
        403: errorResponse('writes disabled, or allowPrivate without --allow-private'),
        422: jsonResponse(SourceAddResult, 'no URL could be added: each result says why'),
      },
    },
  });
  documentPath('/sources/{id}', {
    get: { summary: 'One source with its recent item errors', parameters: idParam, responses: { 200: jsonResponse(SourceDetail, 'the source'), 400: errorResponse('malformed id'), 404: errorResponse('unknown id') } },
    delete: {
      summary: 'Stop following a source (its articles stay)',
      security: [{ bearer: [] }],
      parameters: idParam,
      responses: { 200: jsonResponse(z.object({ removed: z.number() }), 'removed'), 401: errorResponse('missing or wrong token'), 403: errorResponse('writes disabled'), 404: errorResponse('unknown id') },
    },
  });
}

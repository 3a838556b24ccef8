import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { error, json, list } from './common.js';

/** How many days of articles per day a source carries (the UI's bar chart). */
export const SOURCE_DAYS = 14;
export const SOURCE_FOLLOW_MODES = ['auto', 'always', 'never'] as const;

export const Source = z.object({
  id: z.number(),
  url: z.string().describe('the feed URL polled'),
  siteUrl: z.string().nullable().describe('the page the feed was discovered from (kind site)'),
  title: z.string().nullable(),
  kind: z.enum(['feed', 'site']),
  format: z.enum(['rss', 'rdf', 'atom', 'json']).nullable(),
  interval: z.number().describe('seconds between polls'),
  follow: z.enum(SOURCE_FOLLOW_MODES),
  allowPrivate: z.boolean(),
  addedAt: z.string(),
  lastFetchAt: z.string().nullable(),
  lastStatus: z.number().nullable().describe('HTTP status of the last poll; null when no answer came'),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number(),
  articles: z.number().describe('articles stored from its items'),
  nextDueAt: z.string(),
  articlesPerDay: list(z.object({ day: z.string(), articles: z.number() })).describe(`articles stored per UTC day, the last ${SOURCE_DAYS} days, oldest first`),
});
export const SourceList = z.object({ items: list(Source), total: z.number() });
export const SourceDetail = Source.extend({
  itemErrors: list(z.object({ key: z.string(), status: z.string(), error: z.string(), seenAt: z.string() })).describe('the last items whose page or text failed, newest first'),
});

export const SourceAddBody = z
  .object({
    urls: z.array(z.string().url('expected an http(s) URL').max(2000)).min(1, 'expected at least one URL').max(100),
    interval: z.string().max(20).default('15m').describe('90s, 15m, 2h, 1d (at least 1m)'),
    follow: z.enum(SOURCE_FOLLOW_MODES).default('auto').describe('fetch the linked page for the full article: auto, always or never'),
    allowPrivate: z.boolean().default(false).describe('loopback and private addresses; only when the server runs with --allow-private'),
  })
  .strict();
export const SourceAddResult = z.object({
  results: list(
    z.union([
      z.object({ url: z.string(), ok: z.literal(true), created: z.boolean(), source: Source.omit({ articlesPerDay: true }) }),
      z.object({ url: z.string(), ok: z.literal(false), code: z.string(), error: z.string() }),
    ]),
  ),
});
export const SourceIdParam = z.object({ id: z.string().regex(/^\d{1,12}$/, 'expected a source id (a whole number)') });
export const SourceRemoved = z.object({ removed: z.number() });

export const listSources = createRoute({
  method: 'get',
  path: '/sources',
  summary: 'Sources followed, with their health and articles per day',
  responses: { 200: json(SourceList, 'every source'), 400: error('an unknown query parameter') },
});

export const addSources = createRoute({
  method: 'post',
  path: '/sources',
  summary: 'Add feeds or sites (a page whose <link rel="alternate"> names its feed); each URL is read first',
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: SourceAddBody } } } },
  responses: {
    200: json(SourceAddResult, 'every URL was known already (or some failed)'),
    201: json(SourceAddResult, 'at least one source added; failures listed per URL'),
    400: error('invalid body'),
    401: error('missing or wrong token'),
    403: error('writes disabled, or allowPrivate without --allow-private'),
    413: error('body too large'),
    415: error('the body is not application/json'),
    422: json(SourceAddResult, 'no URL could be added: each result says why'),
  },
});

export const getSource = createRoute({
  method: 'get',
  path: '/sources/{id}',
  summary: 'One source with its recent item errors',
  request: { params: SourceIdParam },
  responses: { 200: json(SourceDetail, 'the source'), 400: error('malformed id'), 404: error('unknown id') },
});

export const removeSource = createRoute({
  method: 'delete',
  path: '/sources/{id}',
  summary: 'Stop following a source (its articles stay)',
  security: [{ bearer: [] }],
  request: { params: SourceIdParam },
  responses: { 200: json(SourceRemoved, 'removed'), 400: error('malformed id'), 401: error('missing or wrong token'), 403: error('writes disabled'), 404: error('unknown id') },
});

// What a client reads.
export type Source = z.output<typeof Source>;
export type SourceList = z.output<typeof SourceList>;
export type SourceDetail = z.output<typeof SourceDetail>;
export type SourceAddResult = z.output<typeof SourceAddResult>;
export type SourceRemoved = z.output<typeof SourceRemoved>;

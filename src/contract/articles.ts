import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ApiDate, ApiInstant, ArticleIdParam, error, isoDate, json, PageQuery, list } from './common.js';

export const ArticleListQuery = PageQuery.extend({
  outlet: z.string().min(1).max(200).optional().describe('only this outlet (case-insensitive)'),
  since: isoDate.optional().describe('published on or after'),
  until: isoDate.optional().describe('published before'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'expected an ISO 639 code such as en')
    .optional(),
});

export const SearchQuery = PageQuery.extend({
  q: z.string().trim().min(1, 'expected search words').max(500),
});

export const IngestArticle = z
  .object({
    id: z.string().max(500).optional(),
    url: z.string().url().max(4000).optional(),
    title: z.string().max(2000).optional(),
    text: z.string().max(2_000_000).optional(),
    html: z.string().max(10_000_000).optional(),
    published: z.string().max(100).optional(),
    outlet: z.string().max(500).optional(),
  })
  .refine((a) => (a.text ?? '').trim() !== '' || (a.html ?? '').trim() !== '', { message: 'expected a non-empty "text" or "html"', path: ['text'] });

export const IngestBody = z
  .object({
    articles: z.array(IngestArticle).max(1000).optional(),
    urls: z.array(z.string().url().max(4000)).max(100).optional(),
  })
  .refine((b) => (b.articles?.length ?? 0) + (b.urls?.length ?? 0) > 0, { message: 'expected "articles" or "urls"', path: ['articles'] });

export const Evidence = z.object({ source: z.string(), detail: z.string(), offset: z.number().optional() });
export const MetaField = z.object({ value: z.string(), evidence: Evidence });

export const ArticleSummary = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string().nullable(),
  url: z.string().nullable(),
  externalId: z.string().nullable().describe("the input's own id (a JSON Lines `id`)"),
  outlet: z.string().nullable(),
  published: ApiDate.nullable().describe('publication date; null when the article is undated (fetchedAt is then the only time known)'),
  language: z.string(),
  fetchedAt: ApiInstant.describe('when Parallax read it (ingest time), never a publication date'),
  sentenceCount: z.number(),
  source: z.string(),
  story: z.string().nullable().describe('the story it belongs to (GET /stories/{id}); null before it is clustered'),
});

export const ArticleList = z.object({ items: list(ArticleSummary), total: z.number(), limit: z.number(), offset: z.number() });

export const ArticleDetail = z.object({
  id: z.string(),
  version: z.number(),
  url: z.string().nullable(),
  externalId: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  sentences: list(z.object({ index: z.number(), start: z.number(), end: z.number(), text: z.string() })),
  meta: z.object({
    title: MetaField.nullable(),
    published: MetaField.nullable(),
    outlet: MetaField.nullable(),
    domain: MetaField.nullable().optional().describe('registered domain of the original URL (archive and proxy URLs unwrapped)'),
    syndicator: MetaField.nullable(),
    credits: list(MetaField),
    dateline: MetaField.nullable(),
    byline: MetaField.nullable(),
    language: MetaField,
  }),
  fetchedAt: ApiInstant,
  contentHash: z.string(),
  source: z.string(),
  versions: list(z.object({ version: z.number(), contentHash: z.string(), title: z.string().nullable(), text: z.string(), fetchedAt: z.string(), published: ApiDate.nullable(), source: z.string() })),
  story: z.string().nullable().describe('the story the article belongs to (GET /stories/{id}), or null before it is clustered'),
});

export const SearchHit = ArticleSummary.extend({
  snippet: z.string().describe('plain text around the matches (escape it before rendering)'),
  highlights: list(z.object({ start: z.number(), end: z.number() })).describe('the matched words in snippet: UTF-16 offsets, end exclusive'),
  rank: z.number(),
});

export const SearchResults = z.object({
  items: list(SearchHit),
  total: z.number().describe('matches in all'),
  limit: z.number(),
  offset: z.number(),
});

export const IngestResult = z.object({
  new: z.number(),
  unchanged: z.number(),
  updated: z.number(),
  failed: list(z.object({ source: z.string(), code: z.string(), message: z.string() })),
  warnings: list(z.object({ source: z.string(), message: z.string() }))
    .optional()
    .describe('what was read with a repair (a stray byte, a guessed encoding)'),
  articles: list(
    z.object({
      id: z.string(),
      articleId: z.string().describe('the same article id, under the name every command uses beside inputId'),
      inputId: z.string().describe('the id the upload gave the article: its JSON id, else its URL, else where it was read from (articles.0, upload:name, upload:name:line)'),
      status: z.enum(['new', 'unchanged', 'updated']),
      version: z.number(),
      source: z.string(),
    }),
  ),
});

export const IngestQueued = z.object({ queued: z.number().int().min(0) }).strict();

export const listArticles = createRoute({
  method: 'get',
  path: '/articles',
  summary: 'List articles, newest first',
  request: { query: ArticleListQuery },
  responses: { 200: json(ArticleList, 'a page of articles'), 400: error('invalid query') },
});

export const getArticle = createRoute({
  method: 'get',
  path: '/articles/{id}',
  summary: 'One article with its sentences and versions',
  request: { params: ArticleIdParam },
  responses: { 200: json(ArticleDetail, 'the article'), 400: error('malformed id'), 404: error('unknown id') },
});

export const searchArticles = createRoute({
  method: 'get',
  path: '/search',
  summary: 'Full-text search',
  request: { query: SearchQuery },
  responses: { 200: json(SearchResults, 'matches, best first'), 400: error('invalid query') },
});

/**
 * The body is documented here and decoded by ingest (`readUpload`), which validates the JSON
 * form with `IngestBody`: the server hands it the raw bytes and their declared type.
 */
export const ingest = createRoute({
  method: 'post',
  path: '/ingest',
  summary: 'Ingest articles (JSON), files (multipart, field "file") or URLs',
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: IngestBody },
        'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } } },
      },
    },
  },
  responses: {
    200: json(IngestResult, 'what was stored and what failed'),
    202: json(IngestQueued, 'the server runs with a work queue (serve --queue): the items were queued for the workers, nothing is stored yet'),
    400: error('invalid body'),
    401: error('missing or wrong token'),
    403: error('writes disabled'),
    413: error('body too large'),
    415: error('unsupported content type'),
    422: json(IngestResult, 'nothing could be stored: the same report as 200, every input in `failed`'),
  },
});

export const events = createRoute({
  method: 'get',
  path: '/events',
  summary: 'Server-sent events',
  description:
    'article.added, article.updated, story.created and story.changed for what this server stores; store.changed when the store changed, by this server or another process such as a cron ingest (checked every 2 s by default): fetch again what you show.',
  responses: { 200: { description: 'text/event-stream' } },
});

// What a client reads.
export type ArticleSummary = z.output<typeof ArticleSummary>;
export type ArticleList = z.output<typeof ArticleList>;
export type ArticleDetail = z.output<typeof ArticleDetail>;
export type SearchHit = z.output<typeof SearchHit>;
export type SearchResults = z.output<typeof SearchResults>;
export type IngestResult = z.output<typeof IngestResult>;
export type IngestQueued = z.output<typeof IngestQueued>;
export type MetaField = z.output<typeof MetaField>;

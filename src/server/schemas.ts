import { z } from 'zod';
import { ISO_DATE, isIsoDate } from '../util/iso-date.js';

/**
 * Request and response schemas of the HTTP API. The same objects validate requests and
 * generate the OpenAPI document (`openapi.ts`), so the two cannot disagree.
 */

export const isoDate = z
  .string()
  .regex(ISO_DATE, 'expected an ISO 8601 date such as 2024-02-23')
  .refine(isIsoDate, 'expected an ISO 8601 date of a real calendar day, such as 2024-02-23');

/**
 * Every date in a response has one of two forms: a calendar date (`2013-05-03`) where only
 * the day is known, else a UTC instant with milliseconds (`2013-05-03T14:20:00.000Z`).
 */
export const ApiDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}\.\d{3}Z)?$/)
  .describe('a calendar date (YYYY-MM-DD) when only the day is known, else a UTC instant (YYYY-MM-DDTHH:MM:SS.sssZ)');
/** An instant: when Parallax read something (ingest time), never a publication date. */
export const ApiInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/).describe('a UTC instant (YYYY-MM-DDTHH:MM:SS.sssZ)');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size, 1-200'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('items to skip'),
});

export const ArticleListQuery = PageQuery.extend({
  outlet: z.string().min(1).max(200).optional().describe('only this outlet (case-insensitive)'),
  since: isoDate.optional().describe('published on or after'),
  until: isoDate.optional().describe('published before'),
  language: z.string().regex(/^[a-z]{2,3}$/, 'expected an ISO 639 code such as en').optional(),
});

export const SearchQuery = PageQuery.extend({
  q: z.string().trim().min(1, 'expected search words').max(500),
});

export const ArticleIdParam = z.object({
  id: z.string().regex(/^a[0-9a-f]{16}$/, 'expected an article id: "a" followed by 16 hex digits'),
});

export const StoryIdParam = z.object({
  id: z.string().regex(/^s[0-9a-f]{16}$/, 'expected a story id: "s" followed by 16 hex digits'),
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

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export const Evidence = z.object({ source: z.string(), detail: z.string(), offset: z.number().optional() });
export const MetaField = z.object({ value: z.string(), evidence: Evidence }).nullable();

export const ArticleSummary = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string().nullable(),
  url: z.string().nullable(),
  externalId: z.string().nullable(),
  outlet: z.string().nullable(),
  published: ApiDate.nullable().describe('publication date; null when the article is undated (fetchedAt is then the only time known)'),
  language: z.string(),
  fetchedAt: ApiInstant.describe('when Parallax read it (ingest time), never a publication date'),
  sentenceCount: z.number(),
  source: z.string(),
  story: z.string().nullable().describe('the story it belongs to (GET /stories/{id}); null before it is clustered'),
});

export const ArticleList = z.object({ items: z.array(ArticleSummary), total: z.number(), limit: z.number(), offset: z.number() });

export const ArticleDetail = z.object({
  id: z.string(),
  version: z.number(),
  url: z.string().nullable(),
  externalId: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string(),
  sentences: z.array(z.object({ index: z.number(), start: z.number(), end: z.number(), text: z.string() })),
  meta: z.object({
    title: MetaField,
    published: MetaField,
    outlet: MetaField,
    domain: MetaField.optional().describe('registered domain of the original URL (archive and proxy URLs unwrapped)'),
    syndicator: MetaField,
    credits: z.array(z.object({ value: z.string(), evidence: Evidence })),
    dateline: MetaField,
    byline: MetaField,
    language: z.object({ value: z.string(), evidence: Evidence }),
  }),
  fetchedAt: ApiInstant,
  contentHash: z.string(),
  source: z.string(),
  versions: z.array(z.object({ version: z.number(), contentHash: z.string(), title: z.string().nullable(), text: z.string(), fetchedAt: z.string(), published: ApiDate.nullable(), source: z.string() })),
  story: z.string().nullable().describe('the story the article belongs to (GET /stories/{id}), or null before it is clustered'),
});

export const SearchResults = z.object({
  items: z.array(
    ArticleSummary.extend({
      snippet: z.string().describe('plain text around the matches (escape it before rendering)'),
      highlights: z.array(z.object({ start: z.number(), end: z.number() })).describe('the matched words in snippet: UTF-16 offsets, end exclusive'),
      rank: z.number(),
    }),
  ),
  total: z.number().describe('matches in all'),
  limit: z.number(),
  offset: z.number(),
});

export const IngestResult = z.object({
  new: z.number(),
  unchanged: z.number(),
  updated: z.number(),
  failed: z.array(z.object({ source: z.string(), code: z.string(), message: z.string() })),
  articles: z.array(
    z.object({
      id: z.string(),
      articleId: z.string().describe('the same article id, under the name every command uses beside inputId'),
      inputId: z.string().describe("the id the upload gave the article: its JSON id, else its URL, else where it was read from (articles.0, upload:name, upload:name:line)"),
      status: z.enum(['new', 'unchanged', 'updated']),
      version: z.number(),
      source: z.string(),
    }),
  ),
});

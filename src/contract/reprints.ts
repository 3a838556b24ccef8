import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ArticleIdParam, error, json, PageQuery, StoryIdParam, list } from './common.js';

const Range = z.object({ start: z.number(), end: z.number() });
export const ReuseLink = z.object({
  a: z.string(),
  b: z.string(),
  class: z.enum(['exact', 'near-duplicate', 'contains', 'partial-reuse']),
  estimatedJaccard: z.number(),
  jaccard: z.number(),
  containment: z.object({ aInB: z.number(), bInA: z.number() }),
  passages: list(z.object({ a: Range, b: Range, words: z.number() })),
  original: z.string().nullable(),
  reason: z.string().nullable(),
});
export const LinkList = z.object({ items: list(ReuseLink) });
export const LinkPage = LinkList.extend({ total: z.number(), limit: z.number(), offset: z.number() });

export const articleReprints = createRoute({
  method: 'get',
  path: '/articles/{id}/reprints',
  summary: 'Reuse links of an article (copies, near-duplicates, reused passages)',
  request: { params: ArticleIdParam },
  responses: { 200: json(LinkList, 'links'), 400: error('malformed id'), 404: error('unknown id') },
});

export const storyReprints = createRoute({
  method: 'get',
  path: '/stories/{id}/reprints',
  summary: "Reuse links among a story's articles (the reprint graph)",
  request: { params: StoryIdParam },
  responses: { 200: json(LinkList, 'links'), 400: error('malformed id'), 404: error('unknown id') },
});

export const listReprints = createRoute({
  method: 'get',
  path: '/reprints',
  summary: 'All reuse links, most similar first',
  request: { query: PageQuery },
  responses: { 200: json(LinkPage, 'a page of links'), 400: error('invalid query') },
});

// What a client reads.
export type ReuseLink = z.output<typeof ReuseLink>;
export type LinkList = z.output<typeof LinkList>;
export type LinkPage = z.output<typeof LinkPage>;

import type { Hono } from 'hono';
import { z } from 'zod';
import type { ArticleId, StoryId } from '../domain/ids.js';
import type { AppContext } from './app.js';
import { HttpError, parseInput } from './errors.js';
import { documentPath, errorResponse, jsonResponse, parameters } from './openapi.js';
import { ArticleIdParam, PageQuery, StoryIdParam } from './schemas.js';

const Range = z.object({ start: z.number(), end: z.number() });
export const ReuseLinkSchema = z.object({
  a: z.string(),
  b: z.string(),
  class: z.enum(['exact', 'near-duplicate', 'contains', 'partial-reuse']),
  estimatedJaccard: z.number(),
  jaccard: z.number(),
  containment: z.object({ aInB: z.number(), bInA: z.number() }),
  passages: z.array(z.object({ a: Range, b: Range, words: z.number() })),
  original: z.string().nullable(),
  reason: z.string().nullable(),
});
const LinkList = z.object({ items: z.array(ReuseLinkSchema) });
const LinkPage = LinkList.extend({ total: z.number(), limit: z.number(), offset: z.number() });

/** Reprint routes: links of an article, among a story's articles (the reprint graph), and all. */
export function reprintRoutes(api: Hono, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.get('/articles/:id/reprints', async (c) => {
    const { id } = parseInput(ArticleIdParam, c.req.param(), 'path');
    return ctx.cache.json(c, `reprints:${id}`, async () => {
      if (!(await store.getArticle(id as ArticleId))) throw new HttpError(404, 'UNKNOWN_ID', `no article with id ${id}`, 'id');
      return { items: await store.reuse.linksOf(id as ArticleId) };
    });
  });
  api.get('/stories/:id/reprints', async (c) => {
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    return ctx.cache.json(c, `story-reprints:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw new HttpError(404, 'UNKNOWN_ID', `no story with id ${id}`, 'id');
      return { items: await store.reuse.linksAmong(story.members.map((m) => m.id)) };
    });
  });
  api.get('/reprints', async (c) => {
    const q = parseInput(PageQuery, c.req.query(), 'query');
    return ctx.cache.json(c, `reprints:${q.limit}:${q.offset}`, async () => ({ ...(await store.reuse.list({ limit: q.limit, offset: q.offset })), limit: q.limit, offset: q.offset }));
  });
  const idParam = (pattern: string) => [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern } }];
  documentPath('/articles/{id}/reprints', { get: { summary: 'Reuse links of an article (copies, near-duplicates, reused passages)', parameters: idParam('^a[0-9a-f]{16}$'), responses: { 200: jsonResponse(LinkList, 'links'), 400: errorResponse('malformed id'), 404: errorResponse('unknown id') } } });
  documentPath('/stories/{id}/reprints', { get: { summary: "Reuse links among a story's articles (the reprint graph)", parameters: idParam('^s[0-9a-f]{16}$'), responses: { 200: jsonResponse(LinkList, 'links'), 400: errorResponse('malformed id'), 404: errorResponse('unknown id') } } });
  documentPath('/reprints', { get: { summary: 'All reuse links, most similar first', parameters: parameters(PageQuery, 'query'), responses: { 200: jsonResponse(LinkPage, 'a page of links'), 400: errorResponse('invalid query') } } });
}

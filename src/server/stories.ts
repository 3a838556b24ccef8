import type { Hono } from 'hono';
import { z } from 'zod';
import type { StoryId } from '../domain/ids.js';
import type { AppContext } from './app.js';
import { HttpError, parseInput } from './errors.js';
import { documentPath, errorResponse, jsonResponse, parameters } from './openapi.js';
import { ApiDate, ApiInstant, ArticleSummary, isoDate, PageQuery, StoryIdParam } from './schemas.js';

export const StoryListQuery = PageQuery.extend({
  sort: z.enum(['newest', 'largest', 'outlets']).default('newest').describe('newest, largest or outlets (number of outlets)'),
  q: z.string().trim().min(1, 'expected search words').max(500).optional().describe('words one of its articles contains (title or text, word prefixes)'),
  outlet: z.string().trim().min(1).max(200).optional().describe('one of its articles is from this outlet (case-insensitive)'),
  since: isoDate.optional().describe('its last article on or after this date'),
  until: isoDate.optional().describe('its first article before this date'),
  minArticles: z.coerce.number().int().min(1).max(1_000_000).optional().describe('at least this many articles (2 hides single-article stories)'),
  minOutlets: z.coerce.number().int().min(1).max(100_000).optional().describe('at least this many distinct outlets'),
});

export const StorySummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  size: z.number(),
  outlets: z.array(z.string()),
  firstSeen: ApiDate.nullable().describe('earliest publication date of its articles; null when none is dated'),
  lastSeen: ApiDate.nullable().describe('latest publication date of its articles; null when none is dated'),
  undated: z.number().int().describe('articles without a publication date'),
  lastIngested: ApiInstant.nullable().describe('when its latest article was read (ingest time, not a publication date)'),
  articles: z
    .array(z.object({ id: z.string(), outlet: z.string().nullable(), published: ApiDate.nullable() }))
    .describe('its articles in publication order; in the list at most 200, evenly spaced over a larger story (size and outlets count all)'),
});

export const StoryList = z.object({ items: z.array(StorySummarySchema), total: z.number(), limit: z.number(), offset: z.number() });
export const StoryDetail = StorySummarySchema.omit({ articles: true }).extend({ articles: z.array(ArticleSummary) });

/** Story routes: the list (sortable, with per-article outlets for the coverage bar) and one story. */
export function storyRoutes(api: Hono, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.get('/stories', async (c) => {
    const q = parseInput(StoryListQuery, c.req.query(), 'query');
    return ctx.cache.json(c, `stories:${JSON.stringify(q)}`, async () => {
      const { items, total } = await store.stories.list({
        limit: q.limit,
        offset: q.offset,
        sort: q.sort,
        ...(q.q !== undefined ? { search: q.q } : {}),
        ...(q.outlet !== undefined ? { outlet: q.outlet } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        ...(q.minArticles !== undefined ? { minArticles: q.minArticles } : {}),
        ...(q.minOutlets !== undefined ? { minOutlets: q.minOutlets } : {}),
      });
      return { items, total, limit: q.limit, offset: q.offset };
    });
  });
  api.get('/stories/:id', async (c) => {
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    return ctx.cache.json(c, `story:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw new HttpError(404, 'UNKNOWN_ID', `no story with id ${id}`, 'id');
      const { members, ...rest } = story;
      return { ...rest, articles: members };
    });
  });
  documentPath('/stories', { get: { summary: 'List stories, filtered and paged (total counts every match)', parameters: parameters(StoryListQuery, 'query'), responses: { 200: jsonResponse(StoryList, 'a page of stories'), 400: errorResponse('invalid query') } } });
  documentPath('/stories/{id}', {
    get: {
      summary: 'One story with its articles',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^s[0-9a-f]{16}$' } }],
      responses: { 200: jsonResponse(StoryDetail, 'the story'), 400: errorResponse('malformed id'), 404: errorResponse('unknown id') },
    },
  });
}

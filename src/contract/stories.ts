import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ArticleSummary } from './articles.js';
import { comparisonSchema } from './comparison.js';
import { ApiDate, ApiInstant, error, isoDate, json, PageQuery, StoryIdParam, list } from './common.js';

export const StoryListQuery = PageQuery.extend({
  sort: z.enum(['newest', 'largest', 'outlets']).default('newest').describe('newest, largest or outlets (number of outlets)'),
  q: z.string().trim().min(1, 'expected search words').max(500).optional().describe('words one of its articles contains (title or text, word prefixes)'),
  outlet: z.string().trim().min(1).max(200).optional().describe('one of its articles is from this outlet (case-insensitive)'),
  since: isoDate.optional().describe('its last article on or after this date'),
  until: isoDate.optional().describe('its first article before this date'),
  minArticles: z.coerce.number().int().min(1).max(1_000_000).optional().describe('at least this many articles (2 hides single-article stories)'),
  minOutlets: z.coerce.number().int().min(1).max(100_000).optional().describe('at least this many distinct outlets'),
});

export const StorySummary = z.object({
  id: z.string(),
  label: z.string(),
  size: z.number(),
  outlets: list(z.string()),
  firstSeen: ApiDate.nullable().describe('earliest publication date of its articles; null when none is dated'),
  lastSeen: ApiDate.nullable().describe('latest publication date of its articles; null when none is dated'),
  undated: z.number().int().describe('articles without a publication date'),
  lastIngested: ApiInstant.nullable().describe('when its latest article was read (ingest time, not a publication date)'),
  articles: list(z.object({ id: z.string(), outlet: z.string().nullable(), published: ApiDate.nullable() })).describe(
    'its articles in publication order; in the list at most 200, evenly spaced over a larger story (size and outlets count all)',
  ),
});

export const StoryList = z.object({ items: list(StorySummary), total: z.number(), limit: z.number(), offset: z.number() });
export const StoryDetail = StorySummary.omit({ articles: true }).extend({ articles: list(ArticleSummary) });

export const listStories = createRoute({
  method: 'get',
  path: '/stories',
  summary: 'List stories, filtered and paged (total counts every match)',
  request: { query: StoryListQuery },
  responses: { 200: json(StoryList, 'a page of stories'), 400: error('invalid query') },
});

export const getStory = createRoute({
  method: 'get',
  path: '/stories/{id}',
  summary: 'One story with its articles',
  request: { params: StoryIdParam },
  responses: { 200: json(StoryDetail, 'the story'), 400: error('malformed id'), 404: error('unknown id') },
});

export const getComparison = createRoute({
  method: 'get',
  path: '/stories/{id}/comparison',
  summary: 'Compare the articles of a story: shared facts, what each source adds, quotes, figures, conflicts, brief',
  request: { params: StoryIdParam },
  responses: { 200: json(comparisonSchema, 'the comparison (schema: docs/comparison-schema.json)'), 400: error('malformed id'), 404: error('unknown id') },
});

// What a client reads.
export type StorySummary = z.output<typeof StorySummary>;
export type StoryList = z.output<typeof StoryList>;
export type StoryDetail = z.output<typeof StoryDetail>;

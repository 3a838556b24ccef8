import type { Hono } from 'hono';
import { compareArticles } from '../compare/compare.js';
import { comparisonSchema } from '../compare/schema.js';
import type { StoryId } from '../domain/ids.js';
import type { AppContext } from './app.js';
import { HttpError, parseInput } from './errors.js';
import { documentPath, errorResponse, jsonResponse } from './openapi.js';
import { StoryIdParam } from './schemas.js';

/**
 * GET /stories/:id/comparison: the Comparison document of a stored story (the same as
 * `parallax story <id> --json`). Computed on demand and kept in the response cache until
 * the store changes.
 */
export function comparisonRoutes(api: Hono, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.get('/stories/:id/comparison', async (c) => {
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    return ctx.cache.json(c, `comparison:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw new HttpError(404, 'UNKNOWN_ID', `no story with id ${id}`, 'id');
      const articles = await store.getArticles(story.members.map((m) => m.id));
      return compareArticles(articles);
    });
  });
  documentPath('/stories/{id}/comparison', {
    get: {
      summary: 'Compare the articles of a story: shared facts, what each source adds, quotes, figures, conflicts, brief',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^s[0-9a-f]{16}$' } }],
      responses: { 200: jsonResponse(comparisonSchema, 'the comparison (schema: docs/comparison-schema.json)'), 400: errorResponse('malformed id'), 404: errorResponse('unknown id') },
    },
  });
}

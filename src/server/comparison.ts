import { compareArticles } from '../compare/compare.js';
import { getComparison } from '../contract/stories.js';
import type { StoryId } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { Api, AppContext } from './app.js';

/**
 * GET /stories/:id/comparison: the Comparison document of a stored story (the same as
 * `parallax story <id> --json`). Computed on demand and kept in the response cache until
 * the store changes.
 */
export function comparisonRoutes(api: Api, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.openapi(getComparison, async (c) => {
    const { id } = c.req.valid('param');
    return ctx.cache.json(c, `comparison:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw createError('UNKNOWN_ID', `no story with id ${id}`, { subject: 'id' });
      const articles = await store.getArticles(story.members.map((m) => m.id));
      return compareArticles(articles);
    });
  });
}

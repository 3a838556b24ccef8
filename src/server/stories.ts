import { getStory, listStories } from '../contract/stories.js';
import type { StoryId } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { Api, AppContext } from './app.js';

/** Story routes: the list (sortable, with per-article outlets for the coverage bar) and one story. */
export function storyRoutes(api: Api, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.openapi(listStories, async (c) => {
    const q = c.req.valid('query');
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
  api.openapi(getStory, async (c) => {
    const { id } = c.req.valid('param');
    return ctx.cache.json(c, `story:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw createError('UNKNOWN_ID', `no story with id ${id}`, { subject: 'id' });
      const { members, ...rest } = story;
      return { ...rest, articles: members };
    });
  });
}

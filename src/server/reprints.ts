import { articleReprints, listReprints, storyReprints } from '../contract/reprints.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { Api, AppContext } from './app.js';

/** Reprint routes: links of an article, among a story's articles (the reprint graph), and all. */
export function reprintRoutes(api: Api, ctx: AppContext): void {
  const store = ctx.engine.store;
  api.openapi(articleReprints, async (c) => {
    const { id } = c.req.valid('param');
    return ctx.cache.json(c, `reprints:${id}`, async () => {
      if (!(await store.getArticle(id as ArticleId))) throw createError('UNKNOWN_ID', `no article with id ${id}`, { subject: 'id' });
      return { items: await store.reuse.linksOf(id as ArticleId) };
    });
  });
  api.openapi(storyReprints, async (c) => {
    const { id } = c.req.valid('param');
    return ctx.cache.json(c, `story-reprints:${id}`, async () => {
      const story = await store.stories.get(id as StoryId);
      if (!story) throw createError('UNKNOWN_ID', `no story with id ${id}`, { subject: 'id' });
      return { items: await store.reuse.linksAmong(story.members.map((m) => m.id)) };
    });
  });
  api.openapi(listReprints, async (c) => {
    const q = c.req.valid('query');
    return ctx.cache.json(c, `reprints:${q.limit}:${q.offset}`, async () => ({ ...(await store.reuse.list({ limit: q.limit, offset: q.offset })), limit: q.limit, offset: q.offset }));
  });
}

import { applyCorrection, loadStoryWhy } from '../stages/corrections.js';
import { mergeStory, moveArticle, splitStory, storyWhy } from '../contract/corrections.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { Api, AppContext } from './app.js';

/**
 * Corrections (writes: a bearer token) and the evidence for a story's members:
 * POST /stories/:id/merge {into}, POST /stories/:id/split {articles}, POST /articles/:id/move
 * {to | null}, GET /stories/:id/why.
 */
export function correctionRoutes(api: Api, ctx: AppContext): void {
  const { engine } = ctx;
  api.openapi(storyWhy, async (c) => {
    const { id } = c.req.valid('param');
    return ctx.cache.json(c, `story-why:${id}`, async () => {
      const why = await loadStoryWhy(engine.store, id as StoryId);
      if (!why) throw createError('UNKNOWN_ID', `no story with id ${id}`, { subject: 'id' });
      return why;
    });
  });
  api.openapi({ ...mergeStory, middleware: ctx.writer }, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await applyCorrection(engine, { kind: 'merge', story: id as StoryId, into: body.into as StoryId }), 200);
  });
  api.openapi({ ...splitStory, middleware: ctx.writer }, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await applyCorrection(engine, { kind: 'split', story: id as StoryId, articles: body.articles as ArticleId[] }), 200);
  });
  api.openapi({ ...moveArticle, middleware: ctx.writer }, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await applyCorrection(engine, { kind: 'move', article: id as ArticleId, to: body.to as StoryId | null }), 200);
  });
}

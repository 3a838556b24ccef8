import type { Hono } from 'hono';
import { z } from 'zod';
import { applyCorrection, loadStoryWhy } from '../cluster/corrections.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import type { AppContext } from './app.js';
import { HttpError, parseInput } from './errors.js';
import { documentPath, errorResponse, jsonResponse } from './openapi.js';
import { ArticleIdParam, StoryIdParam } from './schemas.js';

const storyPattern = /^s[0-9a-f]{16}$/;
const MergeBody = z.object({ into: z.string().regex(storyPattern, 'expected a story id (s + 16 hex digits)') }).strict();
const SplitBody = z.object({ articles: z.array(z.string().min(1).max(64)).min(1).max(10_000) }).strict();
const MoveBody = z.object({ to: z.string().regex(storyPattern, 'expected a story id (s + 16 hex digits)').nullable() }).strict();

/** GET /stories/{id}/why: the evidence for each member (cluster/why.ts). */
const StoryWhySchema = z.object({
  story: z.string(),
  members: z.array(
    z.object({
      article: z.string(),
      title: z.string().nullable(),
      published: z.string().nullable(),
      nearest: z.object({ article: z.string(), title: z.string().nullable() }).nullable(),
      names: z.array(z.string()),
      numbers: z.array(z.string()),
      words: z.array(z.string()),
      dayGap: z.number().nullable(),
      score: z.number(),
      threshold: z.number(),
      boilerplate: z.array(z.string()),
      corrections: z.array(z.object({ seq: z.number(), at: z.string(), kind: z.string(), detail: z.string() })),
    }),
  ),
});
const CorrectionResultSchema = z.object({ kind: z.enum(['merge', 'split', 'move']), story: z.string(), changed: z.array(z.string()), articles: z.array(z.string()) });

async function jsonBody(c: { req: { json: () => Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HttpError(400, 'INVALID_FIELD', 'body: expected valid JSON', 'body');
  }
}

/**
 * Corrections (writes: a bearer token) and the evidence for a story's members:
 * POST /stories/:id/merge {into}, POST /stories/:id/split {articles}, POST /articles/:id/move
 * {to | null}, GET /stories/:id/why.
 */
export function correctionRoutes(api: Hono, ctx: AppContext): void {
  const { engine } = ctx;
  api.get('/stories/:id/why', async (c) => {
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    return ctx.cache.json(c, `story-why:${id}`, async () => {
      const why = await loadStoryWhy(engine.store, id as StoryId);
      if (!why) throw new HttpError(404, 'UNKNOWN_ID', `no story with id ${id}`, 'id');
      return why;
    });
  });
  api.post('/stories/:id/merge', async (c) => {
    ctx.requireWriter(c);
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    const body = parseInput(MergeBody, await jsonBody(c), 'body');
    return c.json(await applyCorrection(engine, { kind: 'merge', story: id as StoryId, into: body.into as StoryId }));
  });
  api.post('/stories/:id/split', async (c) => {
    ctx.requireWriter(c);
    const { id } = parseInput(StoryIdParam, c.req.param(), 'path');
    const body = parseInput(SplitBody, await jsonBody(c), 'body');
    return c.json(await applyCorrection(engine, { kind: 'split', story: id as StoryId, articles: body.articles as ArticleId[] }));
  });
  api.post('/articles/:id/move', async (c) => {
    ctx.requireWriter(c);
    const { id } = parseInput(ArticleIdParam, c.req.param(), 'path');
    const body = parseInput(MoveBody, await jsonBody(c), 'body');
    return c.json(await applyCorrection(engine, { kind: 'move', article: id as ArticleId, to: body.to as StoryId | null }));
  });
  const idParam = (name: string, pattern: string) => [{ name, in: 'path', required: true, schema: { type: 'string', pattern } }];
  const result = jsonResponse(CorrectionResultSchema, 'the correction made: the story the articles are in now, the stories changed, the articles moved');
  const writeErrors = { 400: errorResponse('malformed id or body, or a correction that changes nothing'), 401: errorResponse('no or wrong bearer token'), 403: errorResponse('writes disabled'), 404: errorResponse('unknown story or article') };
  documentPath('/stories/{id}/why', { get: { summary: "Why each article is in the story: what it shares with its nearest member, the date gap, the score and threshold, and analysts' corrections", parameters: idParam('id', '^s[0-9a-f]{16}$'), responses: { 200: jsonResponse(StoryWhySchema, 'the evidence per member'), 400: errorResponse('malformed id or an unknown query parameter'), 404: errorResponse('unknown id') } } });
  documentPath('/stories/{id}/merge', { post: { summary: 'Merge this story into another (body {"into": story id}); stored, kept by later arrivals', parameters: idParam('id', '^s[0-9a-f]{16}$'), responses: { 200: result, ...writeErrors } } });
  documentPath('/stories/{id}/split', { post: { summary: 'Split the given articles off this story into a new one (body {"articles": [ids]})', parameters: idParam('id', '^s[0-9a-f]{16}$'), responses: { 200: result, ...writeErrors } } });
  documentPath('/articles/{id}/move', { post: { summary: 'Move an article to another story, or with {"to": null} to a new story', parameters: idParam('id', '^a[0-9a-f]{16}$'), responses: { 200: result, ...writeErrors } } });
}

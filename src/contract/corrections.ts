import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ArticleIdParam, error, json, StoryIdParam, list } from './common.js';

const storyPattern = /^s[0-9a-f]{16}$/;
export const MergeBody = z.object({ into: z.string().regex(storyPattern, 'expected a story id (s + 16 hex digits)') }).strict();
export const SplitBody = z.object({ articles: z.array(z.string().min(1).max(64)).min(1).max(10_000) }).strict();
export const MoveBody = z.object({ to: z.string().regex(storyPattern, 'expected a story id (s + 16 hex digits)').nullable() }).strict();

/** The evidence for each member of a story (cluster/why.ts). */
export const StoryWhy = z.object({
  story: z.string(),
  members: list(
    z.object({
      article: z.string(),
      title: z.string().nullable(),
      published: z.string().nullable(),
      nearest: z.object({ article: z.string(), title: z.string().nullable() }).nullable(),
      names: list(z.string()),
      numbers: list(z.string()),
      ages: list(z.number()),
      agesApart: z.boolean(),
      words: list(z.string()),
      dayGap: z.number().nullable(),
      score: z.number(),
      threshold: z.number(),
      /** lines and headline parts its outlet repeats, left out of what is compared */
      boilerplate: list(z.string()),
      corrections: list(z.object({ seq: z.number(), at: z.string(), kind: z.string(), detail: z.string() })),
    }),
  ),
});
export const CorrectionResult = z.object({ kind: z.enum(['merge', 'split', 'move']), story: z.string(), changed: list(z.string()), articles: list(z.string()) });

const result = json(CorrectionResult, 'the correction made: the story the articles are in now, the stories changed, the articles moved');
const writeErrors = {
  400: error('malformed id or body, or a correction that changes nothing'),
  401: error('no or wrong bearer token'),
  403: error('writes disabled'),
  404: error('unknown story or article'),
  413: error('body too large'),
  415: error('the body is not application/json'),
};
const jsonBody = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

export const storyWhy = createRoute({
  method: 'get',
  path: '/stories/{id}/why',
  summary: "Why each article is in the story: what it shares with its nearest member, the date gap, the score and threshold, and analysts' corrections",
  request: { params: StoryIdParam },
  responses: { 200: json(StoryWhy, 'the evidence per member'), 400: error('malformed id or an unknown query parameter'), 404: error('unknown id') },
});

export const mergeStory = createRoute({
  method: 'post',
  path: '/stories/{id}/merge',
  summary: 'Merge this story into another (body {"into": story id}); stored, kept by later arrivals',
  security: [{ bearer: [] }],
  request: { params: StoryIdParam, body: jsonBody(MergeBody) },
  responses: { 200: result, ...writeErrors },
});

export const splitStory = createRoute({
  method: 'post',
  path: '/stories/{id}/split',
  summary: 'Split the given articles off this story into a new one (body {"articles": [ids]})',
  security: [{ bearer: [] }],
  request: { params: StoryIdParam, body: jsonBody(SplitBody) },
  responses: { 200: result, ...writeErrors },
});

export const moveArticle = createRoute({
  method: 'post',
  path: '/articles/{id}/move',
  summary: 'Move an article to another story, or with {"to": null} to a new story',
  security: [{ bearer: [] }],
  request: { params: ArticleIdParam, body: jsonBody(MoveBody) },
  responses: { 200: result, ...writeErrors },
});

// What a client reads.
export type StoryWhy = z.output<typeof StoryWhy>;
export type CorrectionResult = z.output<typeof CorrectionResult>;

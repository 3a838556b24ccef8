import { z } from 'zod';
import { ArticleDetail, ArticleList, ArticleListQuery, ErrorBody, IngestBody, IngestResult, SearchQuery, SearchResults } from './schemas.js';

type JsonSchema = Record<string, unknown>;

function params(schema: z.ZodObject, where: 'query' | 'path'): JsonSchema[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
    ...(typeof s['description'] === 'string' ? { description: s['description'] } : {}),
  }));
}

const body = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const out = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
const json = (schema: z.ZodType, description: string): JsonSchema => ({ description, content: { 'application/json': { schema: out(schema) } } });
const error = (description: string): JsonSchema => json(ErrorBody, description);

const extraPaths: Record<string, JsonSchema> = {};

/** Other features register their routes' documentation here, from their own schemas. */
export function documentPath(path: string, item: JsonSchema): void {
  extraPaths[path] = item;
}

export { json as jsonResponse, error as errorResponse, params as parameters, out as outputSchema };

/** The OpenAPI 3.1 document, generated from the zod schemas that validate requests. */
export function openApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: { title: 'Parallax API', version: '1', description: 'News story engine: articles, reprints, stories and comparisons.' },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/articles': { get: { summary: 'List articles, newest first', parameters: params(ArticleListQuery, 'query'), responses: { 200: json(ArticleList, 'a page of articles'), 400: error('invalid query') } } },
      '/articles/{id}': {
        get: {
          summary: 'One article with its sentences and versions',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^a[0-9a-f]{16}$' } }],
          responses: { 200: json(ArticleDetail, 'the article'), 400: error('malformed id'), 404: error('unknown id') },
        },
      },
      '/search': { get: { summary: 'Full-text search', parameters: params(SearchQuery, 'query'), responses: { 200: json(SearchResults, 'matches, best first'), 400: error('invalid query') } } },
      '/ingest': {
        post: {
          summary: 'Ingest articles (JSON), files (multipart, field "file") or URLs',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: body(IngestBody) },
              'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } } },
            },
          },
          responses: {
            200: json(IngestResult, 'what was stored and what failed'),
            202: {
              description: 'the server runs with a work queue (serve --queue): the items were queued for the workers, nothing is stored yet',
              content: { 'application/json': { schema: { type: 'object', properties: { queued: { type: 'integer', minimum: 0 } }, required: ['queued'], additionalProperties: false } } },
            },
            400: error('invalid body'),
            401: error('missing or wrong token'),
            403: error('writes disabled'),
            413: error('body too large'),
            415: error('unsupported content type'),
            422: json(IngestResult, 'nothing could be stored: the same report as 200, every input in `failed`'),
          },
        },
      },
      '/events': {
        get: {
          summary: 'Server-sent events',
          description:
            'article.added, article.updated, story.created and story.changed for what this server stores; store.changed when the store changed, by this server or another process such as a cron ingest (checked every 2 s by default): fetch again what you show.',
          responses: { 200: { description: 'text/event-stream' } },
        },
      },
      ...extraPaths,
    },
  };
}

/** The query parameters each documented route takes, by method and path pattern. */
export type QueryRules = Array<{ method: string; pattern: RegExp; literal: number; names: Set<string> }>;

export function queryRulesOf(doc: JsonSchema): QueryRules {
  const rules: QueryRules = [];
  for (const [path, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)) {
    const segments = path.split('/');
    const pattern = new RegExp(`^${segments.map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    const literal = segments.filter((seg) => !seg.startsWith('{')).length;
    for (const [method, op] of Object.entries(item)) {
      const names = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      rules.push({ method: method.toUpperCase(), pattern, literal, names });
    }
  }
  // literal segments first: /stories/search before /stories/{id}
  return rules.sort((a, b) => b.literal - a.literal);
}

/** The query parameters a request may carry, or null when the route is not documented. */
export function allowedQuery(rules: QueryRules, method: string, path: string): Set<string> | null {
  const m = method === 'HEAD' ? 'GET' : method;
  return rules.find((r) => r.method === m && r.pattern.test(path))?.names ?? null;
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** The OpenAPI 3.1 document, generated from the contract's routes that `api` implements. */
export function openApiDocument(api: OpenAPIHono): JsonSchema {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Parallax API', version: '1', description: 'News story engine: articles, reprints, stories and comparisons.' },
    servers: [{ url: '/api/v1' }],
  }) as unknown as JsonSchema;
}

/** The query parameters each route takes, by method and path pattern. */
export type QueryRules = Array<{ method: string; pattern: RegExp; literal: number; names: Set<string> }>;

/** The rules of every route `api` implements, from the route's own query schema. */
export function queryRulesOf(api: OpenAPIHono): QueryRules {
  const rules: QueryRules = [];
  for (const def of api.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const { path, method, request } = def.route;
    const segments = path.split('/');
    const pattern = new RegExp(`^${segments.map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
    const literal = segments.filter((seg) => !seg.startsWith('{')).length;
    const query = request?.query as z.ZodObject | undefined;
    rules.push({ method: method.toUpperCase(), pattern, literal, names: new Set(query ? Object.keys(query.shape) : []) });
  }
  // literal segments first: /stories/search before /stories/{id}
  return rules.sort((a, b) => b.literal - a.literal);
}

/** The query parameters a request may carry, or null when no route documents it. */
export function allowedQuery(rules: QueryRules, method: string, path: string): Set<string> | null {
  const m = method === 'HEAD' ? 'GET' : method;
  return rules.find((r) => r.method === m && r.pattern.test(path))?.names ?? null;
}

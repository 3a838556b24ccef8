import type { z } from 'zod';
import * as contract from '../../src/contract/index.js';

interface Route {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

const isRoute = (x: unknown): x is Route =>
  typeof x === 'object' && x !== null && typeof (x as Route).method === 'string' && typeof (x as Route).path === 'string' && typeof (x as Route).responses === 'object';

/** Every route of the contract, with a pattern for concrete paths; literal segments first. */
export const CONTRACT_ROUTES = (Object.values(contract) as unknown[])
  .filter(isRoute)
  .map((route) => {
    const segments = route.path.split('/');
    const pattern = new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s)).join('/')}$`);
    return { route, pattern, literal: segments.filter((s) => !s.startsWith('{')).length };
  })
  .sort((a, b) => b.literal - a.literal);

/**
 * Checks a response of the real server against the contract's zod schema for its route and
 * status: the problems found, none when it conforms. A status the route does not declare is one.
 */
export function contractProblems(method: string, path: string, status: number, body: unknown): string[] {
  const bare = path.replace(/^\/api\/v1/, '').split('?')[0]!;
  const found = CONTRACT_ROUTES.find((r) => r.route.method === method.toLowerCase() && r.pattern.test(bare));
  if (!found) {
    // no route takes this method here: the API-wide 404 or 405, in the error form
    if (status !== 404 && status !== 405) return [`${method} ${bare}: no route in the contract, answered ${status}`];
    const r = contract.ErrorBody.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${method} ${bare} ${status}: ${i.path.join('.')}: ${i.message}`);
  }
  const response = found.route.responses[String(status)];
  if (!response) return [`${method} ${bare}: status ${status} is not in the contract (${Object.keys(found.route.responses).join(', ')})`];
  const schema = response.content?.['application/json']?.schema as z.ZodType | undefined;
  if (!schema) return [];
  const r = schema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${method} ${bare} ${status}: ${i.path.join('.')}: ${i.message}`);
}

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { isParallaxError } from '../errors.js';

/** An HTTP error with a JSON body that names the field at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Parses untrusted input with a schema, or throws a 400 naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  throw new HttpError(400, 'INVALID_FIELD', `${where}: ${path}: ${issue?.message ?? 'invalid'}`, path);
}

/**
 * The one error handler: catalogue errors become their 4xx/5xx with code and message;
 * anything unexpected becomes a plain 500 that leaks nothing (the details go to the log).
 */
export function renderError(err: unknown, c: Context, log: (entry: Record<string, unknown>) => void): Response {
  if (err instanceof HttpError) {
    return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, err.status);
  }
  if (isParallaxError(err)) {
    const status = err.httpStatus as ContentfulStatusCode;
    if (status >= 500) {
      log({ level: 'error', msg: 'store error', code: err.code, error: err.message });
      return c.json({ error: { code: err.code, message: err.kind === 'store' ? 'the store is unavailable; try again later' : err.message } }, status);
    }
    return c.json({ error: { code: err.code, message: err.message, ...(err.subject ? { field: err.subject } : {}) } }, status);
  }
  log({ level: 'error', msg: 'unhandled error', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined });
  return c.json({ error: { code: 'INTERNAL', message: 'internal server error' } }, 500);
}

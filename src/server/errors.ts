import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiErrorCode, ErrorBody } from '../contract/common.js';
import { createError, isParallaxError, type ParallaxError } from '../errors.js';
import { HTTP_STATUS } from './status.js';

export type Log = (entry: Record<string, unknown>) => void;

/**
 * The one place an error body is built: the code's status from the table, the catalogue's
 * code and message, the field at fault when there is one.
 */
export function errorResponse(c: Context, code: ApiErrorCode, message: string, field?: string): Response {
  const body: ErrorBody = { error: { code, message, ...(field ? { field } : {}) } };
  return c.json(body, HTTP_STATUS[code]);
}

/**
 * Errors hono's own middleware throws (the JSON validator on a malformed body, the media-type
 * gate), as the catalogue errors a client sees elsewhere.
 */
function fromHttpException(e: HTTPException): ParallaxError | null {
  if (e.status === 400) return createError('INVALID_FIELD', 'body: expected valid JSON', { subject: 'body' });
  if (e.status === 415) return createError('UNSUPPORTED_TYPE', 'body: expected application/json', { subject: 'content-type' });
  if (e.status === 413) return createError('TOO_LARGE', 'the request body is too large', { subject: 'body' });
  return null;
}

/**
 * The one error handler: catalogue errors become their status with code and message;
 * anything unexpected becomes a plain 500 that leaks nothing (the details go to the log).
 */
export function renderError(err: unknown, c: Context, log: Log): Response {
  // a response built already, by errorResponse (bearer-auth's refusals carry their challenge header)
  if (err instanceof HTTPException && err.res) return err.getResponse();
  const known = err instanceof HTTPException ? fromHttpException(err) : isParallaxError(err) ? err : null;
  if (known) {
    if (HTTP_STATUS[known.code] >= 500) {
      log({ level: 'error', msg: 'store error', code: known.code, error: known.message });
      return errorResponse(c, known.code, known.kind === 'store' ? 'the store is unavailable; try again later' : known.message);
    }
    return errorResponse(c, known.code, known.message, known.subject);
  }
  log({ level: 'error', msg: 'unhandled error', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined });
  return errorResponse(c, 'INTERNAL', 'internal server error');
}

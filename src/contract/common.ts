import { z } from 'zod';
import { createError, ERROR_CODES, type ErrorCode, type ParallaxError } from '../errors.js';
import { ISO_DATE, isIsoDate } from '../util/iso-date.js';

/** A date a client sends (a filter): the shape, then the calendar (2013-99-99 has the shape). */
export const isoDate = z.string().regex(ISO_DATE, 'expected an ISO 8601 date such as 2024-02-23').refine(isIsoDate, 'expected an ISO 8601 date of a real calendar day, such as 2024-02-23');

/**
 * Every date in a response has one of two forms: a calendar date (`2013-05-03`) where only
 * the day is known, else a UTC instant with milliseconds (`2013-05-03T14:20:00.000Z`).
 */
export const ApiDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}\.\d{3}Z)?$/)
  .describe('a calendar date (YYYY-MM-DD) when only the day is known, else a UTC instant (YYYY-MM-DDTHH:MM:SS.sssZ)');
/** An instant: when Parallax read something (ingest time), never a publication date. */
export const ApiInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .describe('a UTC instant (YYYY-MM-DDTHH:MM:SS.sssZ)');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size, 1-200'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('items to skip'),
});

export const ArticleIdParam = z.object({
  id: z.string().regex(/^a[0-9a-f]{16}$/, 'expected an article id: "a" followed by 16 hex digits'),
});

export const StoryIdParam = z.object({
  id: z.string().regex(/^s[0-9a-f]{16}$/, 'expected a story id: "s" followed by 16 hex digits'),
});

/** What an error body's `code` may be: a catalogue code, or INTERNAL for a bug (no detail given). */
export const API_ERROR_CODES = [...(Object.keys(ERROR_CODES) as ErrorCode[]), 'INTERNAL'] as const;
export type ApiErrorCode = ErrorCode | 'INTERNAL';

export const ErrorBody = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string(), field: z.string().optional() }),
});

/**
 * A list in a response. Read-only, as the server's own values are: the type of what a
 * handler returns is checked against the route's response at compile time.
 */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

/** A JSON response with its description, as an OpenAPI response object. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
export const error = (description: string) => json(ErrorBody, description);

/**
 * Parses untrusted input with a schema, or throws INVALID_FIELD naming the first bad field
 * (`where` is query, path or body; the field is the issue's path, else `where`).
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw invalidField(r.error, where);
}

export function invalidField(e: z.ZodError, where: string): ParallaxError {
  const issue = e.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  return createError('INVALID_FIELD', `${where}: ${path}: ${issue?.message ?? 'invalid'}`, { subject: path });
}

// What a client reads.
export type ErrorBody = z.output<typeof ErrorBody>;

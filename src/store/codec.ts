import { z } from 'zod';
import type { ArticleMeta, Span } from '../domain/article.js';
import { createError } from '../errors.js';

/**
 * Parsing of persisted article parts. Stored JSON is data from disk, so it is parsed,
 * not cast: a corrupt row fails loudly with the id instead of spreading undefined.
 */
const evidence = z.object({
  source: z.enum(['header', 'meta', 'json-ld', 'time', 'html', 'feed', 'jsonl', 'text', 'url', 'http', 'input']),
  detail: z.string(),
  offset: z.number().int().optional(),
});
const field = z.object({ value: z.string(), evidence });
const metaSchema = z.object({
  title: field.nullable(),
  published: field.nullable(),
  outlet: field.nullable(),
  domain: field.nullable().optional(),
  syndicator: field.nullable(),
  credits: z.array(field),
  dateline: field.nullable(),
  byline: field.nullable(),
  language: field,
});

export function encodeMeta(meta: ArticleMeta): string {
  return JSON.stringify(meta);
}

export function decodeMeta(json: string, id: string): ArticleMeta {
  const parsed = metaSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw createError('DB_INCOMPATIBLE', `store: article ${id} has unreadable metadata (${parsed.error.issues[0]?.message ?? 'invalid'})`, { subject: id });
  }
  return parsed.data;
}

/** Sentences as a flat array [s0, e0, s1, e1, ...]: compact and quick to parse. */
export function encodeSpans(spans: readonly Span[]): string {
  const flat = new Array<number>(spans.length * 2);
  for (let i = 0; i < spans.length; i++) {
    flat[2 * i] = spans[i]!.start;
    flat[2 * i + 1] = spans[i]!.end;
  }
  return JSON.stringify(flat);
}

export function decodeSpans(json: string, id: string, textLength: number): Span[] {
  const flat: unknown = JSON.parse(json);
  if (!Array.isArray(flat) || flat.length % 2 !== 0) {
    throw createError('DB_INCOMPATIBLE', `store: article ${id} has unreadable sentence offsets`, { subject: id });
  }
  const spans: Span[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const start: unknown = flat[i];
    const end: unknown = flat[i + 1];
    if (typeof start !== 'number' || typeof end !== 'number' || start < 0 || end > textLength || start > end) {
      throw createError('DB_INCOMPATIBLE', `store: article ${id} has a sentence offset out of range`, { subject: id });
    }
    spans.push({ start, end });
  }
  return spans;
}

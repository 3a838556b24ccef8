import type { Field } from '../domain/article.js';
import { createError, type ParallaxError } from '../errors.js';
import { type Draft, toIsoDate } from './draft.js';
import { htmlToText } from './html.js';

/**
 * JSON Lines articles: `{id?, url?, title?, text|html, published?, outlet?}` per line.
 * Other fields are ignored (gold labels in evaluation files must never leak into
 * processing, so they are not even copied). A bad line is an error naming the line and
 * field; the other lines still count.
 */
export type JsonlItem = { readonly line: number; readonly draft: Draft } | { readonly line: number; readonly error: ParallaxError };

const MAX_LINE_CHARS = 8 * 1024 * 1024;

function optionalString(obj: Record<string, unknown>, key: string, where: string): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (key === 'id' && typeof v === 'number') return String(v);
  throw createError('INVALID_JSONL', `${where}: field "${key}" must be a string, found ${Array.isArray(v) ? 'array' : typeof v}`, { subject: where });
}

export function parseJsonlLine(line: string, lineNo: number, source: string, fetchedAt: string): Draft | null {
  const where = `${source}:${lineNo}`;
  const trimmed = line.trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_LINE_CHARS) {
    throw createError('TOO_LARGE', `${where}: line is ${trimmed.length} characters, over the ${MAX_LINE_CHARS} limit`, { subject: where });
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    throw createError('INVALID_JSONL', `${where}: expected a JSON object, found invalid JSON (${(e as Error).message})`, { subject: where });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw createError('INVALID_JSONL', `${where}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`, { subject: where });
  }
  return draftFromRecord(value as Record<string, unknown>, where, fetchedAt);
}

/**
 * One article record (a JSONL line, an API request item) to a Draft. `where` names it in
 * errors (`file.jsonl:12`, `articles.3`).
 */
export function draftFromRecord(obj: Record<string, unknown>, where: string, fetchedAt: string): Draft {
  const text = optionalString(obj, 'text', where);
  const html = optionalString(obj, 'html', where);
  if ((text === null || text.trim() === '') && (html === null || html.trim() === '')) {
    throw createError('INVALID_JSONL', `${where}: expected a non-empty "text" or "html" field`, { subject: where });
  }
  const ev = (key: string): Field<string>['evidence'] => ({ source: 'jsonl', detail: key });
  const title = optionalString(obj, 'title', where);
  const publishedRaw = optionalString(obj, 'published', where);
  const outlet = optionalString(obj, 'outlet', where);
  const url = optionalString(obj, 'url', where);
  let published: Field<string> | null = null;
  if (publishedRaw !== null && publishedRaw.trim() !== '') {
    const iso = toIsoDate(publishedRaw);
    if (!iso) throw createError('INVALID_JSONL', `${where}: field "published" must be a date (ISO 8601 or RFC 2822), found "${publishedRaw.slice(0, 40)}"`, { subject: where });
    published = { value: iso, evidence: ev('published') };
  }
  const body = text !== null && text.trim() !== '' ? text : htmlToText(html ?? '', where);
  // every field listed (a literal of one shape, not a spread of emptyDraft's: one per line)
  return {
    source: where,
    url: url !== null && /^https?:\/\//i.test(url) ? url : null,
    externalId: optionalString(obj, 'id', where),
    text: body,
    title: title !== null && title.trim() !== '' ? { value: title, evidence: ev('title') } : null,
    published,
    outlet: outlet !== null && outlet.trim() !== '' ? { value: outlet, evidence: ev('outlet') } : null,
    syndicator: null,
    byline: null,
    credits: [],
    languageHint: null,
    fetchedAt,
  };
}

/** Parses every line of a JSONL text; bad lines become errors with their line number. */
export function readJsonl(content: string, opts: { source: string; fetchedAt: string }): JsonlItem[] {
  const items: JsonlItem[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    try {
      const draft = parseJsonlLine(lines[i]!, i + 1, opts.source, opts.fetchedAt);
      if (draft) items.push({ line: i + 1, draft });
    } catch (e) {
      items.push({ line: i + 1, error: e as ParallaxError });
    }
  }
  return items;
}

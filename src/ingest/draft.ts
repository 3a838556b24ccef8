import type { Field } from '../domain/article.js';

/**
 * What a reader (text file, HTML page, feed item, JSONL line) extracts from one input,
 * before text analysis. Text is raw (not yet normalised): paragraphs separated by a
 * blank line. Metadata found in structure (meta tags, feed fields, JSON fields) carries
 * its evidence; metadata found in the text itself is added later by `buildArticle`.
 */
export interface Draft {
  /** Where it was read from: a path, `path:line`, `path#item-3` or a URL. */
  readonly source: string;
  readonly url: string | null;
  readonly externalId: string | null;
  readonly text: string;
  readonly title: Field<string> | null;
  readonly published: Field<string> | null;
  readonly outlet: Field<string> | null;
  readonly syndicator: Field<string> | null;
  readonly byline: Field<string> | null;
  /** Wire credits found in structure (e.g. a JSON-LD `sourceOrganization`). */
  readonly credits: readonly Field<string>[];
  /** A language tag given by the input (`<html lang>`, `<language>`), as a hint. */
  readonly languageHint: string | null;
  /** ISO date-time of the read or fetch. */
  readonly fetchedAt: string;
  /**
   * An HTML page not extracted yet (ReadOptions.deferHtml): buildArticle extracts it (text,
   * title, dates, outlet, ...) with source, url and fetchedAt from this draft; the draft's
   * other fields are empty.
   */
  readonly pendingHtml?: string;
}

export function emptyDraft(source: string, text: string, fetchedAt: string = new Date().toISOString()): Draft {
  return {
    source,
    url: null,
    externalId: null,
    text,
    title: null,
    published: null,
    outlet: null,
    syndicator: null,
    byline: null,
    credits: [],
    languageHint: null,
    fetchedAt,
  };
}

/**
 * Parses a date string from an input into ISO 8601, or null when it is not a date: a UTC
 * instant (`2013-05-03T14:20:00.000Z`) when the value has a time of day, else a calendar
 * date (`2013-05-03`). A date without a time stays a date: as midnight UTC it showed as
 * 00:00, and as the day before west of Greenwich.
 */
export function toIsoDate(value: string): string | null {
  const s = value.trim();
  if (s === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (y < 1900 || y > 2200) return null;
  if (!/\d:\d{2}|T\d{2}/.test(s)) {
    // ISO forms without a day of time are parsed as UTC, the others as local midnight
    const utc = /^\d{4}-\d{2}(?:-\d{2})?$/.test(s);
    const [yy, mm, dd] = utc ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()] : [d.getFullYear(), d.getMonth() + 1, d.getDate()];
    return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  }
  return d.toISOString();
}

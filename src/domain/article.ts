import type { ArticleId } from './ids.js';

/** Where a metadata value came from, so a user can check it. */
export interface Evidence {
  /** The kind of place the value was read from. */
  readonly source:
    | 'header' // a metadata header line in a text file
    | 'meta' // an HTML <meta> tag
    | 'json-ld' // HTML JSON-LD
    | 'time' // an HTML <time> element
    | 'html' // other HTML structure (<title>, <h1>, rel=author)
    | 'feed' // an RSS/Atom field
    | 'jsonl' // a JSON Lines field
    | 'text' // the article text itself
    | 'url' // the article's URL
    | 'http' // HTTP response headers
    | 'input'; // given by the caller
  /** The snippet or field that carried the value, e.g. `(Reuters) -` or `meta[property=og:site_name]`. */
  readonly detail: string;
  /** Character offset of the snippet in the article text, when the source is `text`. */
  readonly offset?: number;
}

export interface Field<T> {
  readonly value: T;
  readonly evidence: Evidence;
}

/** A sentence as a half-open character range [start, end) into `Article.text`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Metadata fields of an article, each with its evidence. */
export interface ArticleMeta {
  readonly title: Field<string> | null;
  /** ISO 8601 date or date-time. */
  readonly published: Field<string> | null;
  /** The publication that wrote or published the piece (Gulf Times). */
  readonly outlet: Field<string> | null;
  /**
   * The registered domain of the article's original URL (archive and proxy URLs unwrapped):
   * an outlet is a display name and the domains it publishes under. Absent in articles
   * stored before it existed.
   */
  readonly domain?: Field<string> | null;
  /** The service that redistributed it (MENAFN), when not the outlet itself. */
  readonly syndicator: Field<string> | null;
  /** Wire agencies credited (Reuters, AFP, Agencies). */
  readonly credits: readonly Field<string>[];
  /** The place line at the start (PARIS, DOHA). */
  readonly dateline: Field<string> | null;
  readonly byline: Field<string> | null;
  /** ISO 639-1 code, or `und` when undetermined. */
  readonly language: Field<string>;
}

/**
 * The domain article: immutable once built. Its id is derived from its identity key
 * (domain/identity.ts: canonical URL, else the input's id and outlet, else its content in
 * its file), so the same input gets the same id on every machine and every worker; a changed
 * text that still shares text with the stored one is a new version of the same id.
 */
export interface Article {
  readonly id: ArticleId;
  readonly version: number;
  readonly url: string | null;
  /** An id given by the input (a JSONL `id`), kept for round trips; never used as our id. */
  readonly externalId: string | null;
  readonly title: string | null;
  /** Normalised text (NFC, quotes, dashes, whitespace); all offsets point into it. */
  readonly text: string;
  readonly sentences: readonly Span[];
  readonly meta: ArticleMeta;
  /** ISO date-time when Parallax read the input. */
  readonly fetchedAt: string;
  /** SHA-256 (hex) of the normalised text and title; equal hash, equal content. */
  readonly contentHash: string;
  /** Where it was read from: a path, `path:line`, `path#item` or a URL. */
  readonly source: string;
}

export interface ArticleVersion {
  readonly id: ArticleId;
  readonly version: number;
  readonly contentHash: string;
  readonly title: string | null;
  readonly text: string;
  readonly fetchedAt: string;
  /** the version's own published date (ISO), when it gives one */
  readonly published: string | null;
  readonly source: string;
}

export function sentenceText(article: Pick<Article, 'text' | 'sentences'>, index: number): string {
  const s = article.sentences[index];
  if (!s) throw new RangeError(`sentence ${index} out of range (0..${article.sentences.length - 1})`);
  return article.text.slice(s.start, s.end);
}

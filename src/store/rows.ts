import type { Article } from '../domain/article.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import { decodeMeta, decodeSpans } from './codec.js';
import type { ArticleSummary } from './store.js';

/** An article as both SQL stores keep it: one row, its spans and metadata encoded (codec.ts). */
export interface ArticleRow {
  seq: number;
  id: string;
  version: number;
  url: string | null;
  external_id: string | null;
  title: string | null;
  text: string;
  sentences: string;
  meta: string;
  language: string;
  published: string | null;
  outlet: string | null;
  fetched_at: string;
  content_hash: string;
  source: string;
}

/** The columns of an article list (SUMMARY_COLUMNS in each store). */
export interface SummaryRow {
  id: string;
  version: number;
  title: string | null;
  url: string | null;
  external_id: string | null;
  outlet: string | null;
  published: string | null;
  language: string;
  fetched_at: string;
  source: string;
  sentence_count: number;
  story_id: string | null;
}

export function toSummary(r: SummaryRow): ArticleSummary {
  return {
    id: r.id as ArticleId,
    version: r.version,
    title: r.title,
    url: r.url,
    externalId: r.external_id,
    outlet: r.outlet,
    published: r.published,
    language: r.language,
    fetchedAt: r.fetched_at,
    sentenceCount: r.sentence_count,
    source: r.source,
    story: r.story_id as StoryId | null,
  };
}

export function toArticle(r: ArticleRow): Article {
  return {
    id: r.id as ArticleId,
    version: r.version,
    url: r.url,
    externalId: r.external_id,
    title: r.title,
    text: r.text,
    sentences: decodeSpans(r.sentences, r.id, r.text.length),
    meta: decodeMeta(r.meta, r.id),
    fetchedAt: r.fetched_at,
    contentHash: r.content_hash,
    source: r.source,
  };
}

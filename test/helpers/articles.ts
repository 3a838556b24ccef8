import { buildArticle } from '../../src/ingest/build.js';
import { emptyDraft } from '../../src/ingest/draft.js';
import type { Article } from '../../src/domain/article.js';

/** Builds an article from text the way ingest does (for tests of later stages). */
export function articleFrom(text: string, extra: { url?: string; title?: string; source?: string; published?: string } = {}): Article {
  const base = emptyDraft(extra.source ?? 'test', text, '2026-11-25T00:00:00.000Z');
  return buildArticle({
    ...base,
    url: extra.url ?? null,
    title: extra.title ? { value: extra.title, evidence: { source: 'input', detail: 'test' } } : null,
    published: extra.published ? { value: extra.published, evidence: { source: 'input', detail: 'test' } } : null,
  });
}

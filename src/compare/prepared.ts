import type { Article } from '../domain/article.js';
import type { SentenceVector } from '../align/vectorize.js';
import type { ArticleClaims } from '../claims/extract.js';

/**
 * Everything computed per article, reused by quotes, figures and the brief. Its own module so
 * that the brief (brief.ts) and the comparison that calls it (compare.ts) both depend on it
 * and not on each other.
 */
export interface PreparedArticle {
  readonly article: Article;
  readonly texts: readonly string[];
  readonly vectors: readonly SentenceVector[];
  readonly claims: ArticleClaims;
}

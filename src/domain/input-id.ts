import type { Article } from './article.js';

/**
 * The id the user gave an article, which every record naming an article prints as `inputId`
 * beside Parallax's own `articleId`, so that output joins back to the user's data: the JSON
 * Lines (or API) `id`, else the article's URL, else where it was read from (`file`,
 * `file:line` for a JSON Lines line, `file#item-3` for a feed item, `upload:name`).
 */
export function inputIdOf(article: Pick<Article, 'externalId' | 'url' | 'source'>): string {
  return article.externalId ?? article.url ?? article.source;
}

/** The pair of ids (field names `articleId`, `inputId`) that names an article in output. */
export function articleIds(article: Pick<Article, 'id' | 'externalId' | 'url' | 'source'>): { articleId: string; inputId: string } {
  return { articleId: article.id, inputId: inputIdOf(article) };
}

import type { Article } from '../domain/article.js';
import { articleIdFromKey, type ArticleId } from '../domain/ids.js';
import { intersectionSize, shingle, shingleSet } from '../dedup/shingle.js';
import { newArticleId } from '../domain/identity.js';
import type { IdentityMatch } from '../store/store.js';

/** What an input is, given the articles stored under its identity key. */
export type Resolution = { readonly status: 'unchanged'; readonly id: ArticleId; readonly version: number } | { readonly status: 'new' | 'updated'; readonly id: ArticleId };

/**
 * Two texts at one URL (or under one id) are versions of one article when they share at
 * least this share of the shorter one's 5-word shingles. A live page that posts another
 * report at the same address (ECB+ has three such reports of one fire at one URL, sharing
 * 0 or 1 of their 24-51 shingles) holds different articles; an edited article keeps most
 * of its sentences.
 */
export const VERSION_MIN_SHARED = 0.1;

function shingles(text: string): Uint32Array {
  return shingleSet(shingle(text, 5));
}

/** The share of the shorter text's shingles found in the other (0 when either has none). */
export function sharedShare(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  const n = Math.min(x.length, y.length);
  return n === 0 ? 0 : intersectionSize(x, y) / n;
}

/**
 * Pure: the article an input is. Unchanged when its text is the text of any version of an
 * article under its key (so re-reading an input never makes a version, even where one URL
 * serves several texts in turn); a new version of the stored article its text shares most
 * with, when that is at least VERSION_MIN_SHARED, else of one with the same title; else a
 * new article, named by its key, or
 * by its key and content when another article holds that name.
 */
export function resolveIdentity(article: Pick<Article, 'text' | 'title' | 'contentHash'>, key: string, matches: readonly IdentityMatch[]): Resolution {
  for (const m of matches) if (m.texts[m.texts.length - 1] === article.text) return { status: 'unchanged', id: m.id, version: m.version };
  for (const m of matches) if (m.texts.includes(article.text)) return { status: 'unchanged', id: m.id, version: m.version };
  let best: IdentityMatch | null = null;
  let bestShare = 0;
  for (const m of matches) {
    const share = sharedShare(article.text, m.texts[m.texts.length - 1]!);
    if (share > bestShare) {
      best = m;
      bestShare = share;
    }
  }
  if (best && bestShare >= VERSION_MIN_SHARED) return { status: 'updated', id: best.id };
  // a rewrite under the same headline is the article updated (short texts rewritten whole
  // share no shingle)
  const titled = matches.length > 0 && article.title ? matches.find((m) => m.title === article.title) : undefined;
  if (titled) return { status: 'updated', id: titled.id };
  const own = articleIdFromKey(key);
  if (matches.length === 0) return { status: 'new', id: own };
  return {
    status: 'new',
    id: newArticleId(
      key,
      article.contentHash,
      matches.some((m) => m.id === own),
    ),
  };
}

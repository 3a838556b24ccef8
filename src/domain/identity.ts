import { normalize } from 'node:path';
import type { Article } from './article.js';
import { articleIdFromKey, type ArticleId } from './ids.js';

/**
 * Which input an article is: the key two reads of the same input share and two different
 * inputs never do. A wire story carried word for word by fifty outlets is fifty articles (and
 * fifty exact reprints), not one; the same input read twice is one article.
 */

const TRACKING_PARAMS = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src|smid|mod|taid|s_cid)$/i;

/**
 * The identity of an article across fetches: its URL without fragment, tracking
 * parameters, `www.` and trailing slash, with a lower-case host.
 */
export function canonicalUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  for (const key of [...u.searchParams.keys()]) if (TRACKING_PARAMS.test(key)) u.searchParams.delete(key);
  u.searchParams.sort();
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  // trailing slashes trimmed by hand: /\/+$/ retries the run from every slash in it (quadratic)
  let end = u.pathname.length;
  while (end > 0 && u.pathname.charCodeAt(end - 1) === 47) end--;
  const path = u.pathname.slice(0, end) || '/';
  const query = u.searchParams.toString();
  return `${host}${u.port ? `:${u.port}` : ''}${path}${query ? `?${query}` : ''}`;
}

/**
 * The file (or upload, or request) an input came from: its source without the line of a
 * JSON Lines file (`a.jsonl:12`) or the item of a feed (`feed.xml#item-3`).
 */
export function inputFile(source: string): string {
  const bare = source.replace(/#item-\d+$/, '').replace(/:\d+$/, '');
  // `./a.jsonl` and `a.jsonl` are one file; a URL is kept as it is
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(bare) ? bare : normalize(bare);
}

/** Evidence sources that are the input's own fields, not something read from its text or URL. */
const GIVEN = new Set(['jsonl', 'feed', 'input', 'header']);

/**
 * The identity key: the canonical URL when the input has one; else the input's own id with
 * the outlet it names, if any; else the content within its file. The same text from two
 * files, or under two ids, is two articles; the same line read again is one. Ids are not
 * unique across sources: two inputs under one id whose texts share nothing are told apart
 * when stored (engine/identity.ts), as different articles at one URL are.
 */
export function identityKey(a: Pick<Article, 'url' | 'externalId' | 'meta' | 'source' | 'contentHash'>): string {
  const url = a.url ? canonicalUrl(a.url) : null;
  if (url) return `url:${url}`;
  if (a.externalId !== null && a.externalId !== '') {
    const outlet = a.meta.outlet && GIVEN.has(a.meta.outlet.evidence.source) ? a.meta.outlet.value : null;
    return `id:${outlet?.toLowerCase() ?? ''}\n${a.externalId}`;
  }
  return `content:${inputFile(a.source)}\n${a.contentHash}`;
}

/**
 * The id of a new article: from its identity key alone, unless an article with other content
 * already holds that id (different articles at one URL): then from the key and its content,
 * so every machine names it alike.
 */
export function newArticleId(key: string, contentHash: string, keyIdTaken: boolean): ArticleId {
  return keyIdTaken ? articleIdFromKey(`${key}\n${contentHash}`) : articleIdFromKey(key);
}

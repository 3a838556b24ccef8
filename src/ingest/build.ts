import type { Article, ArticleMeta, Field } from '../domain/article.js';
import { articleIdFromKey, sha256Hex } from '../domain/ids.js';
import { createError } from '../errors.js';
import { stripBoilerplate } from '../text/boilerplate.js';
import { detectLanguage, normaliseInline, normaliseText, splitSentences } from '../text/index.js';
import type { Draft } from './draft.js';
import { extractTextMeta, type TextMeta } from './metadata.js';
import { DEFAULT_OUTLETS, type OutletNames, originalUrl, outletOfUrl } from './outlets.js';
import { readHtml } from './html.js';
import { canonicalUrl, identityKey } from './identity.js';

export { canonicalUrl };

/** Bounds on one article, so a pathological input cannot stall the pipeline. */
export const MAX_ARTICLE_CHARS = 2_000_000;

/** A date in a URL path (`/2013/05/02/`, `/2013-07-21/`, `20130502`), the last resort for `published`. */
export function dateFromUrl(url: string | null): Field<string> | null {
  if (!url) return null;
  let path: string;
  try {
    // an archived page's own address holds the date, not the archive's
    path = new URL(originalUrl(url) ?? url).pathname;
  } catch {
    return null;
  }
  const m = /(?:^|[/_-])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(path);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  if (Number.isNaN(Date.parse(iso))) return null;
  return { value: iso, evidence: { source: 'url', detail: m[0].replace(/^[/_-]/, '') } };
}

/** Options of `buildArticle`. */
export interface BuildOptions {
  /** outlet display names by domain (the built-in table, extended by the user's file) */
  readonly outlets?: OutletNames;
}

/** The outlet a URL names (its original site's registered domain, named by the table), with the domain. */
function outletFromUrl(url: string | null, names: OutletNames): { outlet: Field<string>; domain: Field<string> } | null {
  if (!url) return null;
  const o = outletOfUrl(url, names);
  if (!o) return null;
  const via = o.original === url ? '' : ` of ${o.original}`;
  return {
    outlet: { value: o.name, evidence: { source: 'url', detail: o.name === o.domain ? `registered domain${via}` : `outlet table: ${o.domain}${via}` } },
    domain: { value: o.domain, evidence: { source: 'url', detail: `registered domain${via}` } },
  };
}

function cleanField(f: Field<string> | null): Field<string> | null {
  if (!f) return null;
  const value = normaliseInline(f.value);
  return value === '' ? null : { value, evidence: f.evidence };
}

/**
 * A draft's page extracted (when deferred) and its text normalised and checked: the first
 * step of building any article, lean or whole.
 */
export function readyText(pending: Draft): { draft: Draft; text: string; removed: string[] } {
  // a page read with deferHtml is extracted here (in a preparation worker, when there are any)
  const draft = pending.pendingHtml === undefined ? pending : readHtml(pending.pendingHtml, { source: pending.source, url: pending.url, fetchedAt: pending.fetchedAt });
  if (draft.text.length > MAX_ARTICLE_CHARS) {
    throw createError('TOO_LARGE', `ingest: article text in ${draft.source} is ${draft.text.length} characters, over the ${MAX_ARTICLE_CHARS} limit`, {
      subject: draft.source,
    });
  }
  const normalised = normaliseText(draft.text);
  // page boilerplate (copyright lines, hotlines, sign-up and verification notices) is not
  // what the article says: removed here, so that reprints, stories and comparisons skip it
  const { text, removed } = stripBoilerplate(normalised);
  if (text === '' || !/[\p{L}\p{N}]/u.test(text)) {
    const first = removed[0] ?? '';
    const shown = first.length > 80 ? `${first.slice(0, 80).replace(/\s+\S*$/, '')}...` : first;
    const only = removed.length > 0 ? ` (only page boilerplate, such as "${shown}")` : ' (empty after extraction)';
    throw createError('EMPTY_INPUT', `ingest: ${draft.source} has no article text${only}`, { subject: draft.source });
  }
  return { draft, text, removed };
}

/** The article's URL when it is one we can identify it by. */
export function usableUrl(draft: Pick<Draft, 'url'>): string | null {
  return draft.url && canonicalUrl(draft.url) ? draft.url : null;
}

/** Title, date and wire credits: the draft's own, else what the text says (the date last from the URL). */
export function titleDateCredits(
  draft: Pick<Draft, 'title' | 'published' | 'credits' | 'url'>,
  fromText: Pick<TextMeta, 'title' | 'published' | 'credits'>,
  moreCredits: readonly Field<string>[] = [],
): Pick<ArticleMeta, 'title' | 'published' | 'credits'> {
  const credits: Field<string>[] = [];
  const seen = new Set<string>();
  for (const c of [...draft.credits, ...fromText.credits, ...moreCredits]) {
    if (seen.has(c.value)) continue;
    seen.add(c.value);
    credits.push(c);
  }
  return { title: cleanField(draft.title) ?? fromText.title, published: draft.published ?? fromText.published ?? dateFromUrl(draft.url), credits };
}

/** The outlet the input itself names (identity: ingest/identity.ts). */
export function givenOutlet(draft: Pick<Draft, 'outlet'>): Field<string> | null {
  return cleanField(draft.outlet);
}

export function contentHashOf(title: string | null, text: string): string {
  return sha256Hex(`${title ?? ''}\n${text}`);
}

/**
 * Draft to Article: normalise, read metadata from the text, split sentences, detect the
 * language, and derive the content hash and id. Structural metadata (header, meta tags,
 * feed or JSON fields) wins over what the text suggests; text evidence fills the gaps.
 */
export function buildArticle(pending: Draft, options: BuildOptions = {}): Article {
  const { draft, text, removed } = readyText(pending);
  const fromText = extractTextMeta(text);
  // a copyright line is boilerplate but may name the wire ("(c) Reuters 2024") or the syndicator
  const fromRemoved = removed.length > 0 ? extractTextMeta(removed.join('\n')) : null;
  const offText = (f: Field<string>): Field<string> => ({ value: f.value, evidence: { source: 'text', detail: `boilerplate line: ${f.evidence.detail}` } });
  const { title, published, credits } = titleDateCredits(draft, fromText, fromRemoved?.credits.map(offText) ?? []);
  const hint = draft.languageHint?.toLowerCase().split(/[-_]/)[0] ?? null;
  const detected = detectLanguage(text);
  const language: Field<string> =
    detected === 'und' && hint
      ? { value: hint, evidence: { source: 'html', detail: `lang="${draft.languageHint}"` } }
      : { value: detected, evidence: { source: 'text', detail: 'character trigram model (franc-min)' } };

  const fromUrl = outletFromUrl(draft.url, options.outlets ?? DEFAULT_OUTLETS);
  const meta: ArticleMeta = {
    title,
    published,
    // page metadata first, then a syndication note opening the text, then the URL
    outlet: givenOutlet(draft) ?? fromText.outlet ?? fromUrl?.outlet ?? null,
    domain: fromUrl?.domain ?? null,
    syndicator: cleanField(draft.syndicator) ?? fromText.syndicator ?? (fromRemoved?.syndicator ? offText(fromRemoved.syndicator) : null),
    credits,
    dateline: fromText.dateline,
    byline: cleanField(draft.byline) ?? fromText.byline,
    language,
  };
  const url = usableUrl(draft);
  const contentHash = contentHashOf(title?.value ?? null, text);
  const externalId = draft.externalId;
  const source = draft.source;
  return {
    // the id its identity key gives; the engine renames it if another article holds that id
    id: articleIdFromKey(identityKey({ url, externalId, meta, source, contentHash })),
    version: 1,
    url,
    externalId: draft.externalId,
    title: title?.value ?? null,
    text,
    sentences: splitSentences(text),
    meta,
    fetchedAt: draft.fetchedAt,
    contentHash,
    source: draft.source,
  };
}

import type { Article, ArticleMeta, Field } from '../domain/article.js';
import { articleIdFromKey, sha256Hex } from '../domain/ids.js';
import { createError } from '../errors.js';
import { detectLanguage, normaliseInline, normaliseText, splitSentences } from '../text/index.js';
import type { Draft } from './draft.js';
import { extractTextMeta } from './metadata.js';
import { readHtml } from './html.js';

/** Bounds on one article, so a pathological input cannot stall the pipeline. */
export const MAX_ARTICLE_CHARS = 2_000_000;

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

/** A date in a URL path (`/2013/05/02/`, `/2013-07-21/`, `20130502`), the last resort for `published`. */
export function dateFromUrl(url: string | null): Field<string> | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = /(?:^|[/_-])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(path);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  if (Number.isNaN(Date.parse(iso))) return null;
  return { value: iso, evidence: { source: 'url', detail: m[0].replace(/^[/_-]/, '') } };
}

/** The site of a URL as a last-resort outlet name: `www.foxnews.com` -> `foxnews.com`. */
function outletFromUrl(url: string | null): Field<string> | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^(www\d?|edition|m|amp|mobile)\./, '');
    return host ? { value: host, evidence: { source: 'url', detail: 'host name' } } : null;
  } catch {
    return null;
  }
}

/**
 * Text with every lone surrogate replaced by U+FFFD. JSON's `\ud800` escapes and JavaScript
 * strings can hold them; stored, they are invalid UTF-8 that other SQLite clients cannot read.
 */
export function wellFormed(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed();
}

function wellFormedField(f: Field<string> | null): Field<string> | null {
  return f && { value: wellFormed(f.value), evidence: { source: f.evidence.source, detail: wellFormed(f.evidence.detail) } };
}

function wellFormedDraft(d: Draft): Draft {
  return {
    ...d,
    source: wellFormed(d.source),
    url: d.url === null ? null : wellFormed(d.url),
    externalId: d.externalId === null ? null : wellFormed(d.externalId),
    text: wellFormed(d.text),
    title: wellFormedField(d.title),
    published: wellFormedField(d.published),
    outlet: wellFormedField(d.outlet),
    syndicator: wellFormedField(d.syndicator),
    byline: wellFormedField(d.byline),
    credits: d.credits.map((c) => wellFormedField(c)!),
    languageHint: d.languageHint === null ? null : wellFormed(d.languageHint),
  };
}

/** A letter's writing system, coarsely: Han, kana and Hangul share one (CJK text mixes them). */
function scriptOf(ch: string): string {
  if (ch < '\u0080') return 'Latin';
  if (/\p{Script=Latin}/u.test(ch)) return 'Latin';
  if (/\p{Script=Cyrillic}/u.test(ch)) return 'Cyrillic';
  if (/\p{Script=Greek}/u.test(ch)) return 'Greek';
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]/u.test(ch)) return 'CJK';
  return 'other';
}

/**
 * Whether a text is prose rather than noise (a few random bytes that decoded to symbols and
 * stray letters): two words (runs of two or more letters), letters at least half of what is
 * not white space, few replacement characters, Latin letters mostly unaccented (random bytes
 * read as windows-1252 are mostly accented capitals; Vietnamese, the most accented language
 * written in Latin letters, stays under half), and few words that mix writing systems (bytes
 * read as Shift_JIS give "O｣7ｳﾝ", Latin and kana in one word). One pass, linear.
 */
function looksLikeText(text: string): boolean {
  let letters = 0;
  let visible = 0;
  let replaced = 0;
  let latin = 0;
  let accented = 0;
  let words = 0;
  let mixed = 0;
  let run = 0;
  let runScript = '';
  let runMixed = false;
  for (const ch of text) {
    const isLetter = ch < '\u0080' ? (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') : /\p{L}/u.test(ch);
    if (isLetter) {
      const script = scriptOf(ch);
      if (run === 0) {
        runScript = script;
        runMixed = false;
      } else if (script !== runScript && !runMixed) {
        runMixed = true;
        if (run >= 2) mixed++;
      }
      run++;
      if (run === 2) {
        words++;
        if (runMixed) mixed++;
      }
      letters++;
      if (script === 'Latin') {
        latin++;
        if (ch > '\u007f') accented++;
      }
    } else run = 0;
    if (ch === ' ' || ch === '\n' || ch === '\t') continue;
    visible++;
    if (ch === '\uFFFD') replaced++;
  }
  return words >= 2 && letters * 2 >= visible && replaced * 10 <= letters && (latin * 2 < letters || accented * 2 <= latin) && mixed * 4 <= words;
}

function cleanField(f: Field<string> | null): Field<string> | null {
  if (!f) return null;
  const value = normaliseInline(f.value);
  return value === '' ? null : { value, evidence: f.evidence };
}

/**
 * Draft to Article: normalise, read metadata from the text, split sentences, detect the
 * language, and derive the content hash and id. Structural metadata (header, meta tags,
 * feed or JSON fields) wins over what the text suggests; text evidence fills the gaps.
 */
export function buildArticle(pending: Draft): Article {
  // a page read with deferHtml is extracted here (in a preparation worker, when there are any)
  const draft = wellFormedDraft(pending.pendingHtml === undefined ? pending : readHtml(pending.pendingHtml, { source: pending.source, url: pending.url, fetchedAt: pending.fetchedAt }));
  if (draft.text.length > MAX_ARTICLE_CHARS) {
    throw createError('TOO_LARGE', `ingest: article text in ${draft.source} is ${draft.text.length} characters, over the ${MAX_ARTICLE_CHARS} limit`, {
      subject: draft.source,
    });
  }
  const text = normaliseText(draft.text);
  if (text === '' || !/[\p{L}\p{N}]/u.test(text)) {
    throw createError('EMPTY_INPUT', `ingest: ${draft.source} has no article text (empty after extraction)`, { subject: draft.source });
  }
  if (!looksLikeText(text)) {
    throw createError('NO_CONTENT', `ingest: ${draft.source} has no readable text: fewer letters than other characters, or no word (binary data or noise?)`, { subject: draft.source });
  }
  const fromText = extractTextMeta(text);
  const title = cleanField(draft.title) ?? fromText.title;
  const credits: Field<string>[] = [];
  const seen = new Set<string>();
  for (const c of [...draft.credits, ...fromText.credits]) {
    if (seen.has(c.value)) continue;
    seen.add(c.value);
    credits.push(c);
  }
  const hint = draft.languageHint?.toLowerCase().split(/[-_]/)[0] ?? null;
  const detected = detectLanguage(text);
  const language: Field<string> =
    detected === 'und' && hint
      ? { value: hint, evidence: { source: 'html', detail: `lang="${draft.languageHint}"` } }
      : { value: detected, evidence: { source: 'text', detail: 'character trigram model (franc-min)' } };

  const meta: ArticleMeta = {
    title,
    published: draft.published ?? fromText.published ?? dateFromUrl(draft.url),
    outlet: cleanField(draft.outlet) ?? fromText.outlet ?? outletFromUrl(draft.url),
    syndicator: cleanField(draft.syndicator) ?? fromText.syndicator,
    credits,
    dateline: fromText.dateline,
    byline: cleanField(draft.byline) ?? fromText.byline,
    language,
  };
  const url = draft.url && canonicalUrl(draft.url) ? draft.url : null;
  const contentHash = sha256Hex(`${title?.value ?? ''}\n${text}`);
  const identityKey = url ? `url:${canonicalUrl(url)}` : `content:${contentHash}`;
  return {
    id: articleIdFromKey(identityKey),
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

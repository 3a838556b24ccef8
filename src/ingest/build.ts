import type { Article, ArticleMeta, Field } from '../domain/article.js';
import { articleIdFromKey, sha256Hex } from '../domain/ids.js';
import { createError } from '../errors.js';
import { stripBoilerplate } from '../text/boilerplate.js';
import { detectLanguage, normaliseInline, normaliseText, splitSentences } from '../text/index.js';
import type { Draft } from './draft.js';
import { extractTextMeta, type TextMeta } from './metadata.js';
import { DEFAULT_OUTLETS, type OutletNames, originalUrl, outletOfUrl } from './outlets.js';
import { readHtml } from './html.js';
import { canonicalUrl, identityKey } from '../domain/identity.js';

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
  // every field listed (a literal of one shape, not a spread of the draft: one per input); a
  // draft here has no page left to extract (readyText extracted it)
  return {
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
    fetchedAt: d.fetchedAt,
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

// letter classes of looksLikeText: not a letter, or a letter of one of scriptOf's systems
const NOT_LETTER = 1;
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'CJK', 'other'];
const LATIN = 2;

function classOfChar(ch: string): number {
  return /\p{L}/u.test(ch) ? 2 + SCRIPTS.indexOf(scriptOf(ch)) : NOT_LETTER;
}

/** Classes of the BMP's code units, filled as they are met (0: not yet known). */
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) BMP_CLASS[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? LATIN : NOT_LETTER;
/** ASCII for looksLikeText's stretches: bit 0 a letter, bit 1 visible (not a space, tab or line feed). */
const ASCII_TEXT = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_TEXT[c] = (BMP_CLASS[c] === LATIN ? 1 : 0) | (c === 32 || c === 10 || c === 9 ? 0 : 2);

/**
 * Whether a text is prose rather than noise (a few random bytes that decoded to symbols and
 * stray letters): two words (runs of two or more letters), letters at least half of what is
 * not white space, few replacement characters, Latin letters mostly unaccented (random bytes
 * read as windows-1252 are mostly accented capitals; Vietnamese, the most accented language
 * written in Latin letters, stays under half), and few words that mix writing systems (bytes
 * read as Shift_JIS give "O｣7ｳﾝ", Latin and kana in one word). One pass over the code points,
 * linear; each code point's class is worked out once.
 */
export function looksLikeText(text: string): boolean {
  let letters = 0;
  let visible = 0;
  let replaced = 0;
  let latin = 0;
  let accented = 0;
  let words = 0;
  let mixed = 0;
  let run = 0;
  let runScript = 0;
  let runMixed = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    if (cp < 128 && run === 0) {
      // a stretch of ASCII, outside a run of other letters: no accents, no other script, so
      // only the counts change, and they are counted without a branch per character
      const before = letters;
      let r = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 128) break;
        const t = ASCII_TEXT[c]!;
        const letter = t & 1;
        letters += letter;
        visible += t >> 1;
        r = (r + 1) * letter;
        // a word when its run reaches two letters: 1 when r is 2, else 0
        words += ((r ^ 2) - 1) >>> 31;
      }
      latin += letters - before;
      run = r;
      if (r > 0) {
        runScript = LATIN;
        runMixed = false;
      }
      continue;
    }
    let cls: number;
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = text.codePointAt(i)!;
      width = 2;
      cls = classOfChar(String.fromCodePoint(cp));
    } else {
      cls = BMP_CLASS[cp]!;
      if (cls === 0) BMP_CLASS[cp] = cls = classOfChar(String.fromCharCode(cp));
    }
    i += width;
    if (cls !== NOT_LETTER) {
      if (run === 0) {
        runScript = cls;
        runMixed = false;
      } else if (cls !== runScript && !runMixed) {
        runMixed = true;
        if (run >= 2) mixed++;
      }
      run++;
      if (run === 2) {
        words++;
        if (runMixed) mixed++;
      }
      letters++;
      visible++;
      if (cls === LATIN) {
        latin++;
        if (cp > 0x7f) accented++;
      }
      continue;
    }
    run = 0;
    if (cp === 32 || cp === 10 || cp === 9) continue;
    visible++;
    if (cp === 0xfffd) replaced++;
  }
  return words >= 2 && letters * 2 >= visible && replaced * 10 <= letters && (latin * 2 < letters || accented * 2 <= latin) && mixed * 4 <= words;
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
  const draft = wellFormedDraft(pending.pendingHtml === undefined ? pending : readHtml(pending.pendingHtml, { source: pending.source, url: pending.url, fetchedAt: pending.fetchedAt }));
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
  if (!looksLikeText(text)) {
    throw createError('NO_CONTENT', `ingest: ${draft.source} has no readable text: fewer letters than other characters, or no word (binary data or noise?)`, { subject: draft.source });
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

/** A field read from a page boilerplate line removed from the text, so marked (its offset is not into the text). */
export function offText(f: Field<string>): Field<string> {
  return { value: f.value, evidence: { source: 'text', detail: `boilerplate line: ${f.evidence.detail}` } };
}

/** The outlet the input itself names (identity: domain/identity.ts). */
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

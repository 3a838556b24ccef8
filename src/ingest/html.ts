import type { Field } from '../domain/article.js';
import type { DomDocument, DomElement, JsdomModule, ReadabilityModule } from './dom.js';
import { createError, isParallaxError } from '../errors.js';
import { type Draft, emptyDraft, toIsoDate } from './draft.js';
import { lazyRequire } from '../util/lazy.js';

// loaded by the first HTML input (a quarter of a second), not by every command
const jsdom = lazyRequire<JsdomModule>('jsdom');
const readability = lazyRequire<ReadabilityModule>('@mozilla/readability');
import { markupDepthOver } from './markup-depth.js';

/**
 * HTML pages: metadata from meta tags, JSON-LD and <time>; main content by Mozilla's
 * Readability (the Firefox reader view) over jsdom, with scripts never run and no
 * resource loaded. Text keeps its paragraph structure: one block element, one paragraph.
 */
export interface HtmlOptions {
  readonly source: string;
  readonly url: string | null;
  readonly fetchedAt: string;
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td, dd, dt';
const DROP = 'script, style, noscript, template, iframe, svg, canvas, form, button, nav, aside, footer';

/**
 * Pages are parsed into documents of one shared window (DOMParser), not a window each:
 * setting up a jsdom window (every Web IDL interface installed on it) was half of the time
 * per page, more than parsing. DOMParser documents run no scripts and load nothing; the
 * window's console is silent (CSS parse noise is not ours to print). Only text and attributes
 * are read from them, so the page's own URL (which relative links would resolve against) is
 * not needed.
 */
let shared: InstanceType<JsdomModule['JSDOM']> | null = null;
function parseDocument(html: string): DomDocument {
  const { JSDOM, VirtualConsole } = jsdom();
  shared ??= new JSDOM('', { url: 'https://localhost.invalid/', virtualConsole: new VirtualConsole(), pretendToBeVisual: false });
  return new shared.window.DOMParser().parseFromString(html, 'text/html');
}

/** Plain text of an element, one paragraph per block element, blank line between. */
function blocksToText(root: DomElement): string {
  for (const el of root.querySelectorAll(DROP)) el.remove();
  const paragraphs: string[] = [];
  const blocks = root.querySelectorAll(BLOCKS);
  if (blocks.length === 0) return (root.textContent ?? '').trim();
  for (const b of blocks) {
    // a block inside another block (li > p) is taken with its parent
    if (b.parentElement?.closest(BLOCKS)) continue;
    const t = (b.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (t !== '') paragraphs.push(t);
  }
  return paragraphs.join('\n\n');
}

/**
 * Text of an HTML fragment (a feed item's content, a JSONL `html` field). `source` names it in
 * the error when it nests too deep to parse safely.
 */
export function htmlToText(fragment: string, source = 'html fragment'): string {
  if (!/[<&]/.test(fragment)) return fragment;
  refuseDeep(fragment, source);
  return blocksToText(parseDocument(`<!doctype html><body>${fragment}</body>`).body);
}

/**
 * Markup that nests past MAX_DEPTH is refused before it is parsed: the parser's time and the
 * stack of what walks its tree grow with depth (markup-depth.ts).
 */
function refuseDeep(html: string, source: string): void {
  if (markupDepthOver(html, MAX_DEPTH)) {
    throw createError('BROKEN_HTML', `ingest: ${source} nests elements more than ${MAX_DEPTH} levels deep; not read`, { subject: source });
  }
}

function metaContent(doc: DomDocument, selectors: string[]): Field<string> | null {
  for (const sel of selectors) {
    const el = doc.querySelector(sel);
    const v = el?.getAttribute('content')?.trim();
    if (v) return { value: v, evidence: { source: 'meta', detail: sel } };
  }
  return null;
}

interface LdArticle {
  headline?: string;
  datePublished?: string;
  publisher?: { name?: string } | string;
  author?: Array<{ name?: string } | string> | { name?: string } | string;
  sourceOrganization?: { name?: string } | string;
}

function jsonLd(doc: DomDocument): LdArticle | null {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // broken JSON-LD is common; the other sources still count
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...(item as unknown[]));
      else if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        if (Array.isArray(o['@graph'])) queue.push(...(o['@graph'] as unknown[]));
        const type = o['@type'];
        const types = Array.isArray(type) ? type : [type];
        if (types.some((t) => typeof t === 'string' && /(News|Reportage|Analysis|Opinion|Blog)?Article$|^NewsArticle$|Posting$/.test(t))) return o;
      }
    }
  }
  return null;
}

function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v))
    return (
      v
        .map(nameOf)
        .filter((x): x is string => x !== null)
        .join(', ') || null
    );
  if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') return (v as { name: string }).name.trim() || null;
  return null;
}

const MAX_DEPTH = 256;
/** Most child elements of one element handed to Readability (a long article has a few hundred paragraphs). */
const MAX_SIBLINGS = 600;

/** The largest number of child elements of any one element (iterative). */
function widest(root: DomElement): number {
  let most = 0;
  const stack: DomElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    most = Math.max(most, el.childElementCount);
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push(c);
  }
  return most;
}

/** Whether any element lies deeper than `max` below `root` (iterative: no recursion to overflow). */
function depthOver(root: DomElement, max: number): boolean {
  const stack: [DomElement, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [el, d] = stack.pop()!;
    if (d > max) return true;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push([c, d + 1]);
  }
  return false;
}

/**
 * The article of an HTML page. What jsdom or Readability throw on hostile markup is the
 * page's fault, not a bug: it is reported as BROKEN_HTML, whichever path read the page.
 */
export function readHtml(html: string, opts: HtmlOptions): Draft {
  try {
    return extractPage(html, opts);
  } catch (e) {
    if (isParallaxError(e)) throw e;
    throw createError('BROKEN_HTML', `ingest: cannot extract ${opts.source}: ${e instanceof Error ? e.message : String(e)}`, { subject: opts.source, cause: e });
  }
}

function extractPage(html: string, opts: HtmlOptions): Draft {
  if (!/<[a-z!?/][^>]*>/i.test(html.slice(0, 65536))) {
    throw createError('BROKEN_HTML', `ingest: ${opts.source} does not look like HTML (no tags in the first 64 KiB)`, { subject: opts.source });
  }
  // Readability's work grows with the cube of the nesting depth (1,000 levels: half a minute),
  // and jsdom's parse with its square; news pages nest a few dozen levels, so a page nested
  // past MAX_DEPTH is refused before it is parsed, and checked again on the tree
  refuseDeep(html, opts.source);
  const doc = parseDocument(html);
  if (depthOver(doc.documentElement, MAX_DEPTH)) {
    throw createError('BROKEN_HTML', `ingest: ${opts.source} nests elements more than ${MAX_DEPTH} levels deep; not read`, { subject: opts.source });
  }
  const ld = jsonLd(doc);
  const ldField = (value: string | null | undefined, key: string): Field<string> | null => (value ? { value, evidence: { source: 'json-ld', detail: key } } : null);

  const siteName = metaContent(doc, ['meta[property="og:site_name"]', 'meta[name="application-name"]', 'meta[name="publisher"]']) ?? ldField(nameOf(ld?.publisher), 'publisher.name');
  let title =
    ldField(ld?.headline, 'headline') ??
    metaContent(doc, ['meta[property="og:title"]', 'meta[name="twitter:title"]', 'meta[name="title"]']) ??
    (doc.querySelector('h1')?.textContent?.trim() ? { value: doc.querySelector('h1')!.textContent.trim(), evidence: { source: 'html', detail: 'h1' } } : null) ??
    (doc.title.trim() ? { value: doc.title.trim(), evidence: { source: 'html', detail: 'title' } } : null);
  if (title && siteName) {
    // "Headline | Outlet" titles: drop the outlet suffix
    const suffix = new RegExp(`\\s*[|\\-–—:·]\\s*${siteName.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'i');
    const stripped = title.value.replace(suffix, '');
    if (stripped !== '' && stripped !== title.value) title = { value: stripped, evidence: title.evidence };
  }

  let published: Field<string> | null = null;
  const dateCandidates: Array<Field<string> | null> = [
    ldField(ld?.datePublished, 'datePublished'),
    metaContent(doc, [
      'meta[property="article:published_time"]',
      'meta[name="article:published_time"]',
      'meta[itemprop="datePublished"]',
      'meta[name="pubdate"]',
      'meta[name="publishdate"]',
      'meta[name="date"]',
      'meta[name="DC.date.issued"]',
      'meta[name="dc.date"]',
      'meta[name="parsely-pub-date"]',
      'meta[name="sailthru.date"]',
      'meta[property="og:published_time"]',
    ]),
  ];
  const time = doc.querySelector('article time[datetime], time[pubdate][datetime], time[datetime]');
  if (time) dateCandidates.push({ value: time.getAttribute('datetime')!, evidence: { source: 'time', detail: `time[datetime="${time.getAttribute('datetime')}"]` } });
  for (const c of dateCandidates) {
    const iso = c ? toIsoDate(c.value) : null;
    if (c && iso) {
      published = { value: iso, evidence: c.evidence };
      break;
    }
  }

  const byline =
    ldField(nameOf(ld?.author), 'author.name') ??
    metaContent(doc, ['meta[name="author"]', 'meta[property="article:author"]', 'meta[name="byl"]']) ??
    (doc.querySelector('[rel="author"]')?.textContent?.trim() ? { value: doc.querySelector('[rel="author"]')!.textContent.trim(), evidence: { source: 'html', detail: 'a[rel=author]' } } : null);
  const credits: Field<string>[] = [];
  const org = nameOf(ld?.sourceOrganization);
  if (org) credits.push({ value: org, evidence: { source: 'json-ld', detail: 'sourceOrganization' } });
  const lang = doc.documentElement.getAttribute('lang');

  // comments sections are not the article
  for (const el of doc.querySelectorAll('#comments, .comments, [class*="comment-list"], [id*="disqus"], [class*="share"], [class*="related"], [class*="newsletter"], [aria-hidden="true"]'))
    el.remove();
  const { Readability } = readability();
  // Readability's time grows with the square of the children of one element (2,000 links or
  // list items side by side in the body: over 10 s); such a page is read by the paragraph
  // fallback below instead
  const parsed =
    widest(doc.documentElement) > MAX_SIBLINGS
      ? null
      : new Readability(doc.cloneNode(true) as DomDocument, { charThreshold: 200, nbTopCandidates: 5, maxElemsToParse: 200_000, keepClasses: false }).parse();
  let text = '';
  if (parsed?.content) {
    text = blocksToText(parseDocument(`<!doctype html><body>${parsed.content}</body>`).body);
  }
  if (text.trim().length < 80) {
    // short pages Readability rejects: take the body's paragraphs
    const body = doc.body;
    if (body) {
      for (const el of body.querySelectorAll('header, nav, footer, aside, [class*="ad"], [id*="ad-"]')) el.remove();
      const paras = [...body.querySelectorAll('p')].map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);
      if (paras.join(' ').length > text.trim().length) text = paras.join('\n\n');
    }
  }
  if (text.trim() === '') {
    throw createError('NO_CONTENT', `ingest: no article text found in ${opts.source} (the page has no paragraphs of text)`, { subject: opts.source });
  }
  // the headline often opens the extracted text; the title field already holds it
  if (title && text.startsWith(title.value)) text = text.slice(title.value.length).replace(/^\s+/, '');
  return {
    ...emptyDraft(opts.source, text, opts.fetchedAt),
    url: opts.url ?? metaContent(doc, ['meta[property="og:url"]'])?.value ?? doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null,
    title,
    published,
    outlet: siteName,
    byline,
    credits,
    languageHint: lang,
  };
}

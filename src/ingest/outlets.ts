import type * as TldtsModule from 'tldts';
import type * as Zod from 'zod';
import { createError } from '../errors.js';
import { lazyRequire } from '../util/lazy.js';

// the public suffix list is a tenth of a second to load: only a URL needs it
const tldts = lazyRequire<typeof TldtsModule>('tldts');

/**
 * Outlets: who published an article, as a display name with the web domains it publishes
 * under. The name comes from evidence in order of trust: the page's own metadata (header
 * line, meta tags, JSON-LD, feed or JSONL field), else the registered domain of the
 * article's original URL, named through a table of known outlets (built in, extendable by
 * the user), else the domain itself. Never from a mention in the body: a text that talks
 * about the Gulf Times is not published by it.
 *
 * Archives and proxies (the Wayback Machine, archive.today, AMP caches, Google's redirect
 * links) are not outlets: their URLs are unwrapped to the page they hold first.
 */
export interface OutletEntry {
  readonly name: string;
  /** registered domains (`latimes.com`) or host names (`losangeles.cbslocal.com`, one station of a network) */
  readonly domains: readonly string[];
}

/**
 * Well-known outlets whose domain is not their name. Small on purpose: an unknown domain is
 * shown as the domain, which is honest; users add their own outlets in a file (PARALLAX_OUTLETS).
 */
export const BUILT_IN_OUTLETS: readonly OutletEntry[] = [
  { name: 'Reuters', domains: ['reuters.com'] },
  { name: 'Associated Press', domains: ['apnews.com', 'ap.org'] },
  { name: 'AFP', domains: ['afp.com'] },
  { name: 'BBC News', domains: ['bbc.co.uk', 'bbc.com'] },
  { name: 'CNN', domains: ['cnn.com'] },
  { name: 'Fox News', domains: ['foxnews.com'] },
  { name: 'NBC News', domains: ['nbcnews.com', 'msnbc.com'] },
  { name: 'CBS News', domains: ['cbsnews.com'] },
  { name: 'ABC News', domains: ['abcnews.go.com', 'abcnews.com'] },
  { name: 'NPR', domains: ['npr.org'] },
  { name: 'The New York Times', domains: ['nytimes.com'] },
  { name: 'The Washington Post', domains: ['washingtonpost.com'] },
  { name: 'The Wall Street Journal', domains: ['wsj.com'] },
  { name: 'Los Angeles Times', domains: ['latimes.com'] },
  { name: 'Chicago Tribune', domains: ['chicagotribune.com'] },
  { name: 'USA Today', domains: ['usatoday.com'] },
  { name: 'New York Daily News', domains: ['nydailynews.com'] },
  { name: 'New York Post', domains: ['nypost.com'] },
  { name: 'The Huffington Post', domains: ['huffingtonpost.com', 'huffpost.com'] },
  { name: 'Yahoo News', domains: ['news.yahoo.com'] },
  { name: 'Bloomberg', domains: ['bloomberg.com'] },
  { name: 'The Guardian', domains: ['theguardian.com', 'guardian.co.uk'] },
  { name: 'The Independent', domains: ['independent.co.uk'] },
  { name: 'The Telegraph', domains: ['telegraph.co.uk'] },
  { name: 'Daily Mail', domains: ['dailymail.co.uk'] },
  { name: 'Sky News', domains: ['news.sky.com'] },
  { name: 'Al Jazeera', domains: ['aljazeera.com', 'aljazeera.net'] },
  { name: 'Gulf Times', domains: ['gulf-times.com'] },
  { name: 'MENAFN', domains: ['menafn.com'] },
  { name: 'The Times of India', domains: ['timesofindia.indiatimes.com'] },
  { name: 'Deutsche Welle', domains: ['dw.com'] },
  { name: 'France 24', domains: ['france24.com'] },
  { name: 'Le Monde', domains: ['lemonde.fr'] },
  { name: 'Der Spiegel', domains: ['spiegel.de'] },
  { name: 'ABC (Australia)', domains: ['abc.net.au'] },
  { name: 'CBC News', domains: ['cbc.ca'] },
  { name: 'The Hill', domains: ['thehill.com'] },
  { name: 'Politico', domains: ['politico.com'] },
  { name: 'TMZ', domains: ['tmz.com'] },
  { name: 'People', domains: ['people.com'] },
  { name: 'E! News', domains: ['eonline.com'] },
];

const HOST_PREFIX = /^(?:www\d?|m|amp|mobile)\./;

/** Looks outlets up by host: the most specific entry wins (a station before its network). */
export class OutletNames {
  private readonly byDomain = new Map<string, string>();

  constructor(entries: readonly OutletEntry[] = BUILT_IN_OUTLETS, extra: readonly OutletEntry[] = []) {
    // later entries win: the user's file overrides the built-in table
    for (const e of [...entries, ...extra]) for (const d of e.domains) this.byDomain.set(d.toLowerCase().replace(HOST_PREFIX, ''), e.name);
  }

  /** The display name for a host name, or null when neither the host nor a parent domain is known. */
  nameOf(host: string): string | null {
    let h = host.toLowerCase().replace(HOST_PREFIX, '');
    for (;;) {
      const name = this.byDomain.get(h);
      if (name !== undefined) return name;
      const dot = h.indexOf('.');
      if (dot < 0 || h.indexOf('.', dot + 1) < 0) return null;
      h = h.slice(dot + 1);
    }
  }
}

export const DEFAULT_OUTLETS = new OutletNames();

// zod is loaded when an outlet file is read, not with this module: every preparation worker
// loads this module, and zod took a tenth of a second or more of each one's start
const zod = lazyRequire<typeof Zod>('zod');
let fileSchema: ReturnType<typeof makeFileSchema> | null = null;
function makeFileSchema() {
  const { z } = zod();
  const entrySchema = z.object({
    name: z.string().trim().min(1).max(200),
    domains: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i, 'expected a domain such as example.com'),
      )
      .min(1),
  });
  return z.object({ outlets: z.array(entrySchema) });
}

/**
 * Parses an outlet file: `{"outlets": [{"name": "KCTV 5", "domains": ["kctv5.com"]}]}`.
 * `where` names the file in errors.
 */
export function parseOutletFile(json: string, where: string): OutletEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw createError('BAD_CONFIG', `config: ${where} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { subject: where });
  }
  fileSchema ??= makeFileSchema();
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(top level)';
    throw createError('BAD_CONFIG', `config: ${where}: field ${field}: ${issue.message}; expected {"outlets": [{"name": "...", "domains": ["example.com"]}]}`, {
      subject: where,
    });
  }
  return parsed.data.outlets;
}

const WAYBACK = /^(?:web\.|wayback\.)?archive\.org$/;
const ARCHIVE_TODAY = /^archive\.(?:today|ph|is|li|vn|fo|md)$/;
const AMP_CACHE = /\.cdn\.ampproject\.org$|^cdn\.ampproject\.org$|\.amp\.cloudflare\.com$/;
const REDIRECT_PARAM: ReadonlyArray<[RegExp, RegExp, readonly string[]]> = [
  // host, path, query keys holding the target
  [/^(?:www\.)?google\.[a-z.]+$/, /^\/url$/, ['url', 'q']],
  [/^news\.google\.com$/, /^\/(?:news\/)?url$/, ['url', 'q']],
  [/^l\.facebook\.com$|^lm\.facebook\.com$/, /^\/l\.php$/, ['u']],
  [/^(?:www\.)?bing\.com$/, /^\/news\/apiclick\.aspx$/, ['url']],
  [/^out\.reddit\.com$/, /./, ['url']],
  [/^(?:www\.)?linkedin\.com$/, /^\/redir\/redirect$/, ['url']],
  [/^slack-redir\.net$/, /^\/link$/, ['url']],
];

function parse(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/** The URL inside a path such as `/web/20170313014437/https://example.com/a`, scheme optional. */
function embedded(rest: string, search: string): string | null {
  const m = /^(?:https?:\/\/?|(?=[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/]|$)))/i.exec(rest);
  if (!m) return null;
  // "http:/example.com" (a slash lost on the way) and a bare host both become a full URL
  const target = /^https?:\/\//i.test(rest) ? rest : /^https?:\//i.test(rest) ? rest.replace(/^(https?:)\//i, '$1//') : `http://${rest}`;
  return parse(target + search) ? target + search : null;
}

/** A Google News article link (`/articles/CBMi...`): the old form carries the target URL in base64. */
function googleNewsTarget(path: string): string | null {
  const m = /^\/(?:rss\/)?articles\/([A-Za-z0-9_-]+)/.exec(path);
  if (!m) return null;
  const bytes = Buffer.from(m[1]!.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  const u = /https?:\/\/[\x21-\x7e]+/.exec(bytes);
  return u && parse(u[0]) ? u[0] : null;
}

function unwrapOnce(u: URL): string | null {
  const host = u.hostname.toLowerCase();
  if (WAYBACK.test(host)) {
    // /web/20170313014437/https://..., also with a mode suffix (20170313014437id_) or a wildcard
    const m = /^\/web\/[0-9]{1,14}\*?(?:[a-z]{2}_)?\/(.+)$/i.exec(u.pathname);
    return m ? embedded(m[1]!, u.search) : null;
  }
  if (ARCHIVE_TODAY.test(host)) {
    // /2013.01.01-123456/https://..., /newest/https://..., /o/AbCd/https://...; short ids (/AbCd1) hold no URL
    const m = /^\/(?:o\/[A-Za-z0-9]+\/|\d{4}[.\d-]*\/|newest\/|oldest\/|timegate\/)?(https?:\/\/?.+)$/i.exec(u.pathname);
    return m ? embedded(m[1]!, u.search) : null;
  }
  if (AMP_CACHE.test(host)) {
    // /c/s/example.com/path (c: content, v: viewer, s: the page is https)
    const m = /^\/[cvi]\/(s\/)?(.+)$/.exec(u.pathname);
    if (!m) return null;
    return `${m[1] ? 'https' : 'http'}://${m[2]!}${u.search}`;
  }
  if (/^(?:www\.)?google\.[a-z.]+$/.test(host) && u.pathname.startsWith('/amp/')) {
    const m = /^\/amp\/(s\/)?(.+)$/.exec(u.pathname);
    return m ? `${m[1] ? 'https' : 'http'}://${m[2]!}${u.search}` : null;
  }
  if (host === 'news.google.com') {
    const t = googleNewsTarget(u.pathname);
    if (t) return t;
  }
  for (const [h, p, keys] of REDIRECT_PARAM) {
    if (!h.test(host) || !p.test(u.pathname)) continue;
    for (const k of keys) {
      const v = u.searchParams.get(k);
      if (v && parse(v)) return v;
    }
  }
  return null;
}

/** Whether a host is an archive, a proxy or a redirector rather than a publisher. */
export function isIntermediary(host: string): boolean {
  const h = host.toLowerCase();
  return WAYBACK.test(h) || ARCHIVE_TODAY.test(h) || AMP_CACHE.test(h) || h === 'news.google.com' || /^(?:www\.)?google\.[a-z.]+$/.test(h) || /^(?:l|lm)\.facebook\.com$/.test(h);
}

/**
 * The page an archive, proxy or redirect URL stands for (nested wrappers too: an AMP page
 * in the Wayback Machine); any other URL as it is. Null for what is not an http(s) URL.
 */
export function originalUrl(url: string): string | null {
  let u = parse(url);
  if (!u) return null;
  let current = u.href;
  for (let i = 0; i < 4; i++) {
    const next = unwrapOnce(u);
    if (next === null) break;
    const nu = parse(next);
    if (!nu) break;
    u = nu;
    current = nu.href;
  }
  return current;
}

/** The registered domain of a URL's host (`latimesblogs.latimes.com` -> `latimes.com`), or the host for IPs and unknown suffixes. */
export function registeredDomain(url: string): string | null {
  const host = tldts().getHostname(url);
  if (!host) return null;
  return tldts().getDomain(url) ?? host.toLowerCase();
}

/**
 * The outlet named by a URL: the original page's host looked up in the table, else its
 * registered domain. Null for archive pages whose original cannot be recovered (a short
 * archive.today id): the archive is not the outlet.
 */
export function outletOfUrl(url: string, names: OutletNames = DEFAULT_OUTLETS): { name: string; domain: string; original: string } | null {
  const original = originalUrl(url);
  if (!original) return null;
  const host = tldts().getHostname(original);
  if (!host || isIntermediary(host)) return null;
  const domain = registeredDomain(original);
  if (!domain) return null;
  return { name: names.nameOf(host) ?? domain, domain, original };
}

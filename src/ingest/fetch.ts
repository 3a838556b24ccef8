import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type ipaddrModule from 'ipaddr.js';
import type * as UndiciModule from 'undici';
import { createError } from '../errors.js';
import { lazyRequire } from '../util/lazy.js';

// loaded by the first URL, not by every command (undici alone is a tenth of a second)
const ipaddrLib = lazyRequire<typeof ipaddrModule>('ipaddr.js');

/**
 * Fetching untrusted URLs. Only http(s); by default only public unicast addresses: the
 * check runs on the address the socket actually connects to (inside DNS lookup), so a
 * name that resolves to a private address, or changes its answer between check and
 * connect, cannot get through. Redirects are followed by hand, each hop checked again.
 * Size, time and redirect count are capped.
 */
export interface FetchOptions {
  readonly allowPrivate: boolean;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  /** Host names or literal addresses fetched even when private (an intranet news server). */
  readonly allowedHosts: readonly string[];
  /** Extra request headers (a feed poller's If-None-Match and If-Modified-Since). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Return a final answer that is not 2xx (304, 429, 500, ...) with an empty body instead of
   * throwing FETCH_FAILED: a poller reads its status and headers (Retry-After).
   */
  readonly returnErrors: boolean;
  /**
   * Called before each request, the first and every redirect hop, with its URL; what it returns
   * is called once that request is answered. A poller's per-host politeness gate: a feed that
   * redirects to another host waits its turn at that host too.
   */
  readonly acquire?: (url: string) => Promise<() => void>;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = {
  allowPrivate: false,
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 20_000,
  maxRedirects: 5,
  userAgent: 'Parallax/0.1 (+https://github.com/parallax-news/parallax; news story engine)',
  allowedHosts: [],
  headers: {},
  returnErrors: false,
};

export interface Fetched {
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly bytes: Uint8Array;
  readonly fetchedAt: string;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/** Global unicast IPv6: the only block public hosts are numbered from. */
let globalBlock: [ipaddrModule.IPv6, number] | undefined;
const ipv6Global = (): [ipaddrModule.IPv6, number] => (globalBlock ??= ipaddrLib().parseCIDR('2000::/3') as [ipaddrModule.IPv6, number]);

/**
 * True when an address is public unicast (the only kind fetched by default). An IPv6 address
 * must also lie in 2000::/3: the other forms embed or stand for local addresses in ways a
 * list of special ranges misses (`::127.0.0.1`, the deprecated IPv4-compatible form, is
 * loopback to some stacks).
 */
export function isPublicAddress(ip: string): boolean {
  const ipaddr = ipaddrLib();
  if (!ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddrModule.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddrModule.IPv6).toIPv4Address();
  if (addr.kind() === 'ipv6' && !(addr as ipaddrModule.IPv6).match(ipv6Global())) return false;
  return addr.range() === 'unicast';
}

class RefusedAddress extends Error {
  constructor(readonly address: string) {
    super(`address ${address} is not public`);
  }
}

function guardedLookup(opts: FetchOptions) {
  const allowPrivate = opts.allowPrivate;
  return (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    const allowed = allowPrivate || opts.allowedHosts.includes(hostname.toLowerCase());
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const bad = allowed ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new RefusedAddress(bad.address), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

function checkUrl(raw: string, opts: FetchOptions): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw createError('URL_REFUSED', `fetch: "${raw}" is not a valid URL`, { subject: raw });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw createError('URL_REFUSED', `fetch: ${raw}: only http and https URLs are fetched, not ${u.protocol}`, { subject: raw });
  }
  if (u.username || u.password) throw createError('URL_REFUSED', `fetch: ${raw}: URLs with credentials are refused`, { subject: raw });
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivate && !opts.allowedHosts.includes(host.toLowerCase())) {
    if (isIP(host) && !isPublicAddress(host)) {
      throw createError('URL_REFUSED', `fetch: ${raw}: ${host} is a loopback, private or link-local address; refused (use --allow-private to permit)`, { subject: raw });
    }
    if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host)) {
      throw createError('URL_REFUSED', `fetch: ${raw}: ${host} is a local name; refused (use --allow-private to permit)`, { subject: raw });
    }
  }
  return u;
}

export async function fetchUrl(url: string, options: Partial<FetchOptions> = {}): Promise<Fetched> {
  const opts: FetchOptions = { ...DEFAULT_FETCH_OPTIONS, ...options };
  const { Agent, fetch } = await import('undici');
  const agent = new Agent({ connect: { lookup: guardedLookup(opts), timeout: opts.timeoutMs }, maxRedirections: 0 } as UndiciModule.Agent.Options);
  let current = checkUrl(url, opts);
  // the time limit covers the requests, not the waits for a turn at a host between them
  let left = opts.timeoutMs;
  try {
    for (let hop = 0; ; hop++) {
      const release = opts.acquire ? await opts.acquire(current.href) : undefined;
      const t0 = performance.now();
      try {
        const answer = await request(current, hop, AbortSignal.timeout(Math.max(1, Math.round(left))));
        if (answer !== null) return answer;
      } finally {
        left -= performance.now() - t0;
        release?.();
      }
    }
  } finally {
    await agent.close().catch(() => undefined);
  }

  /** One request: the answer, or null after a redirect (`current` then names the next hop). */
  async function request(at: URL, hop: number, signal: AbortSignal): Promise<Fetched | null> {
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(at, {
        dispatcher: agent,
        redirect: 'manual',
        signal,
        headers: {
          'user-agent': opts.userAgent,
          accept: 'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5',
          ...opts.headers,
        },
      });
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof RefusedAddress) {
        throw createError('URL_REFUSED', `fetch: ${at.href}: resolves to ${cause.address}, a loopback, private or link-local address; refused (use --allow-private to permit)`, {
          subject: url,
        });
      }
      if (signal.aborted) throw createError('FETCH_FAILED', `fetch: ${at.href}: no answer within ${opts.timeoutMs} ms`, { subject: url });
      throw createError('FETCH_FAILED', `fetch: ${at.href}: ${(cause as Error | undefined)?.message ?? (e as Error).message}`, { subject: url });
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      if (hop >= opts.maxRedirects) throw createError('FETCH_FAILED', `fetch: ${url}: more than ${opts.maxRedirects} redirects`, { subject: url });
      current = checkUrl(new URL(res.headers.get('location')!, at).href, opts);
      return null;
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      if (opts.returnErrors)
        return {
          url: at.href,
          status: res.status,
          contentType: res.headers.get('content-type'),
          bytes: new Uint8Array(0),
          fetchedAt: new Date().toISOString(),
          headers: headersOf(res.headers),
        };
      throw createError('FETCH_FAILED', `fetch: ${at.href}: HTTP ${res.status}`, { subject: url });
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      await res.body?.cancel();
      throw createError('TOO_LARGE', `fetch: ${at.href}: ${declared} bytes, over the ${opts.maxBytes}-byte limit`, { subject: url });
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const body: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = res.body ?? [];
    try {
      for await (const chunk of body) {
        total += chunk.byteLength;
        if (total > opts.maxBytes) {
          throw createError('TOO_LARGE', `fetch: ${at.href}: body over the ${opts.maxBytes}-byte limit`, { subject: url });
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'TOO_LARGE') throw e;
      throw createError('FETCH_FAILED', `fetch: ${at.href}: ${signal.aborted ? `no complete answer within ${opts.timeoutMs} ms` : (e as Error).message}`, { subject: url });
    }
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.byteLength;
    }
    return { url: at.href, status: res.status, contentType: res.headers.get('content-type'), bytes, fetchedAt: new Date().toISOString(), headers: headersOf(res.headers) };
  }
}

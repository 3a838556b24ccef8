import { createError, describeError, isParallaxError } from '../errors.js';
import { decodeBytes } from '../ingest/decode.js';
import { type FetchOptions, fetchUrl } from '../ingest/fetch.js';
import { discoverFeeds, documentKind, parseFeedDocument } from './parse.js';
import { FEED_ACCEPT, parseFetchedFeed } from './poller.js';
import type { SourceRepository } from '../store/sources.js';
import { DEFAULT_INTERVAL_SECONDS } from './schedule.js';
import type { FeedFormat, FollowMode, Source, SourceKind } from './types.js';

export interface ResolvedSource {
  readonly url: string;
  readonly siteUrl: string | null;
  readonly kind: SourceKind;
  readonly format: FeedFormat;
  readonly title: string | null;
}

type Limits = Partial<Pick<FetchOptions, 'maxBytes' | 'timeoutMs' | 'maxRedirects' | 'userAgent'>>;

/**
 * What a URL the user gave is: a feed (read to learn its format and title), or a page whose
 * `<link rel="alternate">` names one (the first readable one is taken).
 */
export async function resolveSource(url: string, allowPrivate: boolean, limits: Limits = {}): Promise<ResolvedSource> {
  const first = await fetchUrl(url, { ...limits, allowPrivate, headers: { accept: `${FEED_ACCEPT}, text/html;q=0.5` } });
  const { text } = decodeBytes(first.bytes, url, first.contentType);
  if (documentKind(text, first.contentType) !== 'html') {
    const feed = parseFeedDocument(text, url, first.contentType);
    return { url, siteUrl: null, kind: 'feed', format: feed.format, title: feed.title };
  }
  const candidates = discoverFeeds(text, first.url);
  if (candidates.length === 0) {
    throw createError('MALFORMED_FEED', `sources: ${url} is an HTML page that names no feed (no <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">); add the feed's URL instead`, {
      subject: url,
    });
  }
  const errors: string[] = [];
  for (const candidate of candidates) {
    try {
      const feed = parseFetchedFeed(await fetchUrl(candidate, { ...limits, allowPrivate, headers: { accept: FEED_ACCEPT } }), candidate);
      return { url: candidate, siteUrl: url, kind: 'site', format: feed.format, title: feed.title };
    } catch (e) {
      if (!isParallaxError(e)) throw e;
      errors.push(e.message);
    }
  }
  throw createError('MALFORMED_FEED', `sources: ${url} names ${candidates.length} feed(s), none readable: ${errors.join('; ')}`, { subject: url });
}

export interface AddOptions {
  readonly intervalSeconds?: number;
  readonly allowPrivate?: boolean;
  readonly follow?: FollowMode;
  readonly now?: Date;
  readonly limits?: Limits;
}

export type AddResult =
  { readonly url: string; readonly ok: true; readonly created: boolean; readonly source: Source } | { readonly url: string; readonly ok: false; readonly code: string; readonly error: string };

/** Reads each URL and stores it as a source; one bad URL does not stop the others. */
export async function addSources(repo: SourceRepository, urls: readonly string[], options: AddOptions = {}): Promise<AddResult[]> {
  const out: AddResult[] = [];
  for (const url of urls) {
    try {
      const known = await repo.find(url);
      if (known) {
        out.push({ url, ok: true, created: false, source: known });
        continue;
      }
      const r = await resolveSource(url, options.allowPrivate ?? false, options.limits);
      const { source, created } = await repo.add({
        ...r,
        intervalSeconds: options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
        allowPrivate: options.allowPrivate ?? false,
        follow: options.follow ?? 'auto',
        addedAt: (options.now ?? new Date()).toISOString(),
      });
      out.push({ url, ok: true, created, source });
    } catch (e) {
      if (isParallaxError(e) && e.kind === 'store') throw e;
      out.push({ url, ok: false, code: isParallaxError(e) ? e.code : 'INTERNAL', error: describeError(e) });
    }
  }
  return out;
}

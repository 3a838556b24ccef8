import type { Source } from './types.js';

/** A source as `sources list --json` and the API show it. */
export function sourceJson(s: Source) {
  return {
    id: s.id,
    url: s.url,
    siteUrl: s.siteUrl,
    title: s.title,
    kind: s.kind,
    format: s.format,
    interval: s.intervalSeconds,
    follow: s.follow,
    allowPrivate: s.allowPrivate,
    addedAt: s.addedAt,
    lastFetchAt: s.lastFetchAt,
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    consecutiveFailures: s.consecutiveFailures,
    articles: s.articles,
    nextDueAt: s.nextDueAt,
  };
}

import type { Field } from '../domain/article.js';
import { type Draft, emptyDraft } from '../ingest/draft.js';
import type { FeedEntry, ParsedFeed } from './parse.js';
import type { FollowMode } from './types.js';

/**
 * Feed items to drafts (no I/O). The feed's title, date and outlet are what the publisher
 * said about the item: they are kept, with the feed as evidence, over what the linked page's
 * markup suggests; the page gives the text and fills what the feed left out.
 */

/** Whether an item's link is fetched for the full article. */
export function shouldFollow(entry: FeedEntry, mode: FollowMode): boolean {
  if (!entry.link || mode === 'never') return false;
  return mode === 'always' || entry.summaryOnly;
}

function feedFields(entry: FeedEntry, feed: ParsedFeed): Pick<Draft, 'title' | 'published' | 'outlet' | 'byline'> {
  return {
    title: entry.title ? { value: entry.title, evidence: { source: 'feed', detail: 'item title' } } : null,
    published: entry.published ? { value: entry.published, evidence: { source: 'feed', detail: `item ${entry.publishedField ?? 'published'}` } } : null,
    outlet: feed.title ? { value: feed.title, evidence: { source: 'feed', detail: 'channel title' } } : null,
    byline: entry.byline ? { value: entry.byline, evidence: { source: 'feed', detail: 'item author' } } : null,
  };
}

/** The item as its feed gives it (its content, or its summary when the page was not read). */
export function draftFromEntry(entry: FeedEntry, feed: ParsedFeed, source: string, fetchedAt: string): Draft {
  return {
    ...emptyDraft(source, entry.text, fetchedAt),
    url: entry.link,
    externalId: entry.guid,
    ...feedFields(entry, feed),
    languageHint: feed.language,
  };
}

const pick = (fromFeed: Field<string> | null, fromPage: Field<string> | null): Field<string> | null => fromFeed ?? fromPage;

/** The linked page's article, with the feed's metadata kept first. */
export function draftFromPage(page: Draft, entry: FeedEntry, feed: ParsedFeed, source: string): Draft {
  const f = feedFields(entry, feed);
  return {
    ...page,
    source,
    url: entry.link ?? page.url,
    externalId: entry.guid,
    title: pick(f.title, page.title),
    published: pick(f.published, page.published),
    outlet: pick(f.outlet, page.outlet),
    byline: pick(f.byline, page.byline),
    languageHint: page.languageHint ?? feed.language,
  };
}

import type * as FeedParserModule from '@rowanmanning/feed-parser';
import type * as XmlParserModule from 'fast-xml-parser';
import { createError, type ErrorCode, isParallaxError } from '../errors.js';
import { type Draft, emptyDraft, toIsoDate } from './draft.js';
import { htmlToText } from './html.js';
import { lazyRequire } from '../util/lazy.js';

// loaded by the first feed, not by every command
const feedParser = lazyRequire<typeof FeedParserModule>('@rowanmanning/feed-parser');
const xmlParser = lazyRequire<typeof XmlParserModule>('fast-xml-parser');

/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom. Well-formedness is checked first (fast-xml-parser's
 * validator gives line and column), then @rowanmanning/feed-parser maps the dialects.
 * Each item takes the richest text field: the longer of content (content:encoded, Atom
 * content) and description/summary, after HTML is turned into text.
 */
export interface FeedOptions {
  readonly source: string;
  readonly fetchedAt: string;
}

export interface FeedResult {
  readonly drafts: Draft[];
  /** Items that gave no article: NO_CONTENT unless `code` says otherwise (BROKEN_HTML). */
  readonly errors: { item: number; message: string; code?: ErrorCode }[];
  readonly title: string | null;
}

export function looksLikeFeed(xmlHead: string): boolean {
  return /<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]/i.test(xmlHead.slice(0, 2048));
}

export function readFeed(xml: string, opts: FeedOptions): FeedResult {
  const body = xml.replace(/^\uFEFF/, '');
  const valid = xmlParser().XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw createError('MALFORMED_FEED', `ingest: ${opts.source}:${line}:${col}: malformed XML feed: ${msg}`, { subject: `${opts.source}:${line}` });
  }
  if (!looksLikeFeed(body)) {
    throw createError('MALFORMED_FEED', `ingest: ${opts.source} is XML but not a feed: expected an <rss>, <feed> (Atom) or <rdf:RDF> root element`, { subject: opts.source });
  }
  let feed: ReturnType<typeof FeedParserModule.parseFeed>;
  try {
    feed = feedParser().parseFeed(body);
  } catch (e) {
    throw createError('MALFORMED_FEED', `ingest: ${opts.source}: not a readable RSS or Atom feed (${(e as Error).message})`, { subject: opts.source, cause: e });
  }
  const outlet = feed.title?.trim() || null;
  const drafts: Draft[] = [];
  const errors: FeedResult['errors'] = [];
  feed.items.forEach((item, i) => {
    const n = i + 1;
    // one item's hostile markup costs that item, not the feed
    let content: string;
    let description: string;
    let title: string | null;
    try {
      content = item.content ? htmlToText(item.content, `${opts.source}#item-${n}`) : '';
      description = item.description ? htmlToText(item.description, `${opts.source}#item-${n}`) : '';
      title = item.title ? htmlToText(item.title, `${opts.source}#item-${n}`) : null;
    } catch (e) {
      if (!isParallaxError(e)) throw e;
      errors.push({ item: n, message: e.message, code: e.code });
      return;
    }
    const useContent = content.trim().length >= description.trim().length;
    const text = useContent ? content : description;
    if (text.trim() === '') {
      errors.push({ item: n, message: `item ${n}${item.title ? ` ("${item.title.slice(0, 60)}")` : ''} has no text in content, description or summary` });
      return;
    }
    const dateValue = item.published ?? item.updated;
    const iso = dateValue ? toIsoDate(dateValue.toISOString()) : null;
    const author = item.authors
      .map((a) => a.name)
      .filter((x): x is string => Boolean(x))
      .join(', ');
    drafts.push({
      ...emptyDraft(`${opts.source}#item-${n}`, text, opts.fetchedAt),
      url: item.url && /^https?:\/\//i.test(item.url) ? item.url : null,
      externalId: item.id,
      title: title !== null ? { value: title, evidence: { source: 'feed', detail: 'title' } } : null,
      published: iso ? { value: iso, evidence: { source: 'feed', detail: item.published ? 'published' : 'updated' } } : null,
      outlet: outlet ? { value: outlet, evidence: { source: 'feed', detail: 'channel title' } } : null,
      byline: author ? { value: author, evidence: { source: 'feed', detail: 'author' } } : null,
      languageHint: feed.language,
    });
  });
  return { drafts, errors, title: outlet };
}

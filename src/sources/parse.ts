import type * as FeedParserModule from '@rowanmanning/feed-parser';
import type * as XmlParserModule from 'fast-xml-parser';
import { z } from 'zod';
import { sha256Hex } from '../domain/ids.js';
import { createError } from '../errors.js';
import { toIsoDate } from '../ingest/draft.js';
import { looksLikeFeed } from '../ingest/feed.js';
import { htmlToText } from '../ingest/html.js';
import { lazyRequire } from '../util/lazy.js';

// loaded by the first feed, not at start-up
const feedParser = lazyRequire<typeof FeedParserModule>('@rowanmanning/feed-parser');
const xmlParser = lazyRequire<typeof XmlParserModule>('fast-xml-parser');
import type { FeedFormat } from './types.js';

/**
 * Feed documents as the poller needs them (no I/O): RSS 2.0, RSS 1.0 and Atom through
 * @rowanmanning/feed-parser (which does not read JSON Feed), JSON Feed 1.0/1.1 here. Unlike
 * ingest's feed reader, each entry keeps its identity (guid, else link) and whether it
 * carries the article or only a summary, which decides whether its link is followed.
 */
export interface FeedEntry {
  /** Identity within the source: the guid, else the link, else a hash of title and text. */
  readonly key: string;
  readonly guid: string | null;
  /** Absolute http(s) link to the article page. */
  readonly link: string | null;
  readonly title: string | null;
  readonly published: string | null;
  readonly publishedField: 'published' | 'updated' | null;
  /** The richest text the item carries, as plain text. */
  readonly text: string;
  readonly byline: string | null;
  /** True when the text looks like a teaser rather than the article (see isSummary). */
  readonly summaryOnly: boolean;
}

export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly title: string | null;
  readonly language: string | null;
  readonly entries: FeedEntry[];
}

/** Fewer words than this and an item is a summary: a news article runs to several hundred. */
export const MIN_ARTICLE_WORDS = 150;
const TRUNCATED = /(\.\.\.|…|\[…\]|\[\.\.\.\]|\bread more\b[^\n]{0,40}|\bcontinue reading\b[^\n]{0,40}|\bthe post .{1,200} appeared first on .{1,120})\s*$/i;

export function isSummary(text: string): boolean {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return words < MIN_ARTICLE_WORDS || TRUNCATED.test(text.trim());
}

function absoluteLink(raw: string | null | undefined, base: string): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function entryKey(guid: string | null, link: string | null, title: string | null, text: string): string {
  if (guid) return `guid:${guid}`;
  if (link) return `link:${link}`;
  return `hash:${sha256Hex(`${title ?? ''}\n${text}`).slice(0, 32)}`;
}

function entry(fields: {
  guid: string | null;
  link: string | null;
  title: string | null;
  date: Date | string | null;
  updated: Date | string | null;
  content: string;
  summary: string;
  byline: string | null;
}): FeedEntry {
  const content = fields.content.trim();
  const summary = fields.summary.trim();
  const text = content.length >= summary.length ? content : summary;
  const dateOf = (d: Date | string | null): string | null => (d === null ? null : toIsoDate(typeof d === 'string' ? d : Number.isNaN(d.getTime()) ? '' : d.toISOString()));
  const published = dateOf(fields.date);
  const updated = published ? null : dateOf(fields.updated);
  const guid = fields.guid?.trim() || null;
  const title = fields.title ? htmlToText(fields.title).trim() || null : null;
  return {
    key: entryKey(guid, fields.link, title, text),
    guid,
    link: fields.link,
    title,
    published: published ?? updated,
    publishedField: published ? 'published' : updated ? 'updated' : null,
    text,
    byline: fields.byline,
    summaryOnly: isSummary(text),
  };
}

function parseXmlFeed(body: string, url: string): ParsedFeed {
  const valid = xmlParser().XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw createError('MALFORMED_FEED', `sources: ${url}:${line}:${col}: malformed XML feed: ${msg}`, { subject: url });
  }
  if (!looksLikeFeed(body)) {
    throw createError('MALFORMED_FEED', `sources: ${url} is XML but not a feed: expected an <rss>, <feed> (Atom) or <rdf:RDF> root element`, { subject: url });
  }
  let feed: ReturnType<typeof FeedParserModule.parseFeed>;
  try {
    feed = feedParser().parseFeed(body);
  } catch (e) {
    throw createError('MALFORMED_FEED', `sources: ${url}: not a readable RSS or Atom feed (${(e as Error).message})`, { subject: url, cause: e });
  }
  const type = feed.meta.type;
  const format: FeedFormat = type === 'atom' ? 'atom' : type === 'rdf' ? 'rdf' : 'rss';
  const base = absoluteLink(feed.url, url) ?? url;
  return {
    format,
    title: feed.title?.trim() || null,
    language: feed.language,
    entries: feed.items.map((item) =>
      entry({
        guid: item.id,
        link: absoluteLink(item.url, base),
        title: item.title,
        date: item.published,
        updated: item.updated,
        content: item.content ? htmlToText(item.content) : '',
        summary: item.description ? htmlToText(item.description) : '',
        byline:
          item.authors
            .map((a) => a.name)
            .filter((x): x is string => Boolean(x))
            .join(', ') || null,
      }),
    ),
  };
}

const JsonAuthor = z.object({ name: z.string().optional() }).loose();
const JsonItem = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    url: z.string().optional(),
    external_url: z.string().optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    date_published: z.string().optional(),
    date_modified: z.string().optional(),
    author: JsonAuthor.optional(),
    authors: z.array(JsonAuthor).optional(),
  })
  .loose();
const JsonFeedDoc = z
  .object({
    version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/, 'expected a https://jsonfeed.org/version/1 or /1.1 URL'),
    title: z.string().optional(),
    home_page_url: z.string().optional(),
    language: z.string().optional(),
    items: z.array(z.unknown()),
  })
  .loose();

function parseJsonFeed(body: string, url: string): ParsedFeed {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw createError('MALFORMED_FEED', `sources: ${url}: not valid JSON (${(e as Error).message})`, { subject: url });
  }
  const doc = JsonFeedDoc.safeParse(raw);
  if (!doc.success) {
    const issue = doc.error.issues[0]!;
    throw createError('MALFORMED_FEED', `sources: ${url}: not a JSON Feed: field "${issue.path.join('.') || '(root)'}": ${issue.message}`, { subject: url });
  }
  const base = absoluteLink(doc.data.home_page_url, url) ?? url;
  const entries: FeedEntry[] = [];
  for (const rawItem of doc.data.items) {
    // one malformed item does not hide the others
    const parsed = JsonItem.safeParse(rawItem);
    if (!parsed.success) continue;
    const it = parsed.data;
    const authors = it.authors ?? (it.author ? [it.author] : []);
    entries.push(
      entry({
        guid: it.id === undefined ? null : String(it.id),
        link: absoluteLink(it.url ?? it.external_url, base),
        title: it.title ?? null,
        date: it.date_published ?? null,
        updated: it.date_modified ?? null,
        content: it.content_html ? htmlToText(it.content_html) : (it.content_text ?? ''),
        summary: it.summary ?? '',
        byline:
          authors
            .map((a) => a.name)
            .filter((x): x is string => Boolean(x))
            .join(', ') || null,
      }),
    );
  }
  return { format: 'json', title: doc.data.title?.trim() || null, language: doc.data.language ?? null, entries };
}

export type DocumentKind = 'xml-feed' | 'json-feed' | 'html' | 'other';

/** What a fetched document is, from its first characters (the content type only breaks ties). */
export function documentKind(text: string, contentType: string | null): DocumentKind {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{')) return 'json-feed';
  if (head.startsWith('<')) {
    const lower = head.slice(0, 2048).toLowerCase();
    if (/<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]/.test(lower)) return 'xml-feed';
    if (/<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]/.test(lower)) return 'html';
    return lower.startsWith('<?xml') || /xml/i.test(contentType ?? '') ? 'xml-feed' : 'html';
  }
  if (/json/i.test(contentType ?? '')) return 'json-feed';
  return 'other';
}

/** Parses a feed document of any supported format; MALFORMED_FEED names the URL and what was wrong. */
export function parseFeedDocument(text: string, url: string, contentType: string | null = null): ParsedFeed {
  const body = text.replace(/^\uFEFF/, '');
  switch (documentKind(body, contentType)) {
    case 'json-feed':
      return parseJsonFeed(body, url);
    case 'xml-feed':
      return parseXmlFeed(body, url);
    case 'html':
      throw createError('MALFORMED_FEED', `sources: ${url} is an HTML page, not a feed`, { subject: url });
    case 'other':
      throw createError('MALFORMED_FEED', `sources: ${url} is not a feed: expected RSS, Atom (XML) or JSON Feed, found ${JSON.stringify(body.slice(0, 40).trim())}...`, { subject: url });
  }
}

const FEED_TYPES = /^application\/(rss\+xml|atom\+xml|rdf\+xml|feed\+json|json)$|^text\/xml$/i;

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e] ?? _);
}

/**
 * The feeds a page names in its head (`<link rel="alternate" type="application/rss+xml"
 * href="...">`, Atom, JSON Feed), absolute, in page order. What every feed reader does when
 * given a site rather than a feed.
 */
export function discoverFeeds(html: string, pageUrl: string): string[] {
  const head = html.slice(0, 512 * 1024);
  const baseTag = /<base\s[^>]*>/i.exec(head);
  const base = absoluteLink(baseTag ? attributes(baseTag[0]).get('href') : null, pageUrl) ?? pageUrl;
  const found: string[] = [];
  for (const m of head.matchAll(/<link\s[^>]*>/gi)) {
    const a = attributes(m[0]);
    const rel = (a.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('alternate') || !FEED_TYPES.test((a.get('type') ?? '').trim())) continue;
    const href = absoluteLink(a.get('href'), base);
    if (href && !found.includes(href)) found.push(href);
  }
  return found;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftFromEntry, draftFromPage, shouldFollow } from '../src/sources/items.js';
import { parseOpml, toOpml } from '../src/sources/opml.js';
import { discoverFeeds, isSummary, parseFeedDocument } from '../src/sources/parse.js';
import { HostGate, formatInterval, maxAgeSeconds, nextDelaySeconds, parseInterval, retryAfterSeconds } from '../src/sources/schedule.js';
import type { Source } from '../src/sources/types.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { REPO } from './helpers/paths.js';

const FEEDS = join(REPO, 'test/fixtures/feeds');

describe('feed documents', () => {
  it('reads the shipped RSS 2.0, RSS 1.0 and Atom fixtures with identities and links', () => {
    for (const [file, format] of [
      ['rss2.xml', 'rss'],
      ['rdf.xml', 'rdf'],
      ['atom.xml', 'atom'],
    ] as const) {
      const feed = parseFeedDocument(readFileSync(join(FEEDS, file), 'utf8'), `https://news.example/${file}`);
      expect(feed.format).toBe(format);
      expect(feed.entries.length).toBeGreaterThan(0);
      expect(feed.entries.filter((e) => e.text.length > 0).length).toBeGreaterThan(0);
      for (const e of feed.entries) {
        expect(e.key).toMatch(/^(guid|link|hash):/);
        if (e.link) expect(e.link).toMatch(/^https?:\/\//);
      }
      expect(new Set(feed.entries.map((e) => e.key)).size).toBe(feed.entries.length);
    }
  });

  it('reads JSON Feed 1.1 and 1.0 (numeric ids, author), resolving relative links', () => {
    const feed = parseFeedDocument(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 'JSON Desk',
        home_page_url: 'https://json.example/news/',
        items: [
          { id: 7, url: 'story-7.html', title: 'Quake &amp; aftershocks', content_html: '<p>One.</p><p>Two.</p>', date_published: '2026-11-02T08:00:00+01:00', author: { name: 'Desk' } },
          { id: 'x', external_url: 'https://other.example/x', summary: 'A short teaser', date_modified: '2026-11-03T00:00:00Z' },
          'not an item',
        ],
      }),
      'https://json.example/feed.json',
    );
    expect(feed.format).toBe('json');
    expect(feed.title).toBe('JSON Desk');
    expect(feed.entries.map((e) => [e.key, e.link, e.title, e.published, e.publishedField, e.byline])).toEqual([
      ['guid:7', 'https://json.example/news/story-7.html', 'Quake & aftershocks', '2026-11-02T07:00:00.000Z', 'published', 'Desk'],
      ['guid:x', 'https://other.example/x', null, '2026-11-03T00:00:00.000Z', 'updated', null],
    ]);
    expect(feed.entries[0]!.text).toBe('One.\n\nTwo.');
  });

  it('refuses what is not a feed, naming the URL and what was found', () => {
    expect(() => parseFeedDocument('Service unavailable', 'https://a.example/f')).toThrow(
      /https:\/\/a\.example\/f is not a feed: expected RSS, Atom \(XML\) or JSON Feed, found "Service unavailable"/,
    );
    expect(() => parseFeedDocument('{"version": "1"}', 'https://a.example/j')).toThrow(/not a JSON Feed: field "version": expected a https:\/\/jsonfeed.org/);
    expect(() => parseFeedDocument('{oops', 'https://a.example/j')).toThrow(/https:\/\/a\.example\/j: not valid JSON/);
    expect(() => parseFeedDocument('<rss><channel><item></rss>', 'https://a.example/x')).toThrow(/https:\/\/a\.example\/x:1:\d+: malformed XML feed/);
    expect(() => parseFeedDocument('<!doctype html><html><body>x</body></html>', 'https://a.example/p')).toThrow(/is an HTML page, not a feed/);
  });

  it('finds the feeds a page names, resolved against its URL or <base>', () => {
    const html = `<html><head><link rel="stylesheet" href="/a.css"><link rel="alternate" type="application/rss+xml" href="/rss.xml">
      <LINK REL="Alternate" TYPE="application/atom+xml" HREF='atom.xml?x=1&amp;y=2'><link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json"><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head></html>`;
    expect(discoverFeeds(html, 'https://site.example/news/')).toEqual(['https://site.example/rss.xml', 'https://site.example/news/atom.xml?x=1&y=2', 'https://cdn.example/feed.json']);
    expect(discoverFeeds('<base href="https://b.example/x/"><link rel="alternate" type="application/rss+xml" href="f">', 'https://a.example/')).toEqual(['https://b.example/x/f']);
    expect(discoverFeeds('<p>no head</p>', 'https://a.example/')).toEqual([]);
  });

  it('tells a summary from an article: length, or a truncation mark', () => {
    const article = Array.from({ length: 40 }, (_, i) => `Sentence ${i} tells more of what happened in the flood.`).join(' ');
    expect(isSummary(article)).toBe(false);
    expect(isSummary('Rescuers reached the village on Sunday after the quake.')).toBe(true);
    expect(isSummary(`${article} Read more`)).toBe(true);
    expect(isSummary(`${article}…`)).toBe(true);
    expect(isSummary(`${article} [...]`)).toBe(true);
  });
});

describe('items to drafts', () => {
  const feed = parseFeedDocument(readFileSync(join(FEEDS, 'rss2-description.xml'), 'utf8'), 'https://news.example/rss');
  const entry = feed.entries[0]!;

  it('follows a summary in auto mode, anything in always mode, nothing in never mode or without a link', () => {
    expect(shouldFollow({ ...entry, summaryOnly: true }, 'auto')).toBe(entry.link !== null);
    expect(shouldFollow({ ...entry, summaryOnly: false }, 'auto')).toBe(false);
    expect(shouldFollow({ ...entry, summaryOnly: false }, 'always')).toBe(entry.link !== null);
    expect(shouldFollow({ ...entry, summaryOnly: true }, 'never')).toBe(false);
    expect(shouldFollow({ ...entry, link: null }, 'always')).toBe(false);
  });

  it("keeps the feed's title, date and outlet over the page's, with the feed as evidence", () => {
    const page = {
      ...emptyDraft('https://x.example/a', 'Page text', '2026-12-01T00:00:00Z'),
      title: { value: 'Page headline', evidence: { source: 'meta' as const, detail: 'og:title' } },
      outlet: { value: 'Page Outlet', evidence: { source: 'meta' as const, detail: 'og:site_name' } },
    };
    const d = draftFromPage(page, entry, feed, 'src');
    expect(d.text).toBe('Page text');
    expect(d.title?.evidence.source).toBe(entry.title ? 'feed' : 'meta');
    expect(d.outlet).toEqual(feed.title ? { value: feed.title, evidence: { source: 'feed', detail: 'channel title' } } : page.outlet);
    expect(d.externalId).toBe(entry.guid);
    const s = draftFromEntry(entry, feed, 'src', '2026-12-01T00:00:00Z');
    expect(s.text).toBe(entry.text);
    expect(s.url).toBe(entry.link);
  });
});

describe('schedule', () => {
  it('parses intervals and refuses what is not one', () => {
    expect(parseInterval('15m')).toBe(900);
    expect(parseInterval('2h')).toBe(7200);
    expect(parseInterval('1d')).toBe(86_400);
    expect(parseInterval('90')).toBe(90);
    expect(() => parseInterval('30s')).toThrow(/--interval: expected between 1m and 7d, found "30s"/);
    expect(() => parseInterval('soon')).toThrow(/--interval: expected a duration like 15m/);
    expect(formatInterval(5400)).toBe('1h30m');
    expect(formatInterval(900)).toBe('15m');
  });

  it('reads Cache-Control and Retry-After', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(maxAgeSeconds('public, max-age=600')).toBe(600);
    expect(maxAgeSeconds('s-maxage=60, max-age=30')).toBe(30);
    expect(maxAgeSeconds('s-maxage=60')).toBe(60);
    expect(maxAgeSeconds('no-cache')).toBe(0);
    expect(maxAgeSeconds(undefined)).toBeNull();
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(3600);
    expect(retryAfterSeconds('whenever', now)).toBeNull();
  });

  it('waits the interval, longer when max-age says so, doubling per failure, at least Retry-After, at most a day', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const ok = (h: Record<string, string> = {}) => ({ ok: true, status: 200, headers: h });
    const fail = (status: number | null, h: Record<string, string> = {}) => ({ ok: false, status, headers: h });
    expect(nextDelaySeconds(ok(), 900, 0, now)).toBe(900);
    expect(nextDelaySeconds(ok({ 'cache-control': 'max-age=3600' }), 900, 0, now)).toBe(3600);
    expect(nextDelaySeconds(ok({ 'cache-control': 'max-age=60' }), 900, 0, now)).toBe(900);
    expect([1, 2, 3, 4].map((f) => nextDelaySeconds(fail(500), 900, f, now))).toEqual([900, 1800, 3600, 7200]);
    // six doublings at most (64 x 900 s = 16 h), and never past a day
    expect(nextDelaySeconds(fail(500), 900, 30, now)).toBe(57_600);
    expect(nextDelaySeconds(fail(500), 7200, 30, now)).toBe(86_400);
    expect(nextDelaySeconds(fail(503, { 'retry-after': '5000' }), 900, 1, now)).toBe(5000);
    expect(nextDelaySeconds(fail(429), 900, 1, now)).toBe(1800);
    expect(nextDelaySeconds(fail(429, { 'retry-after': '999999' }), 900, 1, now)).toBe(86_400);
  });

  it('lets one request per host through at a time, with the least delay between them', async () => {
    const gate = new HostGate(30);
    const log: string[] = [];
    const t0 = performance.now();
    const job = async (url: string, tag: string): Promise<void> => {
      const release = await gate.acquire(url);
      log.push(`start ${tag} ${Math.round(performance.now() - t0)}`);
      await new Promise((r) => setTimeout(r, 10));
      log.push(`end ${tag}`);
      release();
    };
    await Promise.all([job('https://a.example/1', 'a1'), job('https://a.example:8080/2', 'a2'), job('https://b.example/1', 'b1')]);
    const order = log.map((l) => l.split(' ').slice(0, 2).join(' '));
    // b runs beside a; a2 waits for a1's end plus 30 ms
    expect(order.indexOf('start b1')).toBeLessThan(order.indexOf('end a1'));
    expect(order.indexOf('start a2')).toBeGreaterThan(order.indexOf('end a1'));
    const a2 = Number(log.find((l) => l.startsWith('start a2'))!.split(' ')[2]);
    expect(a2).toBeGreaterThanOrEqual(38);
  });
});

describe('OPML', () => {
  it('round-trips sources with hostile titles, and reads nested folders', () => {
    const src = (id: number, url: string, title: string | null, siteUrl: string | null = null): Source => ({
      id,
      url,
      siteUrl,
      title,
      kind: siteUrl ? 'site' : 'feed',
      format: 'rss',
      intervalSeconds: 900,
      allowPrivate: false,
      follow: 'auto',
      addedAt: '',
      etag: null,
      lastModified: null,
      lastFetchAt: null,
      lastStatus: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: '',
      articles: 0,
    });
    const xml = toOpml([src(1, 'https://a.example/rss?x=1&y=2', 'A "quoted" <title> & more'), src(2, 'https://b.example/feed', null, 'https://b.example/')], '2026-12-01T00:00:00Z');
    expect(parseOpml(xml, 'out.opml')).toEqual([
      { xmlUrl: 'https://a.example/rss?x=1&y=2', title: 'A "quoted" <title> & more', htmlUrl: null },
      { xmlUrl: 'https://b.example/feed', title: 'https://b.example/feed', htmlUrl: 'https://b.example/' },
    ]);
    const nested =
      '<?xml version="1.0"?><opml version="1.0"><head/><body><outline text="News"><outline text="One" xmlUrl="https://one.example/rss"/><outline text="Two" type="rss" xmlUrl="https://two.example/atom" htmlUrl="https://two.example/"/></outline></body></opml>';
    expect(parseOpml(nested, 'n.opml').map((e) => [e.xmlUrl, e.title])).toEqual([
      ['https://one.example/rss', 'One'],
      ['https://two.example/atom', 'Two'],
    ]);
    expect(() => parseOpml('<rss/>', 'x.opml')).toThrow(/x\.opml: not OPML: expected an <opml> root with a <body>/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArticle } from '../src/ingest/build.js';
import { readFeed } from '../src/ingest/feed.js';
import { htmlToText, readHtml } from '../src/ingest/html.js';
import { REPO } from './helpers/paths.js';

const at = '2026-11-25T00:00:00.000Z';
const fx = (p: string): string => readFileSync(join(REPO, 'test/fixtures', p), 'utf8');

describe('readHtml', () => {
  it('extracts the article and drops navigation, ads, scripts, comments, share and footer text', () => {
    const d = readHtml(fx('html/article-full.html'), { source: 'article-full.html', url: 'https://daily.example/tara', fetchedAt: at });
    expect(d.text).toContain("We appreciate your respect to her and her family's privacy at this time");
    for (const junk of ['NAVIGATION LINK TEXT', 'ADVERTISEMENT BANNER TEXT', 'SCRIPT TEXT', 'AD SCRIPT', 'COMMENT TEXT', 'SHARE ON SOCIAL', 'FOOTER TEXT', 'RELATED STORY', 'color: red']) {
      expect(d.text).not.toContain(junk);
    }
    // paragraphs stay paragraphs
    expect(d.text.split('\n\n').length).toBeGreaterThan(3);
  });
  it('reads title, date, outlet and byline from JSON-LD first, with evidence', () => {
    const d = readHtml(fx('html/article-full.html'), { source: 'a', url: null, fetchedAt: at });
    expect(d.title).toEqual({ value: 'Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep told People.', evidence: { source: 'json-ld', detail: 'headline' } });
    expect(d.published).toEqual({ value: '2008-09-12T14:30:00.000Z', evidence: { source: 'json-ld', detail: 'datePublished' } });
    expect(d.outlet).toEqual({ value: 'Daily Example', evidence: { source: 'meta', detail: 'meta[property="og:site_name"]' } });
    expect(d.byline?.value).toBe('Jane Reporter');
    expect(d.languageHint).toBe('en');
  });
  it('falls back to meta tags, survives unclosed tags, and strips the outlet from the title', () => {
    const d = readHtml(fx('html/meta-only-broken.html'), { source: 'm', url: null, fetchedAt: at });
    expect(d.published).toEqual({ value: '2008-12-01T14:00:00.000Z', evidence: { source: 'meta', detail: 'meta[property="article:published_time"]' } });
    expect(d.outlet?.value).toBe('Example Tribune');
    expect(d.title?.value.startsWith('After more than three years')).toBe(true);
    expect(d.text).toContain('Yet prosecutors who spent the last month');
    expect(d.text).not.toContain('Most read one');
  });
  it('uses <time datetime> when nothing else dates the page', () => {
    const d = readHtml(fx('html/time-only.html'), { source: 't', url: null, fetchedAt: at });
    expect(d.published).toEqual({ value: '2005-11-27', evidence: { source: 'time', detail: 'time[datetime="2005-11-27"]' } });
    const a = buildArticle(d);
    expect(a.text).toContain('A powerful earthquake has hit southern Iran');
  });
  it('says so when a page has no article, and when input is not HTML', () => {
    expect(() => readHtml(fx('html/no-article.html'), { source: 'login.html', url: null, fetchedAt: at })).toThrow(/no article text found in login\.html/);
    expect(() => readHtml('just words, no tags', { source: 'x.html', url: null, fetchedAt: at })).toThrow(/x\.html does not look like HTML/);
  });
  it('escapes nothing into text: markup in text nodes stays literal text', () => {
    const t = htmlToText('<p>Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;</p><script>alert(2)</script><p>Second</p>');
    expect(t).toBe('Tom & Jerry <script>alert(1)</script>\n\nSecond');
  });
});

describe('readFeed', () => {
  it('RSS 2.0: one draft per item from content:encoded, items without text reported', () => {
    const r = readFeed(fx('feeds/rss2.xml'), { source: 'rss2.xml', fetchedAt: at });
    expect(r.title).toBe('Example World News');
    expect(r.drafts).toHaveLength(2);
    const [d1] = r.drafts;
    expect(d1).toMatchObject({ source: 'rss2.xml#item-1', url: 'https://news.example.org/quake/1', externalId: 'quake-1' });
    expect(d1!.published).toEqual({ value: '2008-09-01T10:01:00.000Z', evidence: { source: 'feed', detail: 'published' } });
    expect(d1!.outlet?.value).toBe('Example World News');
    expect(d1!.byline?.value).toBe('Reporter 1');
    // the full content, not the 80-character description
    expect(d1!.text.length).toBeGreaterThan(300);
    expect(r.errors).toEqual([{ item: 3, message: 'item 3 ("Empty item") has no text in content, description or summary' }]);
  });
  it('RSS 2.0 with only descriptions, Atom with HTML content, and RDF', () => {
    const desc = readFeed(fx('feeds/rss2-description.xml'), { source: 'd', fetchedAt: at });
    expect(desc.drafts[0]!.text.length).toBeGreaterThan(200);
    const atom = readFeed(fx('feeds/atom.xml'), { source: 'atom.xml', fetchedAt: at });
    expect(atom.drafts).toHaveLength(1);
    expect(atom.drafts[0]).toMatchObject({ url: 'https://atom.example.org/1', externalId: 'urn:example:1' });
    expect(atom.drafts[0]!.text).toContain('Jack Ketsoyan');
    expect(atom.drafts[0]!.text).not.toContain('Short summary');
    expect(atom.drafts[0]!.published?.value).toBe('2008-09-12T12:00:00.000Z');
    expect(atom.drafts[0]!.byline?.value).toBe('Atom Writer');
    const rdf = readFeed(fx('feeds/rdf.xml'), { source: 'rdf.xml', fetchedAt: at });
    expect(rdf.drafts).toHaveLength(1);
    expect(rdf.drafts[0]!.published?.value).toBe('2008-12-01T10:00:00.000Z');
  });
  it('names the line and column of malformed XML, and refuses XML that is not a feed', () => {
    expect(() => readFeed(fx('feeds/malformed.xml'), { source: 'malformed.xml', fetchedAt: at })).toThrow(/^ingest: malformed\.xml:6:\d+: malformed XML feed: /);
    expect(() => readFeed(fx('feeds/not-a-feed.xml'), { source: 'cfg.xml', fetchedAt: at })).toThrow(/cfg\.xml is XML but not a feed: expected an <rss>, <feed> \(Atom\) or <rdf:RDF> root element/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArticle } from '../src/ingest/build.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { readText } from '../src/ingest/text.js';
import { OutletNames, originalUrl, outletOfUrl, parseOutletFile, registeredDomain } from '../src/ingest/outlets.js';
import { isParallaxError } from '../src/errors.js';
import { runCli } from './helpers/cli.js';
import { REPO } from './helpers/paths.js';

function jsonLines<T>(out: string): T[] {
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
}

const FIXTURES = resolve(REPO, 'test/fixtures/analyst');

describe('original URLs behind archives and proxies', () => {
  it.each([
    ['http://web.archive.org/web/20150922124326/http://losangeles.cbslocal.com/2013/01/01/man-killed-3-wounded/', 'http://losangeles.cbslocal.com/2013/01/01/man-killed-3-wounded/'],
    ['https://web.archive.org/web/20131115124819id_/http://latimesblogs.latimes.com:80/lanow/2013/01/x.html', 'http://latimesblogs.latimes.com/lanow/2013/01/x.html'],
    ['https://web.archive.org/web/2016/https://www.kctv5.com/story/1?lite', 'https://www.kctv5.com/story/1?lite'],
    ['https://archive.ph/2019.05.01-101010/https://www.bbc.co.uk/news/world-1', 'https://www.bbc.co.uk/news/world-1'],
    ['https://archive.today/o/AbCdE/https://www.reuters.com/world/x', 'https://www.reuters.com/world/x'],
    ['https://www-theguardian-com.cdn.ampproject.org/c/s/www.theguardian.com/world/2024/feb/23/gaza', 'https://www.theguardian.com/world/2024/feb/23/gaza'],
    ['https://www.google.com/amp/s/www.nbcnews.com/news/amp/ncna1', 'https://www.nbcnews.com/news/amp/ncna1'],
    ['https://www.google.com/url?rct=j&sa=t&url=https://www.wsj.com/articles/x&ct=ga', 'https://www.wsj.com/articles/x'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.npr.org%2F2024%2F1%2F2%2Fx', 'https://www.npr.org/2024/1/2/x'],
    // an AMP page saved in the Wayback Machine: both wrappers go
    ['http://web.archive.org/web/20200101000000/https://www-cnn-com.cdn.ampproject.org/c/s/www.cnn.com/2020/01/01/us/x', 'https://www.cnn.com/2020/01/01/us/x'],
  ])('%s', (wrapped, original) => {
    expect(originalUrl(wrapped)).toBe(original);
  });

  it('decodes the target of an old-style Google News article link', () => {
    const target = 'https://www.aljazeera.com/news/2024/2/23/gaza-truce';
    const id = `CBMi${Buffer.from([0x08, 0x13, 0x22, target.length, ...Buffer.from(target)]).toString('base64url')}`;
    expect(originalUrl(`https://news.google.com/rss/articles/${id}?oc=5`)).toBe(target);
  });

  it('leaves other URLs alone, and gives no outlet for an archive whose original is unknown', () => {
    expect(originalUrl('https://www.kctv5.com/story/22412/x')).toBe('https://www.kctv5.com/story/22412/x');
    expect(originalUrl('ftp://example.com/x')).toBeNull();
    expect(outletOfUrl('https://archive.ph/AbCd1')).toBeNull();
    expect(outletOfUrl('https://web.archive.org/web/20150101000000*/kctv5.com')).toMatchObject({ domain: 'kctv5.com' });
  });
});

describe('outlet names', () => {
  it('uses the registered domain, named by the table when known', () => {
    expect(registeredDomain('http://latimesblogs.latimes.com/lanow/x')).toBe('latimes.com');
    expect(registeredDomain('https://www.bbc.co.uk/news')).toBe('bbc.co.uk');
    expect(outletOfUrl('http://web.archive.org/web/20131115124819/http://latimesblogs.latimes.com:80/lanow/x.html')).toMatchObject({ name: 'Los Angeles Times', domain: 'latimes.com' });
    expect(outletOfUrl('https://www.kctv5.com/story/1')).toMatchObject({ name: 'kctv5.com', domain: 'kctv5.com' });
  });

  it('takes the user table on top of the built-in one, the most specific host first', () => {
    const names = new OutletNames(undefined, [
      { name: 'KCTV 5', domains: ['kctv5.com'] },
      { name: 'CBS Los Angeles', domains: ['losangeles.cbslocal.com'] },
      { name: 'LA Times Blogs', domains: ['latimesblogs.latimes.com'] },
    ]);
    expect(names.nameOf('www.kctv5.com')).toBe('KCTV 5');
    expect(names.nameOf('losangeles.cbslocal.com')).toBe('CBS Los Angeles');
    expect(names.nameOf('pittsburgh.cbslocal.com')).toBeNull();
    expect(names.nameOf('latimesblogs.latimes.com')).toBe('LA Times Blogs');
    expect(names.nameOf('www.latimes.com')).toBe('Los Angeles Times');
  });

  it('refuses a malformed outlet file, naming the file and the field', () => {
    const bad = (json: string): string => {
      try {
        parseOutletFile(json, 'my-outlets.json');
      } catch (e) {
        if (isParallaxError(e)) return `${e.code} ${e.message}`;
        throw e;
      }
      throw new Error('accepted');
    };
    expect(bad('{"outlets": [')).toMatch(/^BAD_CONFIG config: my-outlets\.json is not valid JSON/);
    expect(bad('{"outlets": [{"name": "KCTV", "domains": ["not a domain"]}]}')).toMatch(/my-outlets\.json: field outlets\.0\.domains\.0: expected a domain/);
    expect(bad('{"outlets": [{"domains": ["kctv5.com"]}]}')).toMatch(/field outlets\.0\.name/);
  });
});

describe('outlets of built articles', () => {
  const draft = (text: string, url: string | null, outlet?: string) => ({
    ...emptyDraft('t', text, '2026-12-05T16:17:00.000Z'),
    url,
    outlet: outlet ? { value: outlet, evidence: { source: 'meta' as const, detail: 'meta[property="og:site_name"]' } } : null,
  });
  const text = 'KANSAS CITY, Mo. - One man was killed and another wounded in a shooting early Sunday near 35th Street and Prospect Avenue, police said.';

  it('an article saved through the Wayback Machine is named after its original site', () => {
    const a = buildArticle(draft(text, 'http://web.archive.org/web/20150908133757/http://www.kshb.com/news/local-news/man-killed-in-shooting-2013-05-05'));
    expect(a.meta.outlet).toMatchObject({ value: 'kshb.com', evidence: { source: 'url' } });
    expect(a.meta.outlet!.evidence.detail).toContain('http://www.kshb.com/news/');
    expect(a.meta.domain?.value).toBe('kshb.com');
    // the original page's date, not the archive's timestamp
    expect(a.meta.published?.value).toBe('2013-05-05');
  });

  it('page metadata wins over the domain, which is still kept', () => {
    const a = buildArticle(draft(text, 'https://www.kshb.com/news/x', 'KSHB 41 Kansas City'));
    expect(a.meta.outlet?.value).toBe('KSHB 41 Kansas City');
    expect(a.meta.domain?.value).toBe('kshb.com');
  });

  it('the user table names the domain', () => {
    const a = buildArticle(draft(text, 'https://www.kshb.com/news/x'), { outlets: new OutletNames(undefined, [{ name: 'KSHB 41', domains: ['kshb.com'] }]) });
    expect(a.meta.outlet).toMatchObject({ value: 'KSHB 41', evidence: { source: 'url', detail: 'outlet table: kshb.com' } });
  });

  it('a syndication note that opens the text names the outlet; one mentioned in the body does not', () => {
    const opening = buildArticle(draft('(MENAFN- Gulf Times) Mediators have intensified efforts to secure a ceasefire in Gaza before Ramadan.', null));
    expect(opening.meta.outlet?.value).toBe('Gulf Times');
    const readme = readText(
      '# The seed pair\n\nTwo reports of the same event.\n\n- The first is a Gulf Times report syndicated through MENAFN. Its first line is a metadata header (` date 2024-02-23 (MENAFN- Gulf Times)`) that is not part of the story text.\n',
      { source: 'README.md', fetchedAt: '2026-12-05T16:17:00.000Z' },
    );
    const a = buildArticle(readme);
    expect(a.meta.outlet).toBeNull();
    expect(a.meta.syndicator).toBeNull();
  });

  it('ingest names outlets from the user file given by PARALLAX_OUTLETS, and refuses a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px-outlets-'));
    const file = join(dir, 'articles.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'kc-1', url: 'http://web.archive.org/web/20150908133757/http://www.kshb.com/news/local-news/man-killed', title: 'Man killed in Kansas City shooting', text })}\n` +
        `${JSON.stringify({ id: 'readme', text: 'A note about a metadata line such as (MENAFN- Gulf Times) in the middle of a sentence, not at its start.' })}\n`,
    );
    const outlets = join(dir, 'outlets.json');
    writeFileSync(outlets, JSON.stringify({ outlets: [{ name: 'KSHB 41 Kansas City', domains: ['kshb.com'] }] }));
    const db = join(dir, 'p.db');
    expect((await runCli(['ingest', file, '--db', db], { PARALLAX_OUTLETS: outlets })).code).toBe(0);
    const list = jsonLines<{ externalId: string; outlet: string | null }>((await runCli(['articles', '--db', db, '--json'])).out);
    expect(Object.fromEntries(list.map((i) => [i.externalId, i.outlet]))).toEqual({ 'kc-1': 'KSHB 41 Kansas City', readme: null });

    writeFileSync(outlets, '{"outlets": [{"name": "KSHB"}]}');
    const r = await runCli(['ingest', file, '--db', db], { PARALLAX_OUTLETS: outlets });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${outlets}: field outlets.0.domains`);
    expect(r.err).toContain('[BAD_CONFIG]');
    // the fixture folder's README mentions the line too
    const fx = await runCli(['ingest', join(FIXTURES, 'README.md'), '--db', join(dir, 'q.db')]);
    expect(fx.code).toBe(0);
    const shown = jsonLines<{ outlet: string | null }>((await runCli(['articles', '--db', join(dir, 'q.db'), '--json'])).out);
    expect(shown.map((i) => i.outlet)).toEqual([null]);
  });
});

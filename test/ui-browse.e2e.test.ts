import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStage } from '../src/stages/cluster.js';
import { DedupStage } from '../src/stages/dedup.js';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from './helpers/browser.js';
import { writeBrowseCorpus, type BrowseCorpus } from './helpers/browse-corpus.js';

// Browsing, the story page at scale, states and access, in Chromium against a real server on
// loopback. The UI is served from the build (`npm run build` after UI changes). Screenshots go
// to a temporary directory (UI_SHOTS=dir keeps them elsewhere to look at).
const dir = mkdtempSync(join(tmpdir(), 'parallax-ui-browse-'));
const SHOTS = process.env['UI_SHOTS'] ?? join(dir, 'screenshots');
let engine: Engine;
let empty: Engine;
let server: RunningServer;
let emptyServer: RunningServer;
let browser: Browser;
let corpus: BrowseCorpus;
let quakeId: string;
const errors: string[] = [];
const EVIL = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> <b>bold</b>`;

beforeAll(async () => {
  corpus = writeBrowseCorpus(dir);
  engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'ui.db') }), stages: [new DedupStage(), new ClusterStage()] });
  const hostile = join(dir, 'hostile.jsonl');
  writeFileSync(
    hostile,
    `${JSON.stringify({ id: 'hostile', url: 'https://hostile.example/x', title: `Zqxhostile ${EVIL}`, outlet: `Outlet ${EVIL}`, published: '2019-04-04T04:04:00Z', text: `Zqxhostile report ${EVIL} on the zqxhostile matter.\n${EVIL} closes it.` })}\n`,
  );
  await engine.ingest([corpus.file, hostile]);
  empty = new Engine({ store: SqliteStore.open({ path: join(dir, 'empty.db') }), stages: [new DedupStage(), new ClusterStage()] });
  server = await listen(createApp({ engine, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  emptyServer = await listen(createApp({ engine: empty, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  quakeId = (await engine.store.stories.list({ limit: 1, search: 'Qeshm' })).items[0]!.id;
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close(200);
  await emptyServer?.close(200);
  await engine?.close();
  await empty?.close();
  if (!process.env['UI_SHOTS']) rmSync(dir, { recursive: true, force: true });
});

async function open(path: string, o: { width?: number; base?: string; context?: BrowserContextOptions } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York', ...o.context });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // the browser logs the 404 and the refused connection the tests provoke; nothing else may be logged
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404|ERR_CONNECTION_REFUSED/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${o.base ?? server.url}/${path}`);
  return page;
}

const shot = async (page: Page, name: string, fullPage = true): Promise<void> => {
  expect((await page.screenshot({ path: join(SHOTS, name), fullPage })).length).toBeGreaterThan(5_000);
};

describe('browsing stories', () => {
  it('pages through every story with links, and the page is in the address', async () => {
    const page = await open('#/');
    await page.waitForSelector('.story-row');
    const { total } = await engine.store.stories.list({ limit: 1 });
    expect(await page.textContent('.pager .page-info')).toContain(`of ${total} stories`);
    const seen = new Set<string>();
    for (;;) {
      for (const id of await page.$$eval('.story-row', (els) => els.map((e) => e.getAttribute('data-story')!))) seen.add(id);
      const next = page.locator('.pager a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForFunction((n) => document.querySelector('.page-info')?.textContent?.includes(`page ${n}`), Math.ceil((seen.size + 1) / 20));
    }
    expect(seen.size).toBe(total);
    expect(page.url()).toMatch(/offset=\d+/);
    await page.context().close();
  });

  it('filters by words, outlet, dates and size; the address carries the filters and reopens the same view', async () => {
    const page = await open('#/');
    await page.waitForSelector('.filters');
    await page.getByLabel('Words').fill('qeshm');
    await page.getByLabel('Outlet', { exact: true }).fill(corpus.quakeOutlets[1]!.toLowerCase());
    await page.getByLabel('Hide single-article stories').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => location.hash.includes('q=qeshm'));
    await page.waitForFunction(() => document.querySelector('main [role="status"]')?.textContent?.includes('matching'));
    expect(await page.$$eval('.story-row', (els) => els.map((e) => e.getAttribute('data-story')))).toEqual([quakeId]);
    const shared = page.url();
    expect(shared).toContain('minArticles=2');
    await shot(page, 'stories-filtered.png');
    // the same address in a fresh browser shows the same view, with the filters filled in
    const again = await open(shared.slice(server.url.length + 1));
    await again.waitForSelector('.story-row');
    expect(await again.$$eval('.story-row', (els) => els.map((e) => e.getAttribute('data-story')))).toEqual([quakeId]);
    expect(await again.getByLabel('Words').inputValue()).toBe('qeshm');
    // a date range and a minimum number of outlets
    await again.goto(`${server.url}/#/?since=2005-01-01&until=2006-01-01&minOutlets=3`);
    await again.waitForFunction(() => document.querySelectorAll('.story-row').length === 1);
    // nothing matches: say so and offer a way out
    await again.goto(`${server.url}/#/?q=nosuchwordanywhere`);
    await again.waitForSelector('.empty');
    expect(await again.textContent('.empty')).toContain('No story matches');
    await again.getByRole('link', { name: 'clear the filters' }).click();
    await again.waitForSelector('.story-row');
    await page.context().close();
    await again.context().close();
  });

  it('an empty store says what to do next', async () => {
    const page = await open('#/', { base: emptyServer.url });
    await page.waitForSelector('.empty');
    expect(await page.textContent('.empty')).toContain('parallax ingest');
    await shot(page, 'empty-store.png');
    await page.context().close();
  });

  it('an error says what failed and offers a way back', async () => {
    const page = await open('#/story/s0000000000000000');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('main h1')).toBe('Not found');
    await page.getByRole('link', { name: 'Back to stories' }).click();
    await page.waitForSelector('.story-row');
    await page.goto(`${server.url}/#/stories?bogus=1`);
    await page.waitForSelector('.story-row'); // the UI passes only the parameters the API takes
    await page.context().close();
  });

  it('a failed request can be tried again', async () => {
    const page = await open('');
    await page.waitForSelector('.story-row');
    let fail = true;
    await page.route('**/api/v1/stories?*', async (route) => {
      if (fail) await route.abort('connectionrefused');
      else await route.continue();
    });
    await page.evaluate(() => (location.hash = '#/?sort=outlets'));
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('main h1')).toBe('Could not load this page');
    fail = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForSelector('.story-row');
    expect(await page.$('[role="alert"]')).toBeNull();
    await page.context().close();
  });

  it('shows a loading state while the API is slow', async () => {
    const page = await open('');
    await page.waitForSelector('.story-row');
    await page.route('**/api/v1/stories?*', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await page.evaluate(() => (location.hash = '#/?sort=largest'));
    await page.waitForSelector('.loading[role="status"]');
    expect(await page.getAttribute('main', 'aria-busy')).toBe('true');
    await page.waitForSelector('.story-row');
    expect(await page.$('.loading')).toBeNull();
    await page.context().close();
  });

  it('search results mark the matches with <mark>, escaped, with a total', async () => {
    const page = await open('#/search?q=quake');
    await page.waitForSelector('.article-row');
    const marks = await page.$$eval('.snippet mark', (els) => els.map((e) => e.textContent ?? ''));
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toMatch(/^quake/);
    expect(await page.textContent('main')).not.toMatch(/\[quake/i);
    expect(await page.textContent('main')).toMatch(/\d+ matches, best first/);
    await page.context().close();
  });
});

describe('article pages', () => {
  it('link to their story, show times in the reader zone and say so, keep day-only dates and undated as such', async () => {
    const { items } = await engine.store.listArticles({ limit: 200 });
    const timed = items.find((a) => a.published === '2005-11-27T18:30:00.000Z')!;
    const page = await open(`#/article/${timed.id}`);
    await page.waitForSelector('.meta-table');
    await page.getByRole('link', { name: /Quake hits island/ }).click();
    await page.waitForSelector('#source-table');
    expect(page.url()).toContain(`#/story/${quakeId}`);
    await page.goto(`${server.url}/#/article/${timed.id}`);
    await page.waitForSelector('.meta-table time');
    // 18:30 UTC is 1:30 PM in New York, and the page says which zone
    expect(await page.textContent('.meta-table')).toContain('Nov 27, 2005, 1:30 PM');
    expect(await page.textContent('#tz-note')).toContain('America/New_York');
    const dayOnly = items.find((a) => a.published === '2013-05-02')!;
    // a new load, not a hash change: the last page's table must not answer the wait below
    await page.goto('about:blank');
    await page.goto(`${server.url}/#/article/${dayOnly.id}`);
    await page.waitForSelector('.meta-table time');
    // a day stays that day, in a zone west of UTC too
    expect(await page.textContent('.meta-table')).toContain('May 2, 2013');
    expect(await page.textContent('.meta-table')).not.toContain('May 1, 2013');
    const undated = items.find((a) => a.published === null)!;
    await page.goto('about:blank');
    await page.goto(`${server.url}/#/article/${undated.id}`);
    await page.waitForSelector('.meta-table');
    const row = await page.textContent('.meta-table tbody tr:first-child');
    expect(row).toContain('undated');
    await page.context().close();
  });
});

describe('a story page that scales', () => {
  it('has a source table above the text, and two to four sources side by side chosen from it', async () => {
    const page = await open(`#/story/${quakeId}`);
    await page.waitForSelector('#source-table');
    const rows = await page.$$eval('#source-table tbody tr', (els) => els.map((e) => e.textContent ?? ''));
    expect(rows.length).toBe(5);
    expect(rows.join(' ')).toContain('Wire Copies Daily');
    // roles: the reprint is a copy of a known original
    expect(rows.find((r) => r.includes('Wire Copies Daily'))).toMatch(/copy of /);
    expect(rows.some((r) => r.includes('original'))).toBe(true);
    // the table comes before the text
    const order = await page.evaluate(() => [document.getElementById('sources-table')!, document.getElementById('side-by-side')!].map((e) => e.getBoundingClientRect().top));
    expect(order[0]!).toBeLessThan(order[1]!);
    // two columns by default, not five
    expect(await page.$$eval('#sources .column', (els) => els.length)).toBe(2);
    const boxes = page.locator('#source-table input[type=checkbox]');
    for (let i = 0; i < 5; i++) if (!(await boxes.nth(i).isChecked()) && !(await boxes.nth(i).isDisabled())) await boxes.nth(i).check();
    expect(await page.$$eval('#sources .column', (els) => els.length)).toBe(4);
    // at four, the fifth waits
    expect(await page.locator('#source-table input[type=checkbox]:disabled').count()).toBe(1);
    expect(page.url()).toMatch(/cols=(a[0-9a-f]{16},){3}a[0-9a-f]{16}$/);
    await shot(page, 'story-four-columns.png');
    // the chosen columns are in the address
    const again = await open(page.url().slice(server.url.length + 1));
    await again.waitForSelector('#sources .column');
    expect(await again.$$eval('#sources .column', (els) => els.length)).toBe(4);
    await again.context().close();
    await page.context().close();
  });

  it('collapses the brief tags to a count, with the list on demand', async () => {
    const page = await open(`#/story/${quakeId}`);
    await page.waitForSelector('.brief');
    const collapsed = page.locator('.brief details.brief-sources');
    if ((await collapsed.count()) > 0) {
      const first = collapsed.first();
      expect(await first.locator('summary').textContent()).toMatch(/^\d+ sources$/);
      expect(await first.locator('.tag').first().isVisible()).toBe(false);
      await first.locator('summary').click();
      expect(await first.locator('.tag').first().isVisible()).toBe(true);
    }
    // never more than three tags shown inline
    const inline = await page.$$eval('.brief li', (lis) => lis.map((li) => [...li.querySelectorAll(':scope > .brief-sources > .tag')].length));
    expect(Math.max(0, ...inline)).toBeLessThanOrEqual(3);
    await page.context().close();
  });

  it('draws a timeline with a lane per outlet and a labelled time axis, and reprint arrows only for known originals, with a legend', async () => {
    const page = await open(`#/story/${quakeId}`);
    await page.waitForSelector('svg.timeline');
    const lanes = await page.$$eval('svg.timeline text.lane-label', (els) => els.map((e) => e.firstChild?.textContent));
    expect(lanes).toEqual(expect.arrayContaining([corpus.quakeOutlets[0], 'Wire Copies Daily']));
    const ticks = await page.$$eval('svg.timeline text.tick-label', (els) => els.map((e) => e.textContent ?? ''));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('svg.timeline text.axis-title')).toContain('America/New_York');
    const arrows = await page.$$eval('.reprints line.link', (els) => els.map((e) => [e.getAttribute('data-original'), e.getAttribute('marker-end')]));
    expect(arrows.length).toBeGreaterThan(0);
    for (const [orig, marker] of arrows) expect(marker !== null).toBe(orig === 'known');
    expect(await page.textContent('.reprints .legend')).toContain('the original is known');
    expect(await page.textContent('.reprint-list')).toMatch(/Wire Copies Daily copies/);
    await page.context().close();
  });

  it('is navigable by section, with a column of sentences one tab stop and arrows inside', async () => {
    const page = await open(`#/story/${quakeId}`);
    await page.waitForSelector('#sources .column .sent');
    const sentences = await page.$$eval('.sent', (els) => els.length);
    const stops = await page.$$eval('.sent[tabindex="0"]', (els) => els.length);
    expect(sentences).toBeGreaterThan(10);
    expect(stops).toBe(2); // one per column
    expect(await page.$$eval('main section[aria-labelledby]', (els) => els.map((e) => e.id))).toEqual(
      expect.arrayContaining(['sources-table', 'brief', 'side-by-side', 'figures-section', 'timeline', 'reprints']),
    );
    await page.locator('.column').first().locator('.sent').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['index'])).toBe('1');
    await page.keyboard.press('ArrowRight');
    const active = await page.evaluate(() => [(document.activeElement as HTMLElement).dataset['article'], document.activeElement?.getAttribute('tabindex')]);
    const second = await page.$eval('.column:nth-child(2) .sent', (e) => (e as HTMLElement).dataset['article']);
    expect(active).toEqual([second, '0']);
    // the section links jump to (and focus) a section heading
    await page.getByRole('link', { name: 'Timeline' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('timeline-h');
    // Tab from the first column's sentence leaves the column, not onto its next sentence
    await page.locator('.column').first().locator('.sent[tabindex="0"]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('.column') === document.querySelector('.column'))).toBe(false);
    await page.context().close();
  });
});

describe('hostile text', () => {
  it('stays text on the story page, in marks and in the timeline: nothing runs', async () => {
    const story = (await engine.store.stories.list({ limit: 1, search: 'zqxhostile' })).items[0]!;
    for (const path of [`#/story/${story.id}`, '#/search?q=zqxhostile', `#/?q=zqxhostile`]) {
      const page = await open(path);
      await page.waitForSelector('main h1');
      await page.waitForFunction(() => !document.getElementById('main')?.hasAttribute('aria-busy'));
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.$$eval('main script, main img, main b', (els) => els.length)).toBe(0);
      expect(await page.textContent('main')).toContain('<script>window.__pwned = 1</script>');
      if (path.startsWith('#/search')) expect(await page.$$eval('.snippet mark', (els) => els.map((e) => e.textContent?.toLowerCase()))).toContain('zqxhostile');
      await page.context().close();
    }
  });
});

describe('a story of 28 sources', () => {
  it('stays one screen wide: a table of 28 rows, two columns, collapsed brief tags, a lane per outlet, labelled colours', async () => {
    const big = (await engine.store.stories.list({ limit: 1, search: corpus.bigWord })).items[0]!;
    expect(big.outlets.length).toBe(corpus.bigOutlets);
    const page = await open(`#/story/${big.id}`);
    await page.waitForSelector('#source-table');
    expect(await page.$$eval('#source-table tbody tr', (els) => els.length)).toBe(corpus.bigOutlets);
    expect(await page.$$eval('#sources .column', (els) => els.length)).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    // brief: a bullet reported by many shows a count; the tags open on demand
    const counts = await page.$$eval('.brief details.brief-sources summary', (els) => els.map((e) => e.textContent ?? ''));
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => /^\d+ sources$/.test(c) && Number.parseInt(c, 10) > 3)).toBe(true);
    // one lane per outlet, each named
    const lanes = await page.$$eval('svg.timeline text.lane-label', (els) => els.map((e) => e.firstChild?.textContent ?? ''));
    expect(new Set(lanes).size).toBe(corpus.bigOutlets);
    // colours repeat past twelve, so every coloured tag carries its outlet's name
    const tags = await page.$$eval('#source-table .tag', (els) => els.map((e) => [e.className, e.textContent ?? '']));
    expect(new Set(tags.map(([c]) => c)).size).toBe(12);
    expect(new Set(tags.map(([, t]) => t)).size).toBe(corpus.bigOutlets);
    // two tab stops for all the sentences shown
    expect(await page.$$eval('.sent[tabindex="0"]', (els) => els.length)).toBe(2);
    await shot(page, 'story-28-sources.png');
    await page.context().close();
  });
});

describe('states and access', () => {
  it('follows the system dark mode', async () => {
    const page = await open(`#/story/${quakeId}`, { context: { colorScheme: 'dark' } });
    await page.waitForSelector('#source-table');
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    expect(r! + g! + b!).toBeLessThan(150);
    await shot(page, 'story-dark.png', false);
    const light = await open('#/');
    await light.waitForSelector('.story-row');
    const lbg = await light.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect((lbg.match(/\d+/g) ?? []).map(Number).reduce((x, y) => x + y, 0)).toBeGreaterThan(600);
    await page.context().close();
    await light.context().close();
  });

  it('is usable at 390 px: no page scrolls sideways', async () => {
    const { items } = await engine.store.listArticles({ limit: 1 });
    for (const path of ['#/', `#/story/${quakeId}`, `#/article/${items[0]!.id}`, '#/search?q=quake', '#/articles']) {
      const page = await open(path, { width: 390 });
      await page.waitForSelector('main h1');
      await page.waitForFunction(() => !document.getElementById('main')?.hasAttribute('aria-busy'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
      if (path.startsWith('#/story')) await shot(page, 'story-390.png');
      if (path === '#/') await shot(page, 'stories-390.png');
      await page.context().close();
    }
  });

  it('logged no script errors', () => {
    expect(errors).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine/engine.js';
import { openEngine } from '../src/engine/pipeline.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { Poller } from '../src/sources/poller.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from './helpers/browser.js';
import { REPO } from './helpers/paths.js';
import { type FeedServer, type Handler, articlePage, conditional, fixtureArticles, rss2, startFeedServer } from './helpers/feed-server.js';

// The Sources page in real Chromium, served from the build (`npm run build` after UI changes).
const dir = mkdtempSync(join(tmpdir(), 'parallax-ui-sources-'));
const TOKEN = 'ui-token';
const EVIL = '<img src=x onerror="window.__pwned = 1">Evil & "Co"';
const articles = fixtureArticles();
const routes = new Map<string, Handler>();
let feeds: FeedServer;
let engine: Engine;
let server: RunningServer;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  feeds = await startFeedServer(routes);
  for (const a of articles) routes.set(`/articles/${a.n}.html`, (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end(articlePage(a, 'Herald')));
  routes.set(
    '/rss.xml',
    conditional(() => rss2(feeds.base, articles.slice(0, 4), { title: `Herald ${EVIL}`, summaries: true }), 'application/rss+xml', '"v"', null),
  );
  routes.set(
    '/other.xml',
    conditional(() => rss2(feeds.base, articles.slice(4, 5), { title: 'Other Desk', summaries: false }), 'application/rss+xml', null, null),
  );
  routes.set('/down.xml', (_q, r) => r.writeHead(503, { 'retry-after': '600' }).end());
  engine = openEngine(SqliteStore.open({ path: join(dir, 'ui.db') }));
  const repo = engine.store.sources;
  for (const p of ['/rss.xml', '/down.xml']) {
    await repo.add({ url: `${feeds.base}${p}`, siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 1800, allowPrivate: true, follow: 'auto', addedAt: new Date().toISOString() });
  }
  await new Poller({ engine, repo, hostDelayMs: 0 }).pollAll(await repo.list());
  server = await listen(createApp({ engine, writeToken: TOKEN, allowPrivate: true, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close(200);
  await engine?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${server.url}/#/sources`);
  await page.waitForSelector('table.feed-sources tbody tr');
  return page;
}

describe('Sources page in chromium', () => {
  it("shows each source's health: last fetch, status, errors, articles per day as bars", async () => {
    const page = await open();
    expect(await page.locator('h1').textContent()).toBe('Sources');
    expect(await page.locator('header nav a[aria-current="true"]').textContent()).toBe('Sources');
    const rows = page.locator('table.feed-sources tbody tr[data-source]');
    expect(await rows.count()).toBe(2);
    const good = rows.nth(0);
    // a hostile feed title is shown as text
    expect(await good.locator('.title').textContent()).toBe(`Herald ${EVIL}`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await good.locator('td.status').textContent()).toBe('200');
    expect(await good.locator('.health').textContent()).toBe('ok');
    expect(await good.locator('td.num').textContent()).toBe('4');
    // 14 days, today's bar full height with its count in the tooltip
    const bars = good.locator('svg.per-day rect');
    expect(await bars.count()).toBe(14);
    expect(await bars.nth(13).getAttribute('class')).toBe('bar');
    expect(await bars.nth(13).getAttribute('height')).toBe('24');
    expect(await bars.nth(13).locator('title').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}: 4 articles$/);
    expect(await bars.nth(0).getAttribute('class')).toBe('bar-empty');
    const bad = rows.nth(1);
    expect(await bad.locator('td.status').textContent()).toBe('503');
    expect(await bad.locator('.health').textContent()).toBe('1 failure');
    expect(await page.locator('tr.source-error').textContent()).toBe('Last error: HTTP 503');
    expect(await page.locator('main p.muted').first().textContent()).toContain('2 sources, 1 failing');
    // to the temporary directory; UPDATE_SCREENSHOTS=1 refreshes the one in docs/screenshots
    await page.screenshot({ path: process.env['UPDATE_SCREENSHOTS'] ? join(REPO, 'docs/screenshots/sources.png') : join(dir, 'sources.png'), fullPage: true });
    await page.close();
  });

  it('adds a source through the form (with the token) and shows it; a wrong token is reported', async () => {
    const page = await open();
    await page.fill('#source-url', `${feeds.base}/other.xml`);
    await page.fill('#source-token', 'wrong');
    await page.click('.source-form button[type=submit]');
    await page.waitForSelector('.form-status.error');
    expect(await page.locator('.form-status').textContent()).toContain('writes need a bearer token');
    await page.fill('#source-token', TOKEN);
    await page.selectOption('#source-interval', '1h');
    // a loopback feed without the box ticked is refused, and the reason shown
    await page.click('.source-form button[type=submit]');
    await page.waitForFunction(() => /refused/.test(document.querySelector('.form-status')?.textContent ?? ''));
    await page.check('#source-private');
    await page.click('.source-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('table.feed-sources tbody tr[data-source]').length === 3);
    expect(await page.locator('.form-status').textContent()).toBe('Added source 3: Other Desk.');
    const row = page.locator('table.feed-sources tbody tr[data-source="3"]');
    expect(await row.locator('td').nth(3).textContent()).toBe('1 h');
    expect(await row.locator('.health').textContent()).toBe('not polled yet');
    await page.close();
    expect(errors).toEqual([]);
  });
});

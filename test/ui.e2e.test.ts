import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStage } from '../src/stages/cluster.js';
import { DedupStage } from '../src/stages/dedup.js';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from './helpers/browser.js';
import { EXAMPLES, REPO, SEED_A, SEED_B } from './helpers/paths.js';

// The UI is served from the build (npm ci runs it; `npm run build` after UI changes).
const dir = mkdtempSync(join(tmpdir(), 'parallax-ui-'));
let engine: Engine;
let server: RunningServer;
let browser: Browser;
const errors: string[] = [];

// Screenshots go to the temporary directory, so a test run leaves the checkout clean (this
// store holds a hostile test article); the README's come from real news: `npm run screenshots`.
const SHOTS = join(dir, 'screenshots');

const EVIL = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> "quoted" & <b>bold</b>`;

beforeAll(async () => {
  engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'ui.db') }), stages: [new DedupStage(), new ClusterStage()] });
  const evil = join(dir, 'evil.jsonl');
  writeFileSync(
    evil,
    `${JSON.stringify({ id: 'evil', url: 'https://evil.example/x"><script>alert(1)</script>', title: `Hostile ${EVIL}`, outlet: `Outlet ${EVIL}`, text: `An article ${EVIL} about nothing in particular, written to test escaping.\n${EVIL} second line.` })}\n`,
  );
  await engine.ingest([SEED_A, SEED_B, EXAMPLES, evil]);
  server = await listen(createApp({ engine, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close(200);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.url}/${path}`);
  return page;
}

describe('web UI in chromium', () => {
  it('is built and served by the same process', async () => {
    expect(existsSync(join(REPO, 'dist/ui/app/main.js'))).toBe(true);
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<script type="module" src="/assets/app/main.js">');
  });

  it('lists stories with coverage bars, sorted on request, and screenshots it', async () => {
    const page = await open('#/');
    await page.waitForSelector('.story-row');
    const rows = await page.$$eval('.story-row', (els) => els.length);
    expect(rows).toBeGreaterThan(3);
    expect(await page.$$eval('.story-row svg.coverage', (els) => els.length)).toBe(rows);
    await page.getByRole('button', { name: 'Largest' }).click();
    await page.waitForFunction(() => document.querySelector('button[aria-pressed="true"]')?.textContent === 'Largest');
    mkdirSync(SHOTS, { recursive: true });
    const shot = await page.screenshot({ path: join(SHOTS, 'story-list.png'), fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    await page.close();
  });

  it('opens the seed-pair story: both sources side by side, aligned sentences highlighted on hover, figures table', async () => {
    const page = await open('#/');
    await page.waitForSelector('.story-row');
    await page.getByRole('link', { name: /^Gaza truce talks were underway in Paris Friday/ }).click();
    await page.waitForSelector('#sources .column');
    const columns = await page.$$eval('#sources .column', (els) => els.map((e) => e.querySelector('h3')?.textContent ?? ''));
    expect(columns).toHaveLength(2);
    expect(columns.join(' ')).toContain('Gulf Times');
    expect(columns.join(' ')).toContain('Reuters');
    // the paraphrased "Mediators have ramped up / intensified efforts" sentences are one fact
    const ramped = page.locator('.sent', { hasText: 'Mediators have ramped up efforts' });
    const fact = await ramped.getAttribute('data-fact');
    expect(fact).not.toBeNull();
    const partner = page.locator(`.sent[data-fact="${fact}"]`, { hasText: 'Mediators have intensified efforts' });
    expect(await partner.count()).toBe(1);
    await ramped.hover();
    await expect.poll(() => partner.getAttribute('class')).toContain('hi');
    // unique content is marked per source
    expect(await page.locator('.sent.unique', { hasText: 'Deir Al-Balah' }).count()).toBe(1);
    expect(await page.locator('.sent.unique', { hasText: 'Abbas Kamel' }).count()).toBe(1);
    // the shared quote with its speaker, and the figures table
    expect(await page.textContent('.quotes')).toContain('the Hamas official');
    await page.locator('#figures').scrollIntoViewIfNeeded();
    expect(await page.locator('#figures').isVisible()).toBe(true);
    const figures = await page.textContent('#figures');
    expect(figures).toContain('29,514');
    expect(figures).toContain('the Gaza health ministry');
    await page.evaluate(() => window.scrollTo(0, 0));
    await ramped.hover();
    expect((await page.screenshot({ path: join(SHOTS, 'story-page.png') })).length).toBeGreaterThan(10_000);
    await page.close();
  });

  it('shows an article with metadata evidence and sentences, keyboard reachable', async () => {
    const page = await open('#/articles');
    await page.waitForSelector('.article-row');
    await page
      .getByRole('link', { name: /000_45cd25e784dd85d6|Gaza truce talks/ })
      .first()
      .click();
    await page.waitForSelector('.meta-table');
    const text = await page.textContent('.meta-table');
    expect(text).toContain('Gulf Times');
    expect(text).toContain('header: date 2024-02-23 (MENAFN- Gulf Times)');
    expect(await page.$$eval('ol.sentences li', (els) => els.length)).toBe(15);
    // keyboard: the skip link is the first stop of a page opened afresh (after a link inside
    // the app, focus moves to the new page's heading instead)
    await page.reload();
    await page.waitForSelector('.meta-table');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.close();
  });

  it('searches', async () => {
    const page = await open('#/search');
    await page.getByLabel('search words').fill('Haniyeh');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForSelector('.article-row');
    expect(await page.$$eval('.article-row', (els) => els.length)).toBe(2);
    await page.close();
  });

  it('escapes hostile article text everywhere: nothing runs, markup shows as text', async () => {
    const list = await engine.store.listArticles({ limit: 100 });
    const evil = list.items.find((a) => a.externalId === 'evil')!;
    for (const path of [`#/article/${evil.id}`, '#/articles', '#/search?q=hostile', '#/']) {
      const page = await open(path);
      await page.waitForSelector('main h1');
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.$$eval('main script, main img, main b', (els) => els.length)).toBe(0);
      await page.close();
    }
    const page = await open(`#/article/${evil.id}`);
    await page.waitForSelector('ol.sentences');
    expect(await page.textContent('ol.sentences')).toContain('<script>window.__pwned = 1</script>');
    await page.close();
  });

  it('is readable at phone width', async () => {
    const page = await open('#/', 390);
    await page.waitForSelector('.story-row');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
  });

  it('logged no script errors', () => {
    expect(errors).toEqual([]);
  });
});

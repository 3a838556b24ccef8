/**
 * Regenerates the README's pictures (docs/screenshots/*.png) from real news: the bundled
 * examples (examples/articles, ECB+) and the seed pair (test/fixtures/seed-pair), ingested into
 * a temporary store, served by `parallax serve`'s app on loopback and photographed in Chromium
 * (playwright-core; CHROMIUM_PATH, default /usr/bin/chromium).
 *
 *   npm run screenshots        (builds the UI first)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../src/engine/pipeline.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from '../test/helpers/browser.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'docs/screenshots');
const INPUTS = [join(REPO, 'examples/articles'), join(REPO, 'test/fixtures/seed-pair/000_45cd25e784dd85d6.txt'), join(REPO, 'test/fixtures/seed-pair/004_1a5de46adba00c4e.txt')];

const dir = mkdtempSync(join(tmpdir(), 'parallax-screenshots-'));
const engine = openEngine(SqliteStore.open({ path: join(dir, 'screenshots.db') }));
const report = await engine.ingest(INPUTS);
if (report.failed.length > 0) throw new Error(`screenshots: could not read ${report.failed.map((f) => f.source).join(', ')}`);
const server = await listen(createApp({ engine, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
const browser = await launchChromium();
const errors: string[] = [];
try {
  mkdirSync(OUT, { recursive: true });
  const open = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/${path}`);
    return page;
  };

  const list = await open('#/');
  await list.waitForSelector('.story-row');
  await list.getByRole('button', { name: 'Largest' }).click();
  await list.waitForFunction(() => document.querySelector('button[aria-pressed="true"]')?.textContent === 'Largest');
  await list.screenshot({ path: join(OUT, 'story-list.png'), fullPage: true });
  const rows = await list.$$eval('.story-row', (els) => els.length);
  await list.close();

  // the seed pair's story, with a paraphrased sentence highlighted in both sources
  const story = await open('#/');
  await story.waitForSelector('.story-row');
  await story.getByRole('link', { name: /^Gaza truce talks/ }).click();
  await story.waitForSelector('#sources .column');
  const sentence = story.locator('.sent', { hasText: 'Mediators have ramped up efforts' });
  // the page from its top (hovering first would scroll the sentence to the top of the window)
  await sentence.hover();
  await story.evaluate(() => window.scrollTo(0, 0));
  await sentence.hover();
  await story.waitForSelector('.sent.hi');
  await story.screenshot({ path: join(OUT, 'story-page.png') });
  await story.close();

  if (errors.length > 0) throw new Error(`screenshots: the page reported errors: ${errors.join('; ')}`);
  console.log(`screenshots: ${report.new} articles, ${rows} stories; wrote docs/screenshots/story-list.png and story-page.png`);
} finally {
  await browser.close();
  await server.close(200);
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}

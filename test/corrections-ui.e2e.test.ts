import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/pipeline.js';
import type { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { SERVER_EXTENSIONS } from '../src/server/extensions.js';
import { listen, type RunningServer } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { launchChromium } from './helpers/browser.js';
import { draftFromRecord } from '../src/ingest/jsonl.js';

// The UI is served from the build (`npm run build` after UI changes).
const dir = mkdtempSync(join(tmpdir(), 'parallax-corrections-ui-'));
let engine: Engine;
let server: RunningServer;
let browser: Browser;
const EVIL = '<img src=x onerror="window.__pwned = 1">';
const art = (title: string, text: string, day: number) => ({ title, text, published: `2024-03-0${day}` });

beforeAll(async () => {
  engine = openEngine(SqliteStore.open({ path: join(dir, 'ui.db') }));
  await engine.ingestItems(
    [
      art('Fire destroys Marlow Mill in Dunmore', 'A fire destroyed the historic Marlow Mill in Dunmore on Tuesday night. Fire chief Elena Rusk said nobody was hurt.', 5),
      art(
        'Dunmore mill fire: investigators look for cause',
        'Investigators searched the ruins of the Marlow Mill in Dunmore on Wednesday. Fire chief Elena Rusk said the blaze started in the east wing.',
        6,
      ),
      art(
        `Harwick bakery next to Marlow Mill loses stock ${EVIL}`,
        'The Harwick family bakery beside the Marlow Mill in Dunmore lost its ovens. Owner Tobias Harwick said the insurer Greyfield Mutual would pay. Fire chief Elena Rusk said so.',
        7,
      ),
    ].map((a, i) => ({ ok: true as const, draft: draftFromRecord({ ...a, id: `t${i}` }, `articles.${i}`, '2024-03-10T00:00:00Z') })),
  );
  server = await listen(createApp({ engine, writeToken: 'tok', extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close(200);
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('corrections in the web UI (chromium)', () => {
  it('shows why each article is in the story, and moves one to a new story with the token', async () => {
    const stories = (await (await fetch(`${server.url}/api/v1/stories`)).json()) as { items: { id: string; size: number }[] };
    expect(stories.items.map((s) => s.size)).toEqual([3]);
    const id = stories.items[0]!.id;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/#/story/${id}`);
    await page.waitForSelector('#why tbody tr');
    expect(await page.$$eval('#why tbody tr', (els) => els.length)).toBe(3);
    const names = await page.$$eval('#why td.names', (els) => els.map((e) => e.textContent ?? ''));
    for (const n of names) expect(n).toContain('elena rusk');
    // the hostile title is text, not markup
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const row = page.locator('#why tbody tr', { hasText: 'Harwick' });
    const article = await row.getAttribute('data-article');
    // without the token the server refuses and the page says so
    await row.locator('input.pick').check();
    await page.getByRole('button', { name: 'Move selected to a new story' }).click();
    await page.waitForFunction(() => /failed/.test(document.getElementById('correction-status')?.textContent ?? ''));
    expect(await page.textContent('#correction-status')).toContain('bearer token');
    await page.fill('#correction-token', 'tok');
    await page.getByRole('button', { name: 'Move selected to a new story' }).click();
    await page.waitForFunction((old) => !location.hash.includes(old), id);
    // the old story's table stays until the new story's page has loaded: wait for the new one
    // (a story of one article) instead of reading whichever is there
    await page.waitForFunction(() => document.querySelectorAll('#why tbody tr').length === 1);
    expect(await page.$$eval('#why tbody tr', (els) => els.map((e) => e.getAttribute('data-article')))).toEqual([article]);
    expect(await page.textContent('#why tbody tr')).toContain('moved to a new story');
    const after = (await (await fetch(`${server.url}/api/v1/stories`)).json()) as { items: { size: number }[] };
    expect(after.items.map((s) => s.size).sort()).toEqual([1, 2]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, REPO, SEED_A, SEED_B } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The npm packages a run of Node loaded, by name (from test/helpers/loaded-modules.mjs). */
let runs = 0;
async function packagesLoaded(args: string[]): Promise<{ code: number | null; packages: Set<string> }> {
  const list = join(dir, `loaded-${runs++}.txt`);
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(REPO, 'test/helpers/loaded-modules.mjs'), ...args], {
    cwd: REPO,
    stdio: 'ignore',
    env: { ...process.env, PARALLAX_LOADED_LIST: list },
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const packages = new Set<string>();
  for (const m of readFileSync(list, 'utf8').matchAll(/^.*?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) packages.add(m[1]!);
  return { code, packages };
}

const CLI = join(REPO, 'test/helpers/cli-entry.ts');
// what only HTML pages, feeds, URLs, legacy encodings, the server and the progress bar need
const HEAVY = ['jsdom', '@mozilla/readability', '@rowanmanning/feed-parser', 'fast-xml-parser', 'undici', 'ipaddr.js', 'chardet', 'iconv-lite', 'hono', '@hono/node-server', 'cli-progress', 'tldts'];

describe('start-up loads only what the command needs', () => {
  it('--help and the library load none of the heavy packages', async () => {
    const help = await packagesLoaded([CLI, '--help']);
    expect(help.code).toBe(0);
    expect(help.packages.has('commander')).toBe(true);
    // nor the store, the schemas or language detection: commands load their implementation when they run
    for (const p of [...HEAVY, 'chrono-node', 'better-sqlite3', 'zod', 'franc-min', 'pg', 'nats']) expect(help.packages.has(p), p).toBe(false);
    const lib = await packagesLoaded(['--input-type=module', '-e', `await import(${JSON.stringify(join(REPO, 'src/index.ts'))});`]);
    expect(lib.code).toBe(0);
    expect(lib.packages.has('better-sqlite3')).toBe(true);
    for (const p of [...HEAVY, 'chrono-node', 'commander', 'pg', 'nats']) expect(lib.packages.has(p), p).toBe(false);
  });

  it('comparing two text files loads no HTML, feed, network or server code; an HTML page loads jsdom and Readability', async () => {
    const text = await packagesLoaded([CLI, 'compare', SEED_A, SEED_B]);
    expect(text.code).toBe(0);
    for (const p of HEAVY) expect(text.packages.has(p), p).toBe(false);
    const html = await packagesLoaded([CLI, 'compare', SEED_A, join(FIXTURES, 'html/article-full.html')]);
    expect(html.code).toBe(0);
    expect(html.packages.has('jsdom')).toBe(true);
    expect(html.packages.has('@mozilla/readability')).toBe(true);
    for (const p of ['undici', 'hono', '@rowanmanning/feed-parser']) expect(html.packages.has(p), p).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareItems, type PreparedItem } from '../src/engine/prepare.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { readInputs, type InputItem } from '../src/ingest/read.js';
import { isParallaxError } from '../src/errors.js';
import { ECBPLUS, REPO } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';

/**
 * Preparation in worker threads (engine/prepare.ts) must be invisible in the results: the
 * same articles, features and failures in the same order as in the main thread, and the same
 * stories from `cluster` and `ingest` for any number of workers.
 */
const dir = mkdtempSync(join(tmpdir(), 'parallax-prepare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = readFileSync(ECBPLUS, 'utf8').trim().split('\n').slice(0, 400);
const input = join(dir, 'ecb400.jsonl');
// real articles, with a line that is not JSON and one without text among them (failed inputs)
writeFileSync(input, `${[...lines.slice(0, 150), '{not json', ...lines.slice(150, 300), '{"id": "empty", "text": "   "}', ...lines.slice(300)].join('\n')}\n`);

async function collect(items: AsyncIterable<InputItem> | Iterable<InputItem>, workers: number, chunk?: number): Promise<PreparedItem[]> {
  const out: PreparedItem[] = [];
  for await (const x of prepareItems(items, { workers, wants: { lean: false, features: true, print: null }, ...(chunk ? { chunk } : {}) })) out.push(x);
  return out;
}

function plain(items: PreparedItem[]): unknown[] {
  return items.map((x) =>
    x.ok
      ? { article: x.prepared.article, features: x.prepared.analysis.features, bytes: x.bytes }
      : { source: x.source, code: isParallaxError(x.error) ? x.error.code : 'not a ParallaxError', message: (x.error as Error).message },
  );
}

describe('preparation in worker threads', () => {
  it('extracts HTML pages where articles are built (deferHtml), in workers or not, to the same articles and failures', async () => {
    // the HTML fixtures (one without an article, one broken), the examples' page, and a file
    // that says it is HTML but is not
    const pages = join(dir, 'pages');
    const { cpSync, mkdirSync } = await import('node:fs');
    mkdirSync(pages, { recursive: true });
    cpSync(join(REPO, 'test/fixtures/html'), pages, { recursive: true });
    cpSync(join(REPO, 'examples/articles/20_3ecbplus.html'), join(pages, 'example.html'));
    writeFileSync(join(pages, 'not-really.html'), 'plain words and no markup at all, '.repeat(20));
    // nested 3,000 deep: refused at once, in a worker as in this thread (Readability would take
    // minutes, and a worker's larger stack no longer cuts it short)
    writeFileSync(join(pages, 'deep.html'), `<!doctype html><html><body>${'<div>'.repeat(3000)}<p>${'Deep text. '.repeat(30)}</p>${'</div>'.repeat(3000)}</body></html>`);
    const now = () => new Date('2026-11-26T00:00:00.000Z');
    const read = async (deferHtml: boolean): Promise<InputItem[]> => {
      const out: InputItem[] = [];
      for await (const x of readInputs([pages], { now, deferHtml })) out.push(x);
      return out;
    };
    const eager = await read(false);
    const deferred = await read(true);
    expect(deferred.some((x) => x.ok && x.draft.pendingHtml !== undefined)).toBe(true);
    expect(eager.every((x) => !x.ok || x.draft.pendingHtml === undefined)).toBe(true);
    const expected = plain(await collect(eager, 0));
    expect(expected.filter((x) => 'article' in (x as object)).length).toBeGreaterThanOrEqual(3);
    expect(expected.filter((x) => 'code' in (x as object)).length).toBeGreaterThanOrEqual(3);
    expect(expected).toContainEqual({ source: join(pages, 'deep.html'), code: 'BROKEN_HTML', message: `ingest: ${join(pages, 'deep.html')} nests elements more than 256 levels deep; not read` });
    for (const workers of [0, 1]) expect(plain(await collect(deferred, workers)), `workers ${workers}`).toEqual(expected);
  });

  it('lets the process exit when a caller abandons the stream without closing it', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/fixtures/abandon-prepare.ts'), input], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toBe('one\n');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);

  it('gives the same articles, features and failures, in input order, as the main thread', async () => {
    // read once: a read stamps fetchedAt, which would differ between two reads
    const read: InputItem[] = [];
    for await (const x of readInputs([input])) read.push(x);
    const here = await collect(read, 0);
    expect(here.length).toBe(402);
    expect(here.filter((x) => !x.ok).length).toBe(2);
    expect(here.filter((x) => x.ok && x.prepared.analysis.features && x.prepared.analysis.features.words.size > 0).length).toBe(400);
    const expected = plain(here);
    // two workers, small chunks (many messages, out-of-order replies), and one worker
    expect(plain(await collect(read, 2, 7))).toEqual(expected);
    expect(plain(await collect(read, 1))).toEqual(expected);
  }, 60_000);

  it('carries a failed build across the thread as the catalogue error, with its file named', async () => {
    const items: InputItem[] = [
      { ok: true, draft: emptyDraft('a.txt', 'Fire crews fought a blaze at a warehouse in Leeds on Monday night.') },
      { ok: true, draft: emptyDraft('b.txt', '   \n  ') },
      { ok: true, draft: emptyDraft('c.txt', 'x'.repeat(2_000_001)) },
    ];
    const out = await collect(items, 1);
    expect(out.map((x) => x.ok)).toEqual([true, false, false]);
    const [, empty, huge] = out as [PreparedItem, Extract<PreparedItem, { ok: false }>, Extract<PreparedItem, { ok: false }>];
    expect(isParallaxError(empty.error) && empty.error.code).toBe('EMPTY_INPUT');
    expect((empty.error as Error).message).toContain('b.txt');
    expect(isParallaxError(huge.error) && huge.error.code).toBe('TOO_LARGE');
    expect(huge.source).toBe('c.txt');
  }, 60_000);

  it('stops its workers when the caller stops reading', async () => {
    const gen = prepareItems(readInputs([input]), { workers: 1, wants: { lean: false, features: false, print: null }, chunk: 16 });
    const first = await gen.next();
    expect(first.done).toBe(false);
    // return() runs the generator's finally: the workers are terminated, the process can exit
    expect((await gen.return(undefined)).done).toBe(true);
  }, 60_000);

  it('raises a source error after the items read before it, as in this thread', async () => {
    const read: InputItem[] = [];
    for await (const x of readInputs([input])) read.push(x);
    async function* breaking(): AsyncGenerator<InputItem> {
      for (let i = 0; i < 150; i++) {
        if (i === 70) throw new Error('the upload broke');
        yield read[i]!;
      }
    }
    for (const workers of [0, 1, 2]) {
      const got: PreparedItem[] = [];
      await expect(
        (async () => {
          for await (const x of prepareItems(breaking(), { workers, wants: { lean: false, features: false, print: null }, chunk: 16 })) got.push(x);
        })(),
      ).rejects.toThrow('the upload broke');
      expect(got.length).toBe(70);
    }
  }, 60_000);

  it('fails, instead of ending early or hanging, when a worker dies or cannot start', async () => {
    const read: InputItem[] = [];
    for await (const x of readInputs([input])) read.push(x);
    async function* slow(): AsyncGenerator<InputItem> {
      for (const x of read.slice(0, 120)) {
        await new Promise((r) => setTimeout(r, 2));
        yield x;
      }
    }
    const drain = async (script: URL): Promise<number> => {
      let n = 0;
      for await (const _ of prepareItems(slow(), { workers: 1, wants: { lean: false, features: false, print: null }, chunk: 8, workerScript: script })) n++;
      return n;
    };
    // answers its first chunk, then exits while idle
    await expect(drain(new URL('./fixtures/exiting-worker.mjs', import.meta.url))).rejects.toThrow(/exited unexpectedly/);
    // a script that does not exist
    await expect(drain(new URL('./fixtures/no-such-worker.mjs', import.meta.url))).rejects.toThrow();
  }, 60_000);

  it('parallax cluster prints the same stories with 0, 1 and 2 workers', async () => {
    const runs = await Promise.all([0, 1, 2].map((w) => runCli(['cluster', input, '--workers', String(w)])));
    for (const r of runs) {
      expect(r.code).toBe(1); // two failed lines, named on stderr
      expect(r.err).toContain(`${input}:151`);
    }
    const stories = runs[0]!.out.trim().split('\n');
    expect(stories.length).toBe(400);
    expect(new Set(stories.map((l) => JSON.parse(l).story)).size).toBeGreaterThan(25);
    expect(runs[1]!.out).toBe(runs[0]!.out);
    expect(runs[2]!.out).toBe(runs[0]!.out);
    const bad = await runCli(['cluster', input, '--workers', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--workers');
  }, 120_000);

  it('chooses workers by input: none for small inputs, one per spare core, one per core for mostly HTML pages', async () => {
    const { workersFor } = await import('../src/cli/workers.js');
    const { availableParallelism } = await import('node:os');
    const { defaultWorkers } = await import('../src/engine/prepare.js');
    const { mkdirSync } = await import('node:fs');
    const html = join(dir, 'choose-html');
    const text = join(dir, 'choose-text');
    const crawl = join(dir, 'choose-crawl');
    mkdirSync(html, { recursive: true });
    mkdirSync(text, { recursive: true });
    mkdirSync(crawl, { recursive: true });
    const page = `<!doctype html><html><body><article><p>${'A paragraph of the report. '.repeat(4000)}</p></article></body></html>`;
    for (let i = 0; i < 12; i++) writeFileSync(join(html, `p${i}.html`), page);
    writeFileSync(join(html, 'notes.txt'), 'small');
    for (let i = 0; i < 12; i++) writeFileSync(join(text, `t${i}.txt`), `${'A paragraph of the report. '.repeat(4000)}\n`);
    // pages saved without an extension, or as .txt, are read as pages (by content): so counted
    for (let i = 0; i < 12; i++) writeFileSync(join(crawl, i % 2 ? `page-${i}` : `page-${i}.txt`), page);
    expect(await workersFor([join(html, 'notes.txt')], undefined)).toBe(0);
    // the choice between pages and other inputs is made on the first inputs the pipeline reads
    const choice = { pages: Math.max(1, availableParallelism()), other: defaultWorkers() };
    for (const d of [html, crawl, text]) expect(await workersFor([d], undefined)).toEqual(choice);
    const { chooseWorkers } = await import('../src/engine/prepare.js');
    const chosen = async (d: string): Promise<number> => {
      const c = await chooseWorkers(readInputs([d], { deferHtml: true }), choice);
      let n = 0;
      for await (const _ of c.items) n++;
      expect(n).toBe(d === html ? 13 : 12);
      return c.workers;
    };
    expect(await chosen(html)).toBe(choice.pages);
    expect(await chosen(crawl)).toBe(choice.pages);
    expect(await chosen(text)).toBe(choice.other);
    expect((await chooseWorkers([], 3)).workers).toBe(3);
    // past the first 1,000 files, the share seen so far stands for the rest
    const { inputSizes } = await import('../src/ingest/read.js');
    const many = join(dir, 'choose-many');
    mkdirSync(many, { recursive: true });
    for (let i = 0; i < 1100; i++) writeFileSync(join(many, `f${String(i).padStart(4, '0')}`), i % 4 === 0 ? '<html><body><p>A page.</p></body></html>' : 'Plain text, no markup at all.');
    const sizes = await inputSizes([many]);
    expect(sizes.bytes).toBe(275 * 40 + 825 * 29);
    expect(sizes.htmlBytes / sizes.bytes).toBeCloseTo((275 * 40) / (275 * 40 + 825 * 29), 2);
    // the size alone (a progress bar) opens no file
    expect(await inputSizes([many], { sniff: false })).toEqual({ bytes: sizes.bytes, htmlBytes: 0 });
    expect(await workersFor([html], '0')).toBe(0);
    expect(await workersFor([html], '2')).toBe(2);
    for (const bad of ['1e1', '0x2', '-1', '65', '1.5', '']) await expect(workersFor([html], bad), bad).rejects.toMatchObject({ code: 'USAGE' });
    for (const bad of ['1e1', '0x10', '0', '2.5']) {
      const r = await runCli(['ingest', html, '--db', join(dir, 'never.db'), '--batch-size', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toContain('--batch-size');
    }
  });

  it('ingest stores the same articles and stories with and without workers', async () => {
    const dump = (db: string): unknown => {
      const d = new Database(db, { readonly: true });
      const out = {
        articles: d.prepare('SELECT seq, id, content_hash FROM articles ORDER BY seq').all(),
        members: d.prepare('SELECT article_id, story_id, similarity FROM story_members ORDER BY article_id').all(),
        stories: d.prepare('SELECT id, label, size FROM stories ORDER BY id').all(),
        links: d.prepare('SELECT a, b, class, jaccard FROM reuse_links ORDER BY a, b').all(),
      };
      d.close();
      return out;
    };
    const a = join(dir, 'w0.db');
    const b = join(dir, 'w1.db');
    expect((await runCli(['ingest', input, '--db', a, '--workers', '0', '--batch-size', '64'])).code).toBe(1);
    expect((await runCli(['ingest', input, '--db', b, '--workers', '1', '--batch-size', '64'])).code).toBe(1);
    const da = dump(a) as { articles: unknown[]; members: unknown[] };
    // three ECB+ lines at one URL are three reports sharing no text: three articles, 400 stored
    expect(da.articles.length).toBe(400);
    expect(da.members.length).toBe(400);
    expect(dump(b)).toEqual(da);
  }, 120_000);
});

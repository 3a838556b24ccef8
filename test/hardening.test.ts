import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { isParallaxError } from '../src/errors.js';
import { buildArticle } from '../src/ingest/build.js';
import { decodeBytes } from '../src/ingest/decode.js';
import { emptyDraft } from '../src/ingest/draft.js';
import { fetchUrl, isPublicAddress } from '../src/ingest/fetch.js';
import { readHtml } from '../src/ingest/html.js';
import { markupDepthOver } from '../src/ingest/markup-depth.js';
import { type InputItem, inputSizes, readInputs } from '../src/ingest/read.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROSE = [
  'The harbour authority said on Tuesday that the ferry had run aground in thick fog off the northern coast.',
  'All forty passengers were taken ashore by lifeboat, and two crew members were treated for minor injuries.',
  'Investigators will examine the vessel once the tide allows, a spokeswoman for the coastguard added.',
].join(' ');

const prose = (n: number): string => `${PROSE} Report number ${n} of the series, filed from port ${n}.`;

async function collect(items: AsyncIterable<InputItem>): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const codeOf = (item: InputItem): string | null => (item.ok ? null : isParallaxError(item.error) ? item.error.code : 'INTERNAL');

const TOKEN = 'a-token-of-some-length';
/** No lone surrogate (with the u flag a pair is one code point, not two of category Cs). */
const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

describe('the API never reads the local disk', () => {
  it('refuses every URL that is not http(s), with URL_REFUSED, and stores nothing', async () => {
    const secret = join(dir, 'secret-notes.txt');
    writeFileSync(secret, `${PROSE} zanzibarquartz is the password.`);
    const secretDir = join(dir, 'secret-dir');
    mkdirSync(secretDir);
    writeFileSync(join(secretDir, 'a.txt'), prose(1));
    const up = '../'.repeat(12);
    const urls = [`x:${up}${secret.slice(1)}`, `a:${up}${secretDir.slice(1)}`, `file://${secret}`, `file:${secret}`, `javascript:alert(1)`, `data:text/plain,${encodeURIComponent(PROSE)}`];
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const app = createApp({ engine, writeToken: TOKEN, ui: false });
    const r = await app.request('/api/v1/ingest', { method: 'POST', body: JSON.stringify({ urls }), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
    const body = (await r.json()) as { new: number; failed: { source: string; code: string; message: string }[] };
    expect(body.new).toBe(0);
    expect(body.failed.map((f) => f.code)).toEqual(urls.map(() => 'URL_REFUSED'));
    expect(body.failed.every((f) => /only http and https URLs are fetched/.test(f.message))).toBe(true);
    const search = await app.request('/api/v1/search?q=zanzibarquartz');
    expect(((await search.json()) as { items: unknown[] }).items).toEqual([]);
    await engine.close();
  });
});

describe('the address filter', () => {
  it('refuses IPv6 forms that embed or stand for local addresses', async () => {
    for (const a of ['::127.0.0.1', '::7f00:1', '::ffff:127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '::1', '::', 'fc00::1', 'fe80::1', '100::1']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    for (const url of ['http://[::127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:0:127.0.0.1]:8080/x']) {
      await expect(fetchUrl(url)).rejects.toMatchObject({ code: 'URL_REFUSED' });
    }
  });
});

describe('inputs that never end', () => {
  it('refuses a FIFO at once, in the reader and in the worker-count sniff, naming it', async () => {
    const fifo = join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    try {
      const t0 = performance.now();
      const sizes = await inputSizes([fifo]);
      expect(sizes.htmlBytes).toBe(0);
      const items = await collect(readInputs([fifo]));
      expect(items).toHaveLength(1);
      expect(codeOf(items[0]!)).toBe('UNSUPPORTED_TYPE');
      expect(!items[0]!.ok && items[0]!.error.message).toMatch(/pipe\.txt is a FIFO \(named pipe\); only regular files are read/);
      const r = await runCli(['ingest', fifo, '--db', join(dir, 'fifo.db')]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/pipe\.txt is a FIFO/);
      expect(performance.now() - t0).toBeLessThan(10_000);
    } finally {
      // a reader that old code left blocked in open() is released by a writer appearing
      await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then(
        (fh) => fh.close(),
        () => undefined,
      );
    }
  }, 20_000);
});

describe('deep markup is refused before it is parsed', () => {
  const deep = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
  it('a page of 100,000 nested divs: BROKEN_HTML in well under a second', () => {
    const t0 = performance.now();
    expect(() => readHtml(`<!doctype html><html><body>${deep}</body></html>`, { source: 'deep.html', url: null, fetchedAt: 'x' })).toThrow(/deep\.html nests elements more than 256 levels deep/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('in a feed item it costs that item only; in a JSON Lines html field, that line only', async () => {
    const escaped = deep.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Coast News</title>
<item><title>Deep</title><description>${escaped}</description></item>
<item><title>Ferry</title><description>${prose(1)}</description></item></channel></rss>`;
    writeFileSync(join(dir, 'deep.rss'), feed);
    writeFileSync(join(dir, 'deep.jsonl'), `${JSON.stringify({ html: deep })}\n${JSON.stringify({ text: prose(2) })}\n`);
    const t0 = performance.now();
    const items = await collect(readInputs([join(dir, 'deep.rss'), join(dir, 'deep.jsonl')]));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(items.filter((i) => i.ok)).toHaveLength(2);
    expect(items.filter((i) => !i.ok).map((i) => [!i.ok && i.source, codeOf(i)])).toEqual([
      [`${join(dir, 'deep.rss')}#item-1`, 'BROKEN_HTML'],
      [`${join(dir, 'deep.jsonl')}:1`, 'BROKEN_HTML'],
    ]);
  });
  it('counts depth as a parser does: unclosed paragraphs, list items and cells stay flat', () => {
    const flat = `${'<p>para '.repeat(3000)}<ul>${'<li>item'.repeat(3000)}</ul><table>${'<tr><td>a<td>b'.repeat(2000)}</table>${'<br><img src=x><br/>'.repeat(1000)}<script>${'<div>'.repeat(1000)}</script>`;
    expect(markupDepthOver(flat, 256)).toBe(false);
    expect(markupDepthOver('<div/>'.repeat(300), 256)).toBe(true); // an HTML parser ignores the slash
    expect(markupDepthOver(`<svg>${'<g/>'.repeat(300)}</svg>`, 256)).toBe(false);
    expect(markupDepthOver(`${'<span></b>'.repeat(300)}`, 256)).toBe(true); // an end tag of nothing open closes nothing
  });
});

describe('unexpected exceptions are internal errors', () => {
  it('a bug while reading a file is INTERNAL, not a missing path', async () => {
    writeFileSync(join(dir, 'plain.txt'), prose(3));
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const report = await engine.ingest([join(dir, 'plain.txt')], {
      read: {
        now: () => {
          throw new TypeError('the clock is broken');
        },
      },
    });
    expect(report.failed).toEqual([expect.objectContaining({ code: 'INTERNAL', message: 'the clock is broken' })]);
    await engine.close();
  });
});

describe('JSON Lines with damaged lines', () => {
  it('a NUL byte in the first line costs that line, not the file', async () => {
    const lines = [`{"text": "bad\u0000line"}`, ...Array.from({ length: 10 }, (_, i) => JSON.stringify({ text: prose(100 + i) }))];
    const path = join(dir, 'nul.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const items = await collect(readInputs([path]));
    expect(items.filter((i) => i.ok)).toHaveLength(10);
    expect(items.filter((i) => !i.ok).map((i) => !i.ok && i.source)).toEqual([`${path}:1`]);
    // without the extension too: content decides
    const bare = join(dir, 'nul-records');
    writeFileSync(bare, `${lines.join('\n')}\n`);
    expect((await collect(readInputs([bare]))).filter((i) => i.ok)).toHaveLength(10);
  });
  it('an uploaded JSON Lines file with a NUL or a stray byte in a later line loses that line only', async () => {
    const good = Array.from({ length: 6 }, (_, i) => Buffer.from(JSON.stringify({ id: `u${i}`, text: prose(200 + i) })));
    const bytes = Buffer.concat([
      good[0]!,
      Buffer.from('\n'),
      good[1]!,
      Buffer.from('\n{"text": "nul\u0000byte"}\n'),
      good[2]!,
      Buffer.from('\n'),
      Buffer.from([0x7b, 0x00, 0x00, 0x22, 0xff, 0x0a]),
      ...good.slice(3).flatMap((g) => [g, Buffer.from('\n')]),
    ]);
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const app = createApp({ engine, writeToken: TOKEN, ui: false });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'records.json');
    const r = await app.request('/api/v1/ingest', { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    const out = (await r.json()) as { new: number; failed: { source: string }[] };
    expect(out.new).toBe(6);
    expect(out.failed.map((f) => f.source)).toEqual(['upload:records.json:3', 'upload:records.json:5']);
    await engine.close();
  });
  it('a whitespace-only JSON Lines file and an empty directory are errors, exit 1', async () => {
    writeFileSync(join(dir, 'blank.jsonl'), '\n   \n\t\n');
    mkdirSync(join(dir, 'empty-dir'));
    mkdirSync(join(dir, 'hidden-only'));
    writeFileSync(join(dir, 'hidden-only', '.DS_Store'), 'x');
    const r = await runCli(['ingest', join(dir, 'blank.jsonl'), join(dir, 'empty-dir'), join(dir, 'hidden-only'), '--db', join(dir, 'blank.db')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/blank\.jsonl has no JSON Lines records \(only blank lines\)/);
    expect(r.out).toMatch(/directory .*empty-dir has no files to read/);
    expect(r.out).toMatch(/directory .*hidden-only has no files to read/);
  });
});

describe('decoding', () => {
  it('one stray byte in UTF-8 text is replaced where it is, and said so', async () => {
    const text = 'Le président a déclaré à l’AFP que la réforme serait votée. Les élus ont réagi.';
    const bytes = Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xe9]), Buffer.from(text.slice(20))]);
    const d = decodeBytes(bytes, 'f.txt');
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toMatch(/^Le président a décla\uFFFDré à l’AFP que la réforme serait votée\./);
    expect(d.text).toContain('\uFFFD');
    expect(d.warning).toMatch(/1 byte not valid UTF-8 \(first at offset \d+\) replaced with U\+FFFD/);
    const path = join(dir, 'stray.txt');
    writeFileSync(path, Buffer.concat([bytes, Buffer.from(` ${PROSE}`)]));
    const r = await runCli(['ingest', path, '--db', join(dir, 'stray.db')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`parallax: warning: ${path}: 1 byte not valid UTF-8`);
  });
  it('legacy single-byte text still reads as its encoding', () => {
    const d = decodeBytes(Buffer.from('Le pr\xe9sident a d\xe9clar\xe9 \xe0 l\x92AFP que la r\xe9forme serait vot\xe9e.', 'latin1'), 'f');
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toBe('Le président a déclaré à l’AFP que la réforme serait votée.');
    expect(d.warning).toBeUndefined();
  });
  it('UTF-16 without a byte-order mark, either order', () => {
    const le = decodeBytes(Buffer.from(PROSE, 'utf16le'), 'le.txt');
    expect(le.text).toBe(PROSE);
    expect(le.warning).toMatch(/no byte-order mark; read as UTF-16LE/);
    const be = Buffer.from(PROSE, 'utf16le').swap16();
    expect(decodeBytes(be, 'be.txt').text).toBe(PROSE);
  });
  it('random tiny binaries are not stored as articles', async () => {
    let seed = 19;
    const rnd = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const bin = join(dir, 'random-bins');
    mkdirSync(bin);
    for (let k = 0; k < 400; k++) {
      const n = 1 + Math.floor(rnd() * 64);
      writeFileSync(join(bin, `r${k}.dat`), Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256))));
    }
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const report = await engine.ingest([bin]);
    expect(report.failed.filter((f) => f.code === 'INTERNAL')).toEqual([]);
    expect(report.new).toBeLessThanOrEqual(4); // 1% (was 48 of 380)
    await engine.close();
  });
});

describe('stored text is valid Unicode', () => {
  it('lone surrogates become U+FFFD in every field', async () => {
    const a = buildArticle({
      ...emptyDraft('s', `${PROSE} broken \ud800 here and \udc00 there`, 'x'),
      title: { value: 'Title \ud83d', evidence: { source: 'jsonl', detail: 'title' } },
      externalId: 'id\udfff',
    });
    expect(wellFormed(a.text)).toBe(true);
    expect(a.text).toContain('broken \uFFFD here');
    expect(wellFormed(a.title!)).toBe(true);
    expect(wellFormed(a.externalId!)).toBe(true);
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const app = createApp({ engine, writeToken: TOKEN, ui: false });
    const r = await app.request('/api/v1/ingest', {
      method: 'POST',
      body: `{"articles":[{"text":"${PROSE} lone \\ud800 surrogate","title":"t\\udc00"}]}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    const out = (await r.json()) as { articles: { id: string }[] };
    const stored = await engine.store.getArticle(out.articles[0]!.id as never);
    expect(wellFormed(stored!.text) && wellFormed(stored!.title!)).toBe(true);
    await engine.close();
  });
});

describe('the server, against clients without the token', () => {
  it('a read token guards GET and HEAD alike (HEAD runs the GET handler)', async () => {
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const app = createApp({ engine, readToken: 'reader-secret', writeToken: TOKEN, ui: false });
    for (const method of ['GET', 'HEAD']) {
      expect((await app.request('/api/v1/articles', { method })).status, method).toBe(401);
      expect((await app.request('/api/v1/articles', { method, headers: { authorization: 'Bearer reader-secret' } })).status, method).toBe(200);
    }
    await engine.close();
  });
  it('answers 401 before reading the body: an endless upload is not waited for', async () => {
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const app = createApp({ engine, writeToken: TOKEN, ui: false });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled < 3) controller.enqueue(new Uint8Array(64 * 1024));
        // then never ends: a body read to the end would hang here
      },
    });
    const res = await Promise.race([
      app.request('/api/v1/ingest', { method: 'POST', body: endless, headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, duplex: 'half' }),
      new Promise<null>((r) => setTimeout(() => r(null), 3000)),
    ]);
    expect(res?.status).toBe(401);
    await engine.close();
  });
  it('a malformed chunked upload is a client error, not an unhandled one', async () => {
    const logs: Record<string, unknown>[] = [];
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const server = await listen(createApp({ engine, writeToken: TOKEN, ui: false, log: (e) => logs.push(e) }), { port: 0, host: '127.0.0.1' });
    try {
      await new Promise<void>((resolve) => {
        const sock = connect(server.port, '127.0.0.1', () => {
          sock.write(
            `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"art\r\nZZZZ\r\nnot a chunk\r\n\r\n`,
          );
        });
        sock.on('data', () => undefined);
        sock.on('error', () => resolve());
        sock.on('close', () => resolve());
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 3000);
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(logs.filter((l) => l['msg'] === 'unhandled error')).toEqual([]);
    } finally {
      await server.close(100);
      await engine.close();
    }
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, isPublicAddress } from '../src/ingest/fetch.js';
import { readInputs } from '../src/ingest/read.js';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.url} ${req.headers['user-agent']}`);
    const url = req.url ?? '/';
    if (url === '/article') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html><head><meta property="og:site_name" content="Local News"></head><body><article><h1>Quake</h1><p>An earthquake measuring 5.9 shook southern Iran on Sunday, flattening seven villages and killing several people, officials said.</p></article></body></html>',
      );
    } else if (url === '/empty-page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Nothing here</title></head><body><nav><a href="/">Home</a></nav></body></html>');
    } else if (url === '/redirect-empty') {
      res.writeHead(301, { location: '/empty-page' });
      res.end();
    } else if (url === '/to-other-host') {
      // the same server under another host name: another host for a politeness gate
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/article` });
      res.end();
    } else if (url === '/redirect') {
      res.writeHead(302, { location: '/article' });
      res.end();
    } else if (url.startsWith('/loop')) {
      res.writeHead(302, { location: `/loop${url.length}` });
      res.end();
    } else if (url === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    } else if (url === '/big-declared') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(5_000_000) });
      res.end('x'.repeat(5_000_000));
    } else if (url === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 50; i++) res.write('y'.repeat(100_000));
      res.end();
    } else if (url === '/slow') {
      setTimeout(() => res.end('late'), 3000);
    } else {
      res.writeHead(404);
      res.end('nope');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('isPublicAddress', () => {
  it('accepts public unicast only', () => {
    for (const ip of ['8.8.8.8', '151.101.1.69', '2a00:1450:4001:80b::200e']) expect(isPublicAddress(ip)).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fc00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
      '255.255.255.255',
      'not-an-ip',
    ])
      expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('fetchUrl', () => {
  it('refuses loopback, private, link-local and local names without connecting', async () => {
    const before = seen.length;
    const port = new URL(base).port;
    for (const url of [
      `http://127.0.0.1:${port}/article`,
      `http://localhost:${port}/article`,
      `http://[::1]:${port}/article`,
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://192.168.0.10/',
    ]) {
      await expect(fetchUrl(url)).rejects.toMatchObject({ code: 'URL_REFUSED' });
    }
    expect(seen.length).toBe(before);
  });
  it('refuses other schemes and credentials', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'data:text/plain,hi', 'javascript:alert(1)']) {
      await expect(fetchUrl(url)).rejects.toThrow(/only http and https URLs are fetched/);
    }
    await expect(fetchUrl('http://user:pw@example.com/')).rejects.toThrow(/credentials are refused/);
  });
  it('fetches with a clear User-Agent when private addresses are allowed', async () => {
    const r = await fetchUrl(`${base}/article`, { allowPrivate: true });
    expect(r.status).toBe(200);
    expect(Buffer.from(r.bytes).toString()).toContain('An earthquake measuring 5.9');
    expect(seen.at(-1)).toMatch(/^\/article Parallax\/0\.1 \(\+https:\/\/github\.com\/parallax-news\/parallax; news story engine\)$/);
  });
  it('follows redirects, up to the limit', async () => {
    expect((await fetchUrl(`${base}/redirect`, { allowPrivate: true })).url).toBe(`${base}/article`);
    await expect(fetchUrl(`${base}/loop`, { allowPrivate: true, maxRedirects: 3 })).rejects.toThrow(/more than 3 redirects/);
  });
  it("takes a turn at each hop's host: a redirect to another host waits at that host too", async () => {
    const log: string[] = [];
    const fetched = await fetchUrl(`${base}/to-other-host`, {
      allowPrivate: true,
      acquire: (url) => {
        log.push(`acquire ${new URL(url).hostname}`);
        return Promise.resolve(() => log.push(`release ${new URL(url).hostname}`));
      },
    });
    expect(fetched.url).toMatch(/^http:\/\/localhost:\d+\/article$/);
    // one turn per request, never two held at once
    expect(log).toEqual(['acquire 127.0.0.1', 'release 127.0.0.1', 'acquire localhost', 'release localhost']);
  });
  it('does not count the wait for a turn against the time limit', async () => {
    const acquire = async (): Promise<() => void> => {
      await new Promise((r) => setTimeout(r, 400));
      return () => undefined;
    };
    const fetched = await fetchUrl(`${base}/redirect`, { allowPrivate: true, timeoutMs: 300, acquire });
    expect(fetched.url).toBe(`${base}/article`);
  });
  it('releases its turn when a request fails', async () => {
    const log: string[] = [];
    const acquire = (url: string): Promise<() => void> => {
      log.push('acquire');
      return Promise.resolve(() => log.push(`release ${new URL(url).pathname}`));
    };
    await expect(fetchUrl(`${base}/missing`, { allowPrivate: true, acquire })).rejects.toThrow(/HTTP 404/);
    expect(log).toEqual(['acquire', 'release /missing']);
  });
  it('checks every redirect hop against the address rules', async () => {
    // the test server is allowed by name; its redirect to the cloud metadata address is not
    const host = new URL(base).hostname;
    expect((await fetchUrl(`${base}/article`, { allowedHosts: [host] })).status).toBe(200);
    await expect(fetchUrl(`${base}/to-metadata`, { allowedHosts: [host] })).rejects.toThrow(/169\.254\.169\.254 is a loopback, private or link-local address; refused/);
  });
  it('caps the size, declared or streamed', async () => {
    await expect(fetchUrl(`${base}/big-declared`, { allowPrivate: true, maxBytes: 1_000_000 })).rejects.toThrow(/5000000 bytes, over the 1000000-byte limit/);
    await expect(fetchUrl(`${base}/big-chunked`, { allowPrivate: true, maxBytes: 1_000_000 })).rejects.toThrow(/body over the 1000000-byte limit/);
  });
  it('caps the time and reports HTTP errors', async () => {
    await expect(fetchUrl(`${base}/slow`, { allowPrivate: true, timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
    await expect(fetchUrl(`${base}/missing`, { allowPrivate: true })).rejects.toThrow(/HTTP 404/);
  });
});

describe('URL inputs through readInputs', () => {
  it('reads a page by URL into a draft with the final URL', async () => {
    const items = [];
    for await (const it of readInputs([`${base}/redirect`], { fetch: { allowPrivate: true } })) items.push(it);
    expect(items).toHaveLength(1);
    const first = items[0]!;
    expect(first.ok).toBe(true);
    if (first.ok) {
      expect(first.draft.url).toBe(`${base}/article`);
      expect(first.draft.outlet?.value).toBe('Local News');
    }
  });
  it('names the URL asked for, not where it redirected, as the source of an article and of a failure', async () => {
    const items = [];
    for await (const it of readInputs([`${base}/redirect`], { fetch: { allowPrivate: true }, deferHtml: true })) items.push(it);
    expect(items[0]).toMatchObject({ ok: true, draft: { source: `${base}/redirect`, url: `${base}/article` } });
    // the page is extracted where the article is built (deferred): its failure is reported there
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const report = await engine.ingest([`${base}/redirect-empty`], { read: { fetch: { allowPrivate: true } } });
    await engine.close();
    expect(report.new).toBe(0);
    expect(report.failed).toEqual([expect.objectContaining({ source: `${base}/redirect-empty` })]);
    expect(report.failed[0]!.message).toContain(`${base}/redirect-empty`);
  });
  it('reports a refused URL as a failed input', async () => {
    const items = [];
    for await (const it of readInputs([`${base}/article`])) items.push(it);
    expect(items[0]).toMatchObject({ ok: false, error: { code: 'URL_REFUSED' } });
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { REPO } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a server-sent event stream until its text so far matches. */
function sseReader(res: Response): { read: (until: RegExp) => Promise<void>; text: () => string } {
  const reader = res.body!.getReader();
  let text = '';
  return {
    read: async (until) => {
      while (!until.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    },
    text: () => text,
  };
}

describe('server-sent events', () => {
  it('announces new articles to a connected client', async () => {
    const engine = new Engine({ store: SqliteStore.open({ path: join(dir, 'sse.db') }) });
    const server = await listen(createApp({ engine, writeToken: 't', ui: false }), { port: 0, host: '127.0.0.1' });
    try {
      const ctrl = new AbortController();
      const res = await fetch(`${server.url}/api/v1/events`, { signal: ctrl.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const { read, text } = sseReader(res);
      await read(/event: ready/);
      const post = await fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body: JSON.stringify({ articles: [{ text: 'Mediators have intensified efforts to secure a ceasefire in Gaza.' }] }),
      });
      expect(post.status).toBe(200);
      await read(/event: article\.added/);
      expect(text()).toMatch(/event: article\.added\ndata: \{"id":"a[0-9a-f]{16}","source":"articles\.0"\}/);
      ctrl.abort();
    } finally {
      await server.close(500);
      await engine.close();
    }
  });
});

describe('server-sent events with another process writing', () => {
  it('says the store changed when another process stored articles, which raise no engine event here', async () => {
    const db = join(dir, 'sse-other.db');
    const engine = new Engine({ store: SqliteStore.open({ path: db }) });
    const server = await listen(createApp({ engine, writeToken: 't', ui: false, changePollMs: 50 }), { port: 0, host: '127.0.0.1' });
    const other = new Engine({ store: SqliteStore.open({ path: db }) });
    try {
      const ctrl = new AbortController();
      const res = await fetch(`${server.url}/api/v1/events`, { signal: ctrl.signal });
      const { read, text } = sseReader(res);
      await read(/event: ready/);
      // nothing changed: no store.changed
      await new Promise((r) => setTimeout(r, 200));
      expect(text()).not.toContain('store.changed');
      const { readText } = await import('../src/ingest/text.js');
      const draft = readText('A cron job stored this report of a ferry that ran aground off the coast on Sunday.', { source: 'cron.txt', fetchedAt: '2026-11-26T00:00:00Z' });
      expect((await other.ingestItems([{ ok: true, draft }])).new).toBe(1);
      await read(/event: store\.changed/);
      expect(text()).not.toContain('article.added');
      // the article is there for the client that fetches again
      const list = (await (await fetch(`${server.url}/api/v1/articles`)).json()) as { total: number };
      expect(list.total).toBe(1);
      ctrl.abort();
    } finally {
      await server.close(500);
      await other.close();
      await engine.close();
    }
  });
});

describe('event streams and listeners', () => {
  it('leaves no listener or timer behind when a client leaves before its stream is set up', async () => {
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const store = engine.store as { changeToken: () => Promise<string> };
    const original = store.changeToken.bind(store);
    let first = true;
    // the stream's first look at the store is slow: the client is gone before it ends
    store.changeToken = () => (first ? ((first = false), new Promise<string>((r) => setTimeout(() => r(original()), 300))) : original());
    const server = await listen(createApp({ engine, writeToken: 't', ui: false, changePollMs: 20 }), { port: 0, host: '127.0.0.1' });
    const count = () => [...(engine.events as unknown as { listeners: Map<string, unknown[]> }).listeners.values()].reduce((n, l) => n + l.length, 0);
    try {
      const ctrl = new AbortController();
      const res = await fetch(`${server.url}/api/v1/events`, { signal: ctrl.signal });
      await sseReader(res).read(/event: ready/);
      expect(count()).toBe(4);
      ctrl.abort();
      await new Promise((r) => setTimeout(r, 500));
      expect(count()).toBe(0);
    } finally {
      await server.close(200);
      await engine.close();
    }
  });

  it('keeps listeners apart: unsubscribing twice removes no other, and an async listener that rejects is a warning', async () => {
    const { Emitter } = await import('../src/engine/events.js');
    const events = new Emitter<{ tick: number }>();
    const heard: string[] = [];
    const offA = events.on('tick', () => {
      heard.push('a');
      offA();
    });
    events.on('tick', () => void heard.push('b'));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a listener whose promise rejects, on purpose
    events.on('tick', async () => {
      heard.push('c');
      throw new Error('async listener bug');
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    events.emit('tick', 1);
    offA();
    events.emit('tick', 2);
    await new Promise((r) => setTimeout(r, 20));
    process.off('warning', onWarning);
    // a unsubscribed itself without b being skipped; the second off() removed nothing else
    expect(heard).toEqual(['a', 'b', 'c', 'b', 'c']);
    expect(warnings).toEqual(['a listener of tick threw: async listener bug', 'a listener of tick threw: async listener bug']);
  });
});

describe('parallax serve', () => {
  it('names a port already in use as a usage error, not an unexpected one', async () => {
    const { Hono } = await import('hono');
    const first = await listen(new Hono(), { port: 0, host: '127.0.0.1' });
    await expect(listen(new Hono(), { port: first.port, host: '127.0.0.1' })).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: expect.stringContaining(`127.0.0.1:${first.port} is already in use`),
    });
    await first.close();
  });

  it('serves, logs requests as JSON lines, and shuts down cleanly on SIGTERM', async () => {
    const db = join(dir, 'serve.db');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'serve', '--port', '0', '--db', db], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!/Parallax at (http:\/\/\S+)\//.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /Parallax at (http:\/\/\S+)\//.exec(out)![1]!;
    const res = await fetch(`${url}/api/v1/articles`);
    expect(res.status).toBe(200);
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
    const lines = err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['msg'] === 'request')).toMatchObject({ method: 'GET', path: '/api/v1/articles', status: 200 });
    expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['listening', 'shutting down', 'stopped']));
  }, 60_000);

  it('refuses a bad port as a usage error', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'serve', '--port', '99999', '--db', join(dir, 'x.db')], { cwd: REPO });
    expect(await new Promise((r) => child.on('exit', r))).toBe(2);
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ECBPLUS, REPO } from './helpers/paths.js';
import { clusterStream } from '../src/cluster/online.js';
import { clusterInputOf } from '../src/cluster/features.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { scoreClustering } from '../src/eval/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function countArticles(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

/**
 * What several writers left in `db` against one clusterer over the articles in the order they
 * were stored: every article has a story, story sizes agree with their members, the writers
 * (told apart by `writerOf` a source) took turns at least three times (else nothing is
 * proved), and the partitions agree exactly.
 */
async function expectOneWriterStories(db: string, count: number, writerOf: (source: string) => string): Promise<void> {
  const d = new Database(db, { readonly: true });
  const stored = d.prepare('SELECT a.id, a.source, m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id ORDER BY a.seq').all() as {
    id: string;
    source: string;
    story_id: string | null;
  }[];
  const sizes = d.prepare('SELECT s.size, (SELECT count(*) FROM story_members m WHERE m.story_id = s.id) AS n FROM stories s').all() as { size: number; n: number }[];
  d.close();
  expect(stored).toHaveLength(count);
  let turns = 0;
  for (let i = 1; i < stored.length; i++) if (writerOf(stored[i]!.source) !== writerOf(stored[i - 1]!.source)) turns++;
  expect(turns).toBeGreaterThan(2);
  expect(stored.every((r) => r.story_id !== null)).toBe(true);
  expect(sizes.every((s) => s.size === s.n)).toBe(true);
  const store = SqliteStore.open({ path: db, readonly: true });
  const articles = await store.articlesStoredAfter(null, 100_000);
  await store.close();
  const expected = clusterStream(articles.map(clusterInputOf)).map((x) => String(x.story));
  expect(
    scoreClustering(
      expected,
      stored.map((r) => r.story_id!),
    ).bcubed.f1,
  ).toBe(1);
}

function ingest(input: string, db: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'ingest', input, '--db', db, '--batch-size', '50'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

describe('a process killed in the middle of an ingest', () => {
  it('leaves only whole batches, an intact database, and a clean resume', async () => {
    // 3,000 distinct articles from the ECB+ texts
    const rows = readFileSync(ECBPLUS, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string });
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ id: `c${i}`, text: `${rows[i % rows.length]!.text}\nCopy ${i}.` }));
    const input = join(dir, 'stream.jsonl');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const db = join(dir, 'crash.db');

    const child = ingest(input, db);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // wait until some batches are committed, then kill without warning
    const deadline = Date.now() + 60_000;
    while (countArticles(db) < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;

    const stored = countArticles(db);
    expect(stored).toBeGreaterThanOrEqual(200);
    expect(stored).toBeLessThan(3000);
    expect(stored % 50).toBe(0); // whole batches only

    const d = new Database(db);
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    // the full-text index agrees with the table
    d.exec("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')");
    const broken = d.prepare('SELECT count(*) AS n FROM articles WHERE json_valid(meta) = 0 OR json_valid(sentences) = 0 OR length(text) = 0').get() as { n: number };
    expect(broken.n).toBe(0);
    d.close();

    // resuming stores the rest and leaves the first part unchanged
    const resume = ingest(input, db);
    const code = await new Promise<number | null>((resolve) => resume.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(countArticles(db)).toBe(3000);

    // the clustering state saved before the kill was older than the store; the resume replayed
    // what was stored after it, so the stories are those of one uninterrupted ingest
    const whole = join(dir, 'whole.db');
    const clean = ingest(input, whole);
    expect(await new Promise<number | null>((resolve) => clean.on('exit', (c) => resolve(c)))).toBe(0);
    const partition = (path: string): string[] => {
      const d = new Database(path, { readonly: true });
      const rows = d.prepare("SELECT article_id || '>' || story_id AS m FROM story_members ORDER BY article_id").all() as { m: string }[];
      d.close();
      return rows.map((r) => r.m);
    };
    const resumed = partition(db);
    expect(resumed).toHaveLength(3000);
    expect(resumed).toEqual(partition(whole));
  }, 180_000);
});

describe('two processes ingesting into one store at once', () => {
  it('cluster as one process would over the articles in the order they were stored', async () => {
    const rows = readFileSync(ECBPLUS, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => /"topic": (1|2|3|4|5|6|7|8),/.test(l));
    const inputs = [0, 1].map((k) => {
      const f = join(dir, `writer-${k}.jsonl`);
      writeFileSync(f, `${rows.filter((_, i) => i % 2 === k).join('\n')}\n`);
      return f;
    });
    const db = join(dir, 'two-writers.db');
    // small batches, so that the two interleave many times
    const run = (input: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'ingest', input, '--db', db, '--batch-size', '5', '--workers', '0'], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      return new Promise<{ code: number | null; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, err })));
    };
    const results = await Promise.all(inputs.map(run));
    expect(
      results.map((r) => r.code),
      results.map((r) => r.err).join('\n'),
    ).toEqual([0, 0]);
    await expectOneWriterStories(db, rows.length, (source) => source.split(':')[0]!);
  }, 180_000);
});

describe('a server taking uploads while another process ingests into its store', () => {
  it('clusters as one process would over the articles in the order they were stored', async () => {
    const { openEngine } = await import('../src/engine/pipeline.js');
    const { createApp } = await import('../src/server/app.js');
    const { listen } = await import('../src/server/serve.js');
    const rows = readFileSync(ECBPLUS, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => /"topic": (1|2|3|4|5|6|7|8),/.test(l));
    const uploads = rows
      .filter((_, i) => i % 2 === 0)
      .map((l) => {
        const { id, text } = JSON.parse(l) as { id: string; text: string };
        return { id, text };
      });
    const cron = join(dir, 'cron.jsonl');
    writeFileSync(cron, `${rows.filter((_, i) => i % 2 === 1).join('\n')}\n`);
    const db = join(dir, 'serve-and-ingest.db');
    const engine = openEngine(SqliteStore.open({ path: db }));
    const server = await listen(createApp({ engine, writeToken: 't', ui: false }), { port: 0, host: '127.0.0.1' });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'ingest', cron, '--db', db, '--batch-size', '5', '--workers', '0'], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // once the other process is storing, uploads of two articles at a time
      const deadline = Date.now() + 60_000;
      while (countArticles(db) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < uploads.length; i += 2) {
        const res = await fetch(`${server.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
          body: JSON.stringify({ articles: uploads.slice(i, i + 2) }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      }
      expect(await exited, err).toBe(0);
    } finally {
      await server.close(500);
      await engine.close();
    }
    await expectOneWriterStories(db, rows.length, (source) => (source.startsWith('articles.') ? 'server' : 'cron'));
  }, 180_000);
});

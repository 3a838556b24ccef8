import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ECBPLUS, EXAMPLES, REPO, SEED_A, SEED_B } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { write } from './helpers/write.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parallax ingest / articles / show', () => {
  const db = join(dir, 'main.db');

  it('ingests the bundled examples and the seed pair, then reports a summary', async () => {
    const r = await runCli(['ingest', EXAMPLES, SEED_A, SEED_B, '--db', db]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Summary: 14 new, 0 unchanged, 0 updated, 0 failed/);
    expect(r.out.match(/^new /gm)).toHaveLength(14);
  });

  it('re-ingesting is a no-op', async () => {
    const r = await runCli(['ingest', EXAMPLES, '--db', db, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { new: number; unchanged: number; updated: number; failed: unknown[] };
    expect(summary).toMatchObject({ new: 0, unchanged: 12, updated: 0, failed: [] });
  });

  it('lists articles as JSON Lines and shows one with metadata, sentences and versions', async () => {
    const list = await runCli(['articles', '--db', db, '--json', '--limit', '100']);
    expect(list.code).toBe(0);
    const rows = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; source: string; outlet: string | null; title: string | null });
    expect(rows).toHaveLength(14);
    const seed = rows.find((r) => r.source.endsWith('000_45cd25e784dd85d6.txt'))!;
    expect(seed.outlet).toBe('Gulf Times');
    const html = rows.find((r) => r.source.endsWith('20_3ecbplus.html'))!;
    expect(html.title).toBe('Strong earthquake jolts southern Iran, felt in Oman');
    expect(html.outlet).toBe('Example News');

    const show = await runCli(['show', seed.id, '--db', db, '--json']);
    expect(show.code).toBe(0);
    const a = JSON.parse(show.out) as {
      meta: { published: { value: string }; syndicator: { value: string } };
      sentences: { index: number; text: string }[];
      versions: { version: number }[];
    };
    expect(a.meta.published.value).toBe('2024-02-23');
    expect(a.meta.syndicator.value).toBe('MENAFN');
    expect(a.sentences[2]).toEqual(expect.objectContaining({ index: 2, text: "Egypt's Al Qahera TV News also reported that the talks had begun." }));
    expect(a.versions.map((v) => v.version)).toEqual([1]);

    const human = await runCli(['show', seed.id, '--db', db]);
    expect(human.out).toContain('syndicator  MENAFN (header: date 2024-02-23 (MENAFN- Gulf Times))');
  });

  it('searches the full text', async () => {
    const r = await runCli(['articles', '--db', db, '--search', 'Haniyeh Cairo', '--json']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(2);
    // a page smaller than the hits says there are more, instead of a misleading count
    const page = await runCli(['articles', '--db', db, '--search', 'Haniyeh Cairo', '--limit', '1']);
    expect(page.out.trim().split('\n').pop()).toBe('matches 1-1; more with --offset 1');
    const all = await runCli(['articles', '--db', db, '--search', 'Haniyeh Cairo']);
    expect(all.out.trim().split('\n').pop()).toBe('2 matches');
  });

  it('keeps the old version when a file at the same URL changes', async () => {
    const f = join(dir, 'versioned.txt');
    writeFileSync(f, 'URL: https://example.org/news/1\nTitle: Talks\n\nFirst version of the story about the talks in Paris.\n');
    expect((await runCli(['ingest', f, '--db', db])).out).toMatch(/1 new/);
    writeFileSync(f, 'URL: https://example.org/news/1\nTitle: Talks\n\nSecond version of the story, now with the Cairo meeting.\n');
    const r = await runCli(['ingest', f, '--db', db, '--json']);
    const { articles } = JSON.parse(r.out) as { articles: { id: string; status: string; version: number }[] };
    expect(articles[0]).toMatchObject({ status: 'updated', version: 2 });
    const show = JSON.parse((await runCli(['show', articles[0]!.id, '--db', db, '--json'])).out) as { text: string; versions: { version: number }[] };
    expect(show.text).toContain('Second version');
    expect(show.versions.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('bad input', () => {
  const db = join(dir, 'bad.db');
  const bad = join(dir, 'bad');
  mkdirSync(bad);
  writeFileSync(join(bad, 'binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
  writeFileSync(join(bad, 'empty.txt'), '');
  writeFileSync(join(bad, 'lines.jsonl'), '{"text": "A valid article about an earthquake in Iran."}\n{broken\n{"title": "no text"}\n{"text": "Another valid article about the quake."}\n');
  writeFileSync(join(bad, 'huge.txt'), 'word '.repeat(300_000));
  copyFileSync(SEED_B, join(bad, 'good.txt'));

  it('stores the good inputs, names each bad one, and exits 1', async () => {
    const r = await runCli(['ingest', bad, '--db', db, '--max-bytes', '1MB']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Summary: 3 new, 0 unchanged, 0 updated, 5 failed/);
    expect(r.out).toContain('binary.bin: ingest: expected text in');
    expect(r.out).toContain('found binary data (byte 0x00 at offset 6)');
    expect(r.out).toMatch(/empty\.txt: ingest: .*empty\.txt is empty/);
    expect(r.out).toMatch(/lines\.jsonl:2: .*lines\.jsonl:2: expected a JSON object, found invalid JSON/);
    expect(r.out).toMatch(/lines\.jsonl:3: .*expected a non-empty "text" or "html" field/);
    expect(r.out).toMatch(/huge\.txt: ingest: .*huge\.txt is 1500000 bytes, over the 1048576-byte limit/);
    const list = await runCli(['articles', '--db', db, '--json']);
    expect(list.out.trim().split('\n')).toHaveLength(3);
  });

  it('names a missing path', async () => {
    const r = await runCli(['ingest', join(dir, 'nope.txt'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/nope\.txt does not exist; expected a file, a directory or an http\(s\) URL/);
  });

  it('unknown and malformed ids', async () => {
    const unknown = await runCli(['show', 'a0000000000000000', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no article with id a0000000000000000/);
    const malformed = await runCli(['show', '../../etc/passwd', '--db', db]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/is not an article id; expected "a" followed by 16 hex digits/);
  });

  it('usage errors exit 2 and every command has --help', async () => {
    expect((await runCli(['ingest'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['articles', '--limit', 'ten', '--db', db])).code).toBe(2);
    for (const cmd of ['ingest', 'articles', 'show']) {
      const h = await runCli([cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.out).toMatch(/Usage: parallax/);
    }
  });

  it('a database path in a missing folder is a clear store error (exit 3)', async () => {
    const r = await runCli(['ingest', SEED_A, '--db', join(dir, 'no/such/dir/x.db')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/cannot open database .*x\.db/);
  });

  it('PARALLAX_DB chooses the database', async () => {
    const envDb = join(dir, 'env.db');
    await runCli(['ingest', SEED_A], { PARALLAX_DB: envDb });
    const r = await runCli(['articles', '--json'], { PARALLAX_DB: envDb });
    expect(r.out.trim().split('\n')).toHaveLength(1);
  });
});

describe('output into a closed pipe', () => {
  it('stops printing but finishes the ingest when the reader goes away (`parallax ingest ... | head -1`)', async () => {
    const lines = readFileSync(ECBPLUS, 'utf8').trim().split('\n').slice(0, 60);
    const input = join(dir, 'pipe.jsonl');
    writeFileSync(input, lines.join('\n'));
    const db = join(dir, 'pipe.db');
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/cli-entry.ts'), 'ingest', input, '--db', db, '--batch-size', '5'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // read the first chunk, then close our end, as `head -1` does
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(err).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
    const list = await runCli(['articles', '--db', db, '--json', '--limit', '1000']);
    expect(list.out.trim().split('\n')).toHaveLength(60);
  });
});

describe('read-only commands and a mistyped --db', () => {
  it('say there is no database and create no file', async () => {
    for (const args of [['articles'], ['stories'], ['dupes']]) {
      const db = join(dir, `missing-${args[0]}.db`);
      const r = await runCli([...args, '--db', db]);
      expect(r.code).toBe(3);
      expect(r.err).toContain(`no database at ${db}`);
      expect(existsSync(db)).toBe(false);
    }
  });
});

describe('a store the reader may not write', () => {
  // Reading commands open read-write and fall back to a read-only open where the file or its
  // folder is not writable. A WAL database is readable only where SQLite can create its -shm
  // file: in a read-only folder it must be converted to rollback-journal mode first.
  const traversable = (path: string): boolean => {
    for (let d = path; d !== dirname(d); d = dirname(d)) if ((statSync(d).mode & 0o001) === 0) return false;
    return true;
  };
  const root = process.getuid?.() === 0;
  // root ignores permission bits: as root the commands run as user nobody through the built
  // CLI, which needs every folder above the checkout to be world-traversable
  const canTest = !root || traversable(REPO);
  const run = async (args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> => {
    if (!root) return runCli(args);
    return new Promise((done) => {
      const child = spawn(process.execPath, [join(REPO, 'bin/parallax.js'), ...args], { uid: 65534, gid: 65534, cwd, env: { PATH: process.env.PATH ?? '' } });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (err += b));
      child.on('close', (code) => done({ code: code ?? -1, out, err }));
    });
  };
  const storeIn = async (folderMode: number, rollbackJournal: boolean): Promise<{ folder: string; db: string; before: Buffer }> => {
    const folder = mkdtempSync(join(tmpdir(), 'parallax-ro-'));
    const db = join(folder, 'p.db');
    expect((await runCli(['ingest', EXAMPLES, '--db', db])).code).toBe(0);
    if (rollbackJournal) {
      const d = new Database(db);
      d.pragma('journal_mode = DELETE');
      d.close();
    }
    chmodSync(db, 0o444);
    chmodSync(folder, folderMode);
    return { folder, db, before: readFileSync(db) };
  };
  const cleanUp = (folder: string): void => {
    chmodSync(folder, 0o755);
    rmSync(folder, { recursive: true, force: true });
  };

  it.runIf(canTest)('lists, and refuses to ingest with nothing written, where the file is not writable but its folder is', async () => {
    const { folder, db, before } = await storeIn(0o777, false);
    try {
      const list = await run(['articles', '--db', db, '--json'], folder);
      expect(list.err).toBe('');
      expect(list.out.trim().split('\n')).toHaveLength(12);
      const stories = await run(['stories', '--db', db, '--json'], folder);
      expect(stories.code).toBe(0);
      expect(stories.out.trim().split('\n').length).toBeGreaterThanOrEqual(2);
      const ingest = await run(['ingest', SEED_A, '--db', db], folder);
      expect(ingest.code).toBe(3);
      expect(ingest.err).toContain('[DB_READONLY]');
      expect(readFileSync(db).equals(before)).toBe(true);
    } finally {
      cleanUp(folder);
    }
  });

  it.runIf(canTest)('in a read-only folder: says how to make a WAL file readable, and reads it once converted', async () => {
    const wal = await storeIn(0o555, false);
    try {
      const r = await run(['articles', '--db', wal.db], wal.folder);
      expect(r.code).toBe(3);
      expect(r.err).toContain(`${wal.db}-shm`);
      expect(r.err).toContain("PRAGMA journal_mode=DELETE'");
      expect(readdirSync(wal.folder)).toEqual(['p.db']);
    } finally {
      cleanUp(wal.folder);
    }
    const converted = await storeIn(0o555, true);
    try {
      const list = await run(['articles', '--db', converted.db, '--json'], converted.folder);
      expect(list.err).toBe('');
      expect(list.out.trim().split('\n')).toHaveLength(12);
      const ingest = await run(['ingest', SEED_A, '--db', converted.db], converted.folder);
      expect(ingest.code).toBe(3);
      expect(ingest.err).toContain('[DB_READONLY]');
      expect(readdirSync(converted.folder)).toEqual(['p.db']);
      expect(readFileSync(converted.db).equals(converted.before)).toBe(true);
    } finally {
      cleanUp(converted.folder);
    }
  });

  it('opens a rollback-journal database read-only without creating any file beside it, and refuses writes', async () => {
    // (the open the commands above fall back to; this one runs as any user)
    const { folder, db } = await storeIn(0o755, true);
    try {
      const ro = SqliteStore.open({ path: db, readonly: true });
      expect(await ro.countArticles()).toBe(12);
      await expect(write(ro, { articles: [], states: [{ key: 'x', formatVersion: 1, data: new Uint8Array([1]) }] })).rejects.toMatchObject({ code: 'DB_READONLY' });
      await ro.close();
      expect(readdirSync(folder)).toEqual(['p.db']);
    } finally {
      cleanUp(folder);
    }
  });
});

describe('a bug while reading one input', () => {
  it('fails that input only, says it is a bug, and keeps its stack for PARALLAX_DEBUG', async () => {
    const { Engine } = await import('../src/engine/engine.js');
    const { failureText } = await import('../src/cli/commands/ingest.js');
    const engine = new Engine({ store: SqliteStore.open({ path: ':memory:' }) });
    const { readText } = await import('../src/ingest/text.js');
    const good = readText('A ferry ran aground off the coast on Sunday; all passengers were rescued.', { source: 'good.txt', fetchedAt: '2026-11-26T00:00:00Z' });
    // a draft that building chokes on stands for a bug in building
    const broken = { ...readText('placeholder text', { source: 'feed.xml#3', fetchedAt: '2026-11-26T00:00:00Z' }), text: 42 as unknown as string };
    const report = await engine.ingestItems([
      { ok: true, draft: broken },
      { ok: true, draft: good },
    ]);
    expect(report.new).toBe(1);
    expect(report.failed).toEqual([{ source: 'feed.xml#3', code: 'INTERNAL', message: expect.any(String), stack: expect.stringContaining('TypeError') }]);
    const bug = report.failed[0]!;
    const io = (env: Record<string, string>) => ({ out: () => undefined, err: () => undefined, isTTY: false, env, cwd: '/' });
    expect(failureText(bug, io({}))).toBe(`unexpected error (a bug in Parallax; PARALLAX_DEBUG=1 shows where): ${bug.message}`);
    const debug = failureText(bug, io({ PARALLAX_DEBUG: '1' }));
    expect(debug).toContain(bug.stack!.split('\n')[1]!.trim());
    await engine.close();
  });
});

describe('exit codes', () => {
  it('maps catalogue errors by kind and anything else to 4, an internal error', async () => {
    const { reportError, EXIT_INTERNAL, EXIT_STORE, EXIT_USAGE, EXIT_SOME_FAILED } = await import('../src/cli/context.js');
    const { createError } = await import('../src/errors.js');
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => void err.push(s), isTTY: false, env: {}, cwd: '/' };
    expect(reportError(createError('DB_LOCKED', 'locked', { subject: 'x' }), io)).toBe(EXIT_STORE);
    expect(reportError(createError('USAGE', 'bad flag', { subject: 'x' }), io)).toBe(EXIT_USAGE);
    expect(reportError(createError('EMPTY_INPUT', 'empty', { subject: 'x' }), io)).toBe(EXIT_SOME_FAILED);
    expect(reportError(new TypeError('x is undefined'), io)).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).toBe(4);
    expect(err.at(-1)).toMatch(/unexpected error \(a bug in Parallax; PARALLAX_DEBUG=1 shows where\): .*x is undefined/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/dedup/hash.js';
import { makeParams } from '../src/dedup/signature.js';
import { prepareLeanInputs, type PreparedItem } from '../src/engine/prepare.js';
import { isParallaxError } from '../src/errors.js';
import { readInputs } from '../src/ingest/read.js';
import { prepareDraft, type Wants } from '../src/stages/prepare.js';

/**
 * Lean preparation with the reading in worker threads (engine/prepare.ts, prepareLeanInputs):
 * JSON Lines files go to the workers as raw chunks of lines, so line numbers, failures,
 * warnings, blank lines, lines cut by the 1 MB reads, lines over the limit and files without
 * records must all come out as readInputs followed by prepareDraft gives them, for any number
 * of workers, with the sketches the dedup stage reads.
 */
const dir = mkdtempSync(join(tmpdir(), 'parallax-prepare-lean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const wants: Wants = { lean: true, features: false, print: makeParams({ threshold: 0.5 }) };
const now = () => new Date('2026-12-05T00:00:00.000Z');
const here = join(import.meta.dirname, 'fixtures/ecbplus-topic14.jsonl');

type Plain =
  | {
      source: string;
      ok: true;
      id: string;
      key: string;
      text: string;
      fetchedAt: string;
      hashes: number[];
      first: number[];
      set: number[];
      sig: number[];
      anchors: number[];
      tokens: number;
      starts: number[];
      ends: number[];
      params: string;
      bytes: number | undefined;
    }
  | { source: string; ok: false; code: string; message: string; bytes: number | undefined };

function plain(x: PreparedItem): Plain {
  if (!x.ok) return { source: x.source, ok: false, code: isParallaxError(x.error) ? x.error.code : 'bug', message: (x.error as Error).message, bytes: x.bytes };
  const { article, key, analysis } = x.prepared;
  const p = analysis.print!;
  return {
    source: article.source,
    ok: true,
    id: article.id,
    key,
    text: article.text,
    fetchedAt: article.fetchedAt,
    hashes: [...p.hashes],
    first: [...p.first],
    set: [...p.set],
    sig: [...p.sig],
    anchors: [...p.anchors],
    tokens: p.tokens,
    starts: [...p.tokenStart],
    ends: [...p.tokenEnd],
    params: p.params,
    bytes: x.bytes,
  };
}

async function reference(inputs: string[], warnings: string[]): Promise<Plain[]> {
  const out: Plain[] = [];
  for await (const item of readInputs(inputs, { now, deferHtml: true, onWarning: (s, m) => warnings.push(`${s}: ${m}`) })) {
    if (!item.ok) {
      out.push(plain({ ok: false, source: item.source, error: item.error, bytes: item.bytes }));
      continue;
    }
    try {
      out.push(plain({ ok: true, prepared: prepareDraft(item.draft, wants), bytes: item.bytes }));
    } catch (e) {
      out.push(plain({ ok: false, source: item.draft.source, error: e, bytes: item.bytes }));
    }
  }
  return out;
}

async function prepared(inputs: string[], workers: number, warnings: string[], workerScript?: URL): Promise<Plain[]> {
  const out: Plain[] = [];
  for await (const x of prepareLeanInputs(inputs, { workers, wants, read: { now, onWarning: (s, m) => warnings.push(`${s}: ${m}`) }, ...(workerScript ? { workerScript } : {}) })) out.push(plain(x));
  return out;
}

describe('lean preparation with the reading in worker threads', () => {
  it('gives the items, failures, warnings and order of readInputs + prepareDraft, for 0 and 2 workers', async () => {
    const rows = readFileSync(here, 'utf8').trim().split('\n');
    const rng = mulberry32(7);
    const lines: string[] = [];
    // long and short lines, so that lines cross the 1 MB reads; blank lines, bad JSON, a
    // record without text, a line with a byte that is not UTF-8, CRLF line ends
    for (let i = 0, size = 0; size < 1_300_000; i++) {
      const row = JSON.parse(rows[i % rows.length]!) as { id: string; text: string };
      const repeat = 1 + Math.floor(rng() * 40);
      lines.push(JSON.stringify({ id: `r${i}`, text: Array.from({ length: repeat }, () => row.text).join('\n\n') }));
      size += lines[lines.length - 1]!.length;
      if (i % 17 === 3) lines.push('');
      if (i % 23 === 5) lines.push('{not json');
      if (i % 29 === 7) lines.push('{"id": "empty", "text": "   "}');
    }
    const big = join(dir, 'big.jsonl');
    const bad = Buffer.from(`${JSON.stringify({ id: 'latin', text: 'Caf\u00e9 owners said the fire started at night and spread to the next street.' }).replace('\u00e9', 'XX')}\r\n`);
    const badAt = bad.indexOf('XX');
    bad[badAt] = 0xe9;
    bad[badAt + 1] = 0x20;
    writeFileSync(
      big,
      Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), bad, Buffer.from(`${JSON.stringify({ id: 'last', text: 'The last line has no newline after it, and is read all the same.' })}`)]),
    );
    // a file of blank lines only, a text file (read here, prepared in a worker), a missing file, and a small one
    const blank = join(dir, 'blank.jsonl');
    writeFileSync(blank, '\n\n  \n');
    const txt = join(dir, 'story.txt');
    writeFileSync(txt, 'Storm closes the coast road\n\nThe coastal road was closed for two days after the storm, officials said on Monday.\n');
    const inputs = [big, blank, txt, join(dir, 'missing.jsonl'), here];
    const warnings: string[] = [];
    const want = await reference(inputs, warnings);
    expect(want.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.code))).toContain('INVALID_JSONL');
    expect(want.some((x) => !x.ok && x.source === blank && x.code === 'EMPTY_INPUT')).toBe(true);
    expect(want.some((x) => x.ok && x.source === txt)).toBe(true);
    expect(warnings.length).toBe(1);
    for (const workers of [0, 2]) {
      const got: string[] = [];
      expect(await prepared(inputs, workers, got)).toEqual(want);
      expect(got).toEqual(warnings);
    }
  }, 120_000);

  it('prepares units in the main thread while a worker is slow to answer, with the same items in the same order', async () => {
    const rows = readFileSync(here, 'utf8').trim().split('\n');
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 6_500_000; i++) {
      const row = JSON.parse(rows[i % rows.length]!) as { id: string; text: string };
      lines.push(JSON.stringify({ id: `s${i}`, text: `${row.text}\n\n${i % 7 === 0 ? '' : row.text}` }));
      size += lines[lines.length - 1]!.length;
      if (i % 101 === 9) lines.push('{not json');
    }
    const f = join(dir, 'six-reads.jsonl');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const warnings: string[] = [];
    const want = await reference([f, here], warnings);
    const log = join(dir, 'slow-worker.log');
    process.env.PARALLAX_SLOW_WORKER_LOG = log;
    try {
      const got: string[] = [];
      expect(await prepared([f, here], 1, got, new URL('./fixtures/slow-lean-worker.ts', import.meta.url))).toEqual(want);
      expect(got).toEqual(warnings);
    } finally {
      delete process.env.PARALLAX_SLOW_WORKER_LOG;
    }
    // seven units (six reads of the big file, one of the small one): the worker was given some, not all
    const given = readFileSync(log, 'utf8').trim().split('\n').length;
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThan(7);
  }, 120_000);

  it('reports a line over the 8 MB limit in its place and reads on', async () => {
    const f = join(dir, 'huge.jsonl');
    const ok = JSON.stringify({ id: 'a', text: 'A short article about a storm that closed the coastal road for two days.' });
    writeFileSync(f, `${ok}\n${JSON.stringify({ id: 'huge', text: 'word '.repeat(1_700_000) })}\n${ok.replace('"a"', '"b"')}\n`);
    const want = await reference([f], []);
    expect(want.map((x) => x.source)).toEqual([`${f}:1`, `${f}:2`, `${f}:3`]);
    expect(want[1]!.ok ? '' : want[1]!.code).toBe('TOO_LARGE');
    for (const workers of [0, 1]) expect(await prepared([f], workers, [])).toEqual(want);
    // a line under the limit spans seven reads, and is read whole
    const g = join(dir, 'long.jsonl');
    writeFileSync(g, `${ok}\n${JSON.stringify({ id: 'long', notes: 'x'.repeat(5_500_000), text: 'word '.repeat(300_000) })}\n${ok.replace('"a"', '"b"')}`);
    const wantLong = await reference([g], []);
    expect(wantLong.map((x) => (x.ok ? 'ok' : x.code))).toEqual(['ok', 'ok', 'ok']);
    for (const workers of [0, 1]) expect(await prepared([g], workers, [])).toEqual(wantLong);
  }, 60_000);
});

import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createError, isParallaxError, ParallaxError } from '../errors.js';
import { decodeBytes } from './decode.js';
import type { Draft } from './draft.js';
import { readFeed } from './feed.js';
import { type FetchOptions, fetchUrl } from './fetch.js';
import { readHtml } from './html.js';
import { emptyDraft } from './draft.js';
import { parseJsonlLine } from './jsonl.js';
import { type InputKind, sniffKind } from './sniff.js';
import { readText } from './text.js';

export interface ReadOptions {
  /** Largest HTML, feed or text file read whole (JSON Lines files are streamed). */
  readonly maxFileBytes: number;
  /** Largest JSON Lines file. */
  readonly maxJsonlBytes: number;
  readonly fetch: Partial<FetchOptions>;
  /** Injected clock, for reproducible tests. */
  readonly now: () => Date;
  /**
   * Leave HTML extraction (jsdom, a few milliseconds a page) to whoever builds the article:
   * the draft carries the page (Draft.pendingHtml), so that preparation in worker threads
   * extracts in parallel. Reading is then cheap; the same article comes out either way.
   */
  readonly deferHtml?: boolean;
}

export const DEFAULT_READ_OPTIONS: ReadOptions = {
  maxFileBytes: 20 * 1024 * 1024,
  maxJsonlBytes: 4 * 1024 * 1024 * 1024,
  fetch: {},
  now: () => new Date(),
};

/** One article read from an input, or one input (file, line, item, URL) that failed. */
export type InputItem = ({ readonly ok: true; readonly draft: Draft } | { readonly ok: false; readonly source: string; readonly error: ParallaxError }) & {
  /** Input bytes this item accounts for, for progress bars (0 when unknown). */
  readonly bytes?: number;
};

function failure(source: string, e: unknown): InputItem {
  const error = isParallaxError(e)
    ? e
    : new ParallaxError('NOT_FOUND_PATH', `ingest: cannot read ${source}: ${(e as Error).message ?? String(e)}`, { subject: source, cause: e });
  return { ok: false, source, error };
}

/** Converts one decoded document of a known kind into drafts (a feed gives many). */
export function draftsFromDocument(text: string, kind: InputKind, source: string, url: string | null, fetchedAt: string, deferHtml = false): InputItem[] {
  switch (kind) {
    case 'html':
      if (deferHtml) return [{ ok: true, draft: { ...emptyDraft(source, '', fetchedAt), url, pendingHtml: text } }];
      return [{ ok: true, draft: readHtml(text, { source, url, fetchedAt }) }];
    case 'feed': {
      const result = readFeed(text, { source, fetchedAt });
      const items: InputItem[] = result.drafts.map((draft) => ({ ok: true as const, draft }));
      for (const err of result.errors) {
        const where = `${source}#item-${err.item}`;
        items.push({ ok: false, source: where, error: createError('NO_CONTENT', `${where}: ${err.message}`, { subject: where }) });
      }
      if (result.drafts.length === 0 && result.errors.length === 0) {
        items.push({ ok: false, source, error: createError('NO_CONTENT', `ingest: feed ${source} has no items`, { subject: source }) });
      }
      return items;
    }
    case 'jsonl': {
      const items: InputItem[] = [];
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        try {
          const draft = parseJsonlLine(lines[i]!, i + 1, source, fetchedAt);
          if (draft) items.push({ ok: true, draft });
        } catch (e) {
          items.push(failure(`${source}:${i + 1}`, e));
        }
      }
      return items;
    }
    case 'text': {
      const draft = readText(text, { source, fetchedAt });
      return [{ ok: true, draft: url ? { ...draft, url: draft.url ?? url } : draft }];
    }
  }
}

/**
 * The files under `dir`, in name order. A folder that cannot be read (permissions) is a failed
 * input of its own, and the walk goes on with the rest.
 */
async function* walk(dir: string): AsyncGenerator<string | InputItem> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    yield failure(dir, e);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    // hidden files and folders (.git, .DS_Store) are never articles
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function* readJsonlStream(path: string, fetchedAt: string): AsyncGenerator<InputItem> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    try {
      const draft = parseJsonlLine(line, lineNo, path, fetchedAt);
      if (draft) yield { ok: true, draft, bytes: Buffer.byteLength(line) + 1 };
    } catch (e) {
      yield { ...failure(`${path}:${lineNo}`, e), bytes: Buffer.byteLength(line) + 1 };
    }
  }
}

async function* readFile(path: string, opts: ReadOptions): AsyncGenerator<InputItem> {
  const fetchedAt = opts.now().toISOString();
  const info = await stat(path);
  if (info.size === 0) {
    throw createError('EMPTY_INPUT', `ingest: ${path} is empty (0 bytes); expected an article`, { subject: path });
  }
  const head = await readHead(path, 4096);
  // sniff on the head only: a JSON Lines file may be far larger than what we read whole
  let headText: string;
  try {
    headText = decodeBytes(head, path).text;
  } catch (e) {
    // a UTF-8 sequence cut at byte 4096 is not an error; let the full decode decide
    if (isParallaxError(e) && e.code === 'BINARY_INPUT') throw e;
    headText = '';
  }
  if (sniffKind(headText, path) === 'jsonl') {
    if (info.size > opts.maxJsonlBytes) {
      throw createError('TOO_LARGE', `ingest: ${path} is ${info.size} bytes, over the ${opts.maxJsonlBytes}-byte limit for JSON Lines`, { subject: path });
    }
    yield* readJsonlStream(path, fetchedAt);
    return;
  }
  if (info.size > opts.maxFileBytes) {
    throw createError('TOO_LARGE', `ingest: ${path} is ${info.size} bytes, over the ${opts.maxFileBytes}-byte limit (raise it with --max-bytes)`, { subject: path });
  }
  const fh = await open(path, 'r');
  let bytes: Buffer;
  try {
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  const { text } = decodeBytes(bytes, path);
  if (text.trim() === '') throw createError('EMPTY_INPUT', `ingest: ${path} has only white space; expected an article`, { subject: path });
  const items = draftsFromDocument(text, sniffKind(text, path), path, null, fetchedAt, opts.deferHtml);
  for (let i = 0; i < items.length; i++) yield i === 0 ? { ...items[i]!, bytes: info.size } : items[i]!;
}

async function* readUrl(url: string, opts: ReadOptions): AsyncGenerator<InputItem> {
  const fetched = await fetchUrl(url, opts.fetch);
  const { text } = decodeBytes(fetched.bytes, url, fetched.contentType);
  // the source is the URL asked for, which is what a failure must name (a page that fails after
  // a redirect was reported under the URL it redirected to); the article keeps the final URL
  yield* draftsFromDocument(text, sniffKind(text, fetched.contentType ?? fetched.url), url, fetched.url, fetched.fetchedAt, opts.deferHtml);
}

/**
 * Reads every input (files, directories recursively, http(s) URLs) and yields one item
 * per article or per failure, in order. A failure never stops the other inputs.
 */
export async function* readInputs(inputs: readonly string[], options: Partial<ReadOptions> = {}): AsyncGenerator<InputItem> {
  const opts: ReadOptions = { ...DEFAULT_READ_OPTIONS, ...options };
  for (const input of inputs) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
      try {
        yield* readUrl(input, opts);
      } catch (e) {
        yield failure(input, e);
      }
      continue;
    }
    const path = resolve(input);
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      yield failure(input, createError('NOT_FOUND_PATH', `ingest: ${input} does not exist; expected a file, a directory or an http(s) URL`, { subject: input }));
      continue;
    }
    const files = isDir ? walk(path) : (async function* () { yield path; })();
    for await (const file of files) {
      if (typeof file !== 'string') {
        yield file;
        continue;
      }
      try {
        yield* readFile(file, opts);
      } catch (e) {
        let bytes = 0;
        try {
          bytes = (await stat(file)).size;
        } catch {
          // the file vanished; nothing to count
        }
        yield { ...failure(file, e), bytes };
      }
    }
  }
}

/** Total bytes of the local inputs (files and directory contents), for a progress bar. */
export async function inputBytes(inputs: readonly string[]): Promise<number> {
  return (await inputSizes(inputs, { sniff: false })).bytes;
}

/** Files sniffed by inputSizes; beyond these, the share of HTML seen so far stands for the rest. */
const SIZE_SNIFFS = 1000;

/**
 * Total bytes of the local inputs, and how many of them are HTML pages: a hint for choosing
 * worker threads, not how files are read. As readInputs decides by content first, so does
 * this: the first 4 KB of each file go through sniffKind (a crawl saved without extensions,
 * or as .txt, is still pages). Only the first SIZE_SNIFFS files are opened; the rest count
 * as HTML in the proportion (by bytes) of those. With `sniff: false` (only the size is
 * wanted, for a progress bar) no file is opened and `htmlBytes` is 0.
 */
export async function inputSizes(inputs: readonly string[], options: { sniff?: boolean } = {}): Promise<{ bytes: number; htmlBytes: number }> {
  const sniff = options.sniff ?? true;
  let bytes = 0;
  let htmlBytes = 0;
  let sniffed = 0;
  let sniffedBytes = 0;
  let unsniffedBytes = 0;
  const head = Buffer.alloc(4096);
  const count = async (path: string, size: number): Promise<void> => {
    bytes += size;
    if (!sniff) return;
    if (sniffed >= SIZE_SNIFFS) {
      unsniffedBytes += size;
      return;
    }
    sniffed++;
    sniffedBytes += size;
    let n = 0;
    try {
      const fh = await open(path, 'r');
      try {
        n = (await fh.read(head, 0, head.length, 0)).bytesRead;
      } finally {
        await fh.close();
      }
    } catch {
      // unreadable: reported by readInputs
    }
    if (sniffKind(head.toString('latin1', 0, n), path) === 'html') htmlBytes += size;
  };
  for (const input of inputs) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) continue;
    try {
      const info = await stat(resolve(input));
      if (info.isDirectory()) {
        for await (const f of walk(resolve(input))) if (typeof f === 'string') await count(f, (await stat(f)).size);
      } else await count(input, info.size);
    } catch {
      // reported by readInputs
    }
  }
  if (unsniffedBytes > 0 && sniffedBytes > 0) htmlBytes += Math.round((unsniffedBytes * htmlBytes) / sniffedBytes);
  return { bytes, htmlBytes };
}

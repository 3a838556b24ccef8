import { constants } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createError, isParallaxError, type ParallaxError } from '../errors.js';
import { decodeBytes, decodeLine } from './decode.js';
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
  /**
   * Told when an input was read but not exactly as written (bytes not valid in its encoding,
   * replaced with U+FFFD): the source (`path`, `path:line`, URL) and what happened.
   */
  readonly onWarning?: (source: string, message: string) => void;
}

export const DEFAULT_READ_OPTIONS: ReadOptions = {
  maxFileBytes: 20 * 1024 * 1024,
  maxJsonlBytes: 4 * 1024 * 1024 * 1024,
  fetch: {},
  now: () => new Date(),
};

/**
 * One article read from an input, or one input (file, line, item, URL) that failed. A failure
 * is a catalogue error (the input's fault) or any other Error (a bug: reported as INTERNAL).
 */
export type InputItem = ({ readonly ok: true; readonly draft: Draft } | { readonly ok: false; readonly source: string; readonly error: ParallaxError | Error }) & {
  /** Input bytes this item accounts for, for progress bars (0 when unknown). */
  readonly bytes?: number;
};

/** File-system errors that are the input's fault (missing, unreadable), not a bug. */
const FS_INPUT_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EIO', 'ENXIO', 'EAGAIN', 'EWOULDBLOCK', 'ESTALE']);

/**
 * A failed input. A catalogue error, or a file-system error about the input, is the input's
 * fault; anything else is a bug and stays what it is, so the report calls it INTERNAL (exit 4).
 */
function failure(source: string, e: unknown): InputItem & { ok: false } {
  if (isParallaxError(e)) return { ok: false, source, error: e };
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && FS_INPUT_ERRORS.has(code)) {
    return { ok: false, source, error: createError('NOT_FOUND_PATH', `ingest: cannot read ${source}: ${(e as Error).message}`, { subject: source, cause: e }) };
  }
  return { ok: false, source, error: e instanceof Error ? e : new Error(String(e)) };
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
        items.push({ ok: false, source: where, error: createError(err.code ?? 'NO_CONTENT', err.code ? err.message : `${where}: ${err.message}`, { subject: where }) });
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
      if (items.length === 0)
        items.push(failure(source, createError('EMPTY_INPUT', `ingest: ${source} has no JSON Lines records (only blank lines); expected one JSON object per line`, { subject: source })));
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

/**
 * Opens a file for reading without ever blocking on it: O_NONBLOCK makes opening a FIFO return
 * at once (a plain open waits for a writer, forever), and the type is checked on the open
 * handle, so a file swapped for a FIFO or a device after a stat is refused all the same. Only
 * regular files are read: a FIFO, socket or device has no end and no size to bound.
 */
export async function openRegular(path: string): Promise<{ fh: FileHandle; size: number }> {
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await fh.stat();
    if (!info.isFile()) {
      const what = info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'not a regular file';
      throw createError('UNSUPPORTED_TYPE', `ingest: ${path} is ${what}; only regular files are read`, { subject: path });
    }
    return { fh, size: info.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Up to `n` bytes from `position`: a file that grows after its size was taken is still read within the bound. */
async function readAt(fh: FileHandle, n: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * Whether a file's head is JSON Lines though its first line is not a JSON object (a NUL or a
 * bad byte in it): most of the complete lines in the head are. One damaged line must cost
 * only that line, not send the whole file to the binary or text readers.
 */
function jsonlByLines(head: string): boolean {
  const lines = head.split('\n');
  lines.pop(); // the last may be cut at the head's end
  let objects = 0;
  let others = 0;
  for (const line of lines) {
    const t = line.trim();
    if (t === '') continue;
    try {
      const v: unknown = JSON.parse(t);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) objects++;
      else others++;
    } catch {
      others++;
    }
  }
  return objects > 0 && objects >= others;
}

/** The limit of one JSON Lines record, in bytes (the line parser's limit is in characters). */
const MAX_JSONL_LINE_BYTES = 8 * 1024 * 1024;
const JSONL_CHUNK = 1024 * 1024;

/**
 * JSON Lines, streamed: lines are split on the bytes and each is decoded on its own, so a bad
 * byte or a NUL costs only its line, and a line over the limit is skipped without being held
 * in memory. A file with no record at all (blank lines only) is an error, not silence.
 */
/**
 * The reader of one JSON Lines line at a time, shared by files (streamed) and uploads (in
 * memory): each line is decoded on its own, so a bad byte or a NUL costs only its line.
 */
function jsonlLines(path: string, fetchedAt: string, onWarning: ReadOptions['onWarning']): { emit: (line: Uint8Array | null, bytes: number) => Generator<InputItem>; records: () => number } {
  let lineNo = 0;
  let records = 0;
  const emit = function* (line: Uint8Array | null, bytes: number): Generator<InputItem> {
    lineNo++;
    const where = `${path}:${lineNo}`;
    if (line === null) {
      records++;
      yield { ...failure(where, createError('TOO_LARGE', `${where}: line is over the ${MAX_JSONL_LINE_BYTES}-byte limit`, { subject: where })), bytes };
      return;
    }
    const decoded = decodeLine(line);
    if (decoded.warning) onWarning?.(where, decoded.warning);
    try {
      const draft = parseJsonlLine(decoded.text, lineNo, path, fetchedAt);
      if (draft) {
        records++;
        yield { ok: true, draft, bytes };
      }
    } catch (e) {
      records++;
      yield { ...failure(where, e), bytes };
    }
  };
  return { emit, records: () => records };
}

function noRecords(path: string): ParallaxError {
  return createError('EMPTY_INPUT', `ingest: ${path} has no JSON Lines records (only blank lines); expected one JSON object per line`, { subject: path });
}

/** Whether a document's first 4 KiB are JSON Lines (by content, the name breaking ties). */
export function isJsonlHead(bytes: Uint8Array, name: string | null): boolean {
  const headText = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
  return sniffKind(headText, name) === 'jsonl' || jsonlByLines(headText);
}

/** JSON Lines held in memory (an upload), line by line as a file is read. */
export function* readJsonlBytes(bytes: Uint8Array, path: string, fetchedAt: string, onWarning?: ReadOptions['onWarning']): Generator<InputItem> {
  const reader = jsonlLines(path, fetchedAt, onWarning);
  let start = 0;
  while (start < bytes.length) {
    let nl = bytes.indexOf(10, start);
    if (nl < 0) nl = bytes.length;
    const length = nl - start;
    yield* reader.emit(length > MAX_JSONL_LINE_BYTES ? null : bytes.subarray(start, nl), length + 1);
    start = nl + 1;
  }
  if (reader.records() === 0) throw noRecords(path);
}

async function* readJsonlStream(fh: FileHandle, size: number, path: string, opts: ReadOptions, fetchedAt: string): AsyncGenerator<InputItem> {
  const { emit, records } = jsonlLines(path, fetchedAt, opts.onWarning);
  let parts: Buffer[] = [];
  let partBytes = 0;
  let position = 0;
  // a file that keeps growing while it is read is read to about the size it had
  while (position <= size) {
    const chunk = await readAt(fh, JSONL_CHUNK, position);
    if (chunk.length === 0) break;
    position += chunk.length;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const lineBytes = partBytes + piece.length;
      yield* emit(lineBytes > MAX_JSONL_LINE_BYTES ? null : parts.length === 0 ? piece : Buffer.concat([...parts, piece]), lineBytes + 1);
      parts = [];
      partBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    partBytes += rest.length;
    // past the limit only the count is kept, until the line ends
    if (partBytes > MAX_JSONL_LINE_BYTES) parts = [];
    else if (rest.length > 0) parts.push(Buffer.from(rest));
  }
  if (partBytes > 0) yield* emit(partBytes > MAX_JSONL_LINE_BYTES ? null : Buffer.concat(parts), partBytes);
  if (records() === 0) throw noRecords(path);
}

/**
 * Complete lines of a JSON Lines file, as bytes, for a reader in another thread
 * (readInputParts): `firstLine` is the number of its first line; `last` says the file ends
 * with it, so its final line (if the file has no trailing newline) counts its bytes without
 * one. Lines are numbered, limited and decoded as readJsonlStream does.
 */
export interface JsonlChunk {
  readonly kind: 'jsonl';
  readonly path: string;
  readonly fetchedAt: string;
  readonly firstLine: number;
  readonly bytes: Uint8Array;
}
/** The end of a JSON Lines file read in chunks: a file with no record is a failure (noRecords). */
export interface JsonlEnd {
  readonly kind: 'jsonl-end';
  readonly path: string;
  readonly size: number;
}
export type InputPart = InputItem | JsonlChunk | JsonlEnd;

/** Bytes of lines per chunk handed to another thread. */
const JSONL_PART_BYTES = 1024 * 1024;

/**
 * readJsonlStream without parsing: complete lines in chunks of about JSONL_PART_BYTES, each
 * in a buffer of its own (transferable); a line over the limit is a failure here, in order.
 */
async function* readJsonlParts(fh: FileHandle, size: number, path: string, fetchedAt: string): AsyncGenerator<InputPart> {
  let lineNo = 0;
  // the unfinished line at the end of the last read: a copy of its bytes, or, once it is past
  // the limit, only their count
  let carry: Uint8Array | null = null;
  let carryBytes = 0;
  let position = 0;
  const tooLarge = (lineBytes: number): InputItem => {
    lineNo++;
    const where = `${path}:${lineNo}`;
    return { ...failure(where, createError('TOO_LARGE', `${where}: line is over the ${MAX_JSONL_LINE_BYTES}-byte limit`, { subject: where })), bytes: lineBytes };
  };
  const chunkOf = (bytes: Uint8Array): JsonlChunk => {
    let lines = 0;
    // Buffer's indexOf (memchr), not the typed array's element by element
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let nl = view.indexOf(10); nl >= 0; nl = view.indexOf(10, nl + 1)) lines++;
    const chunk: JsonlChunk = { kind: 'jsonl', path, fetchedAt, firstLine: lineNo + 1, bytes };
    lineNo += lines + (bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0);
    return chunk;
  };
  while (position <= size) {
    // one buffer per chunk, the unfinished line first, read into directly: it moves to a
    // worker whole and is never copied (a copy per chunk was most of this thread's reading)
    const head = carry?.length ?? 0;
    const buf = Buffer.allocUnsafeSlow(head + JSONL_PART_BYTES);
    if (carry) buf.set(carry, 0);
    let got = 0;
    while (got < JSONL_PART_BYTES) {
      const { bytesRead } = await fh.read(buf, head + got, JSONL_PART_BYTES - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got === 0) break;
    position += got;
    const data = buf.subarray(0, head + got);
    const lastNl = data.lastIndexOf(10);
    if (lastNl < head) {
      // no line ends here: past the limit only the count is kept, until the line ends
      carryBytes += got;
      carry = carryBytes > MAX_JSONL_LINE_BYTES ? null : new Uint8Array(data);
      continue;
    }
    let start = 0;
    let over: InputItem | null = null;
    if (carryBytes > 0) {
      // the line carried over ends at this read's first newline
      const lineBytes = carryBytes + data.indexOf(10, head) - head;
      if (lineBytes > MAX_JSONL_LINE_BYTES) {
        over = tooLarge(lineBytes + 1);
        start = data.indexOf(10, head) + 1;
      }
    }
    // the rest is copied before the chunk is handed on (moving its buffer empties every view of it)
    const rest = data.subarray(lastNl + 1);
    carryBytes = rest.length;
    carry = rest.length > 0 ? new Uint8Array(rest) : null;
    if (over) yield over;
    if (start <= lastNl) yield chunkOf(data.subarray(start, lastNl + 1));
  }
  if (carryBytes > 0) yield carryBytes > MAX_JSONL_LINE_BYTES || !carry ? tooLarge(carryBytes) : chunkOf(carry);
  yield { kind: 'jsonl-end', path, size };
}

/** The failure of a JSON Lines file read in chunks that held no record (as readInputs reports it). */
export function noRecordsItem(end: JsonlEnd): InputItem & { ok: false } {
  return { ...failure(end.path, noRecords(end.path)), bytes: end.size };
}

/**
 * The reader of one JSON Lines line, for chunks read in another thread: the item
 * readJsonlStream gives for it (null for a blank line), with the warning its decoding gave.
 */
export function jsonlLineItem(line: Uint8Array, lineNo: number, bytes: number, path: string, fetchedAt: string): { item: InputItem | null; warning?: string } {
  const where = `${path}:${lineNo}`;
  const decoded = decodeLine(line);
  const warning = decoded.warning ? { warning: decoded.warning } : {};
  try {
    const draft = parseJsonlLine(decoded.text, lineNo, path, fetchedAt);
    return { item: draft ? { ok: true, draft, bytes } : null, ...warning };
  } catch (e) {
    return { item: { ...failure(where, e), bytes }, ...warning };
  }
}

async function* readFile(path: string, opts: ReadOptions, chunked = false): AsyncGenerator<InputPart> {
  const fetchedAt = opts.now().toISOString();
  const { fh, size } = await openRegular(path);
  try {
    if (size === 0) {
      throw createError('EMPTY_INPUT', `ingest: ${path} is empty (0 bytes); expected an article`, { subject: path });
    }
    // sniff on the head only: a JSON Lines file may be far larger than what we read whole
    const head = await readAt(fh, 4096, 0);
    if (isJsonlHead(head, path)) {
      if (size > opts.maxJsonlBytes) {
        throw createError('TOO_LARGE', `ingest: ${path} is ${size} bytes, over the ${opts.maxJsonlBytes}-byte limit for JSON Lines`, { subject: path });
      }
      yield* chunked ? readJsonlParts(fh, size, path, fetchedAt) : readJsonlStream(fh, size, path, opts, fetchedAt);
      return;
    }
    const tooLarge = (n: number): ParallaxError => createError('TOO_LARGE', `ingest: ${path} is ${n} bytes, over the ${opts.maxFileBytes}-byte limit (raise it with --max-bytes)`, { subject: path });
    if (size > opts.maxFileBytes) throw tooLarge(size);
    const bytes = await readAt(fh, Math.min(opts.maxFileBytes, size) + 1, 0);
    if (bytes.length > opts.maxFileBytes) throw tooLarge(bytes.length);
    const decoded = decodeBytes(bytes, path);
    if (decoded.warning) opts.onWarning?.(path, decoded.warning);
    const text = decoded.text;
    if (text.trim() === '') throw createError('EMPTY_INPUT', `ingest: ${path} has only white space; expected an article`, { subject: path });
    const items = draftsFromDocument(text, sniffKind(text, path), path, null, fetchedAt, opts.deferHtml);
    for (let i = 0; i < items.length; i++) yield i === 0 ? { ...items[i]!, bytes: size } : items[i]!;
  } finally {
    await fh.close();
  }
}

async function* readUrl(url: string, opts: ReadOptions): AsyncGenerator<InputItem> {
  const fetched = await fetchUrl(url, opts.fetch);
  const decoded = decodeBytes(fetched.bytes, url, fetched.contentType);
  if (decoded.warning) opts.onWarning?.(url, decoded.warning);
  const text = decoded.text;
  // the source is the URL asked for, which is what a failure must name (a page that fails after
  // a redirect was reported under the URL it redirected to); the article keeps the final URL
  yield* draftsFromDocument(text, sniffKind(text, fetched.contentType ?? fetched.url), url, fetched.url, fetched.fetchedAt, opts.deferHtml);
}

/** `scheme://...`: an input the CLI fetches rather than opens (fetchUrl refuses what is not http(s)). */
const URL_INPUT = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Fetches http(s) URLs only, for callers that must never reach the local disk (the HTTP API):
 * anything else (a path, `x:../etc/passwd`, `file:`) is a URL_REFUSED failure of its own.
 */
export async function* readUrls(urls: readonly string[], options: Partial<ReadOptions> = {}): AsyncGenerator<InputItem> {
  const opts: ReadOptions = { ...DEFAULT_READ_OPTIONS, ...options };
  for (const url of urls) {
    if (!/^https?:\/\//i.test(url)) {
      const shown = JSON.stringify(url.slice(0, 200));
      yield failure(url, createError('URL_REFUSED', `fetch: ${shown}: only http and https URLs are fetched`, { subject: url }));
      continue;
    }
    try {
      yield* readUrl(url, opts);
    } catch (e) {
      yield failure(url, e);
    }
  }
}

/**
 * Reads every input (files, directories recursively, http(s) URLs) and yields one item
 * per article or per failure, in order. A failure never stops the other inputs.
 */
export function readInputs(inputs: readonly string[], options: Partial<ReadOptions> = {}): AsyncGenerator<InputItem> {
  return readAll(inputs, { ...DEFAULT_READ_OPTIONS, ...options }, false) as AsyncGenerator<InputItem>;
}

/**
 * readInputs, but JSON Lines files come as chunks of raw lines (JsonlChunk, then JsonlEnd),
 * for threads that decode and parse them in parallel (jsonlLineItem gives each line's item);
 * everything else comes as readInputs gives it, in the same order.
 */
export function readInputParts(inputs: readonly string[], options: Partial<ReadOptions> = {}): AsyncGenerator<InputPart> {
  return readAll(inputs, { ...DEFAULT_READ_OPTIONS, ...options }, true);
}

async function* readAll(inputs: readonly string[], opts: ReadOptions, chunked: boolean): AsyncGenerator<InputPart> {
  for (const input of inputs) {
    if (URL_INPUT.test(input)) {
      try {
        yield* readUrl(input, opts);
      } catch (e) {
        yield failure(input, e);
      }
      continue;
    }
    const path = resolve(input);
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      yield failure(input, createError('NOT_FOUND_PATH', `ingest: ${input} does not exist; expected a file, a directory or an http(s) URL`, { subject: input }));
      continue;
    }
    const files = isDir
      ? walk(path)
      : (async function* () {
          yield path;
        })();
    let seen = 0;
    for await (const file of files) {
      seen++;
      if (typeof file !== 'string') {
        yield file;
        continue;
      }
      try {
        yield* readFile(file, opts, chunked);
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
    if (isDir && seen === 0) {
      yield failure(input, createError('EMPTY_INPUT', `ingest: directory ${input} has no files to read (hidden files and node_modules are skipped)`, { subject: input }));
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
      // never a plain open: a FIFO given as an input would block it until a writer came
      const { fh } = await openRegular(path);
      try {
        n = (await fh.read(head, 0, head.length, 0)).bytesRead;
      } finally {
        await fh.close();
      }
    } catch {
      // unreadable or not a regular file: reported by readInputs
    }
    if (sniffKind(head.toString('latin1', 0, n), path) === 'html') htmlBytes += size;
  };
  for (const input of inputs) {
    if (URL_INPUT.test(input)) continue;
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

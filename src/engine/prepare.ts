import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Draft } from '../ingest/draft.js';
import { createError, ERROR_CODES, type ErrorCode } from '../errors.js';
import { OutletNames, type OutletEntry } from '../ingest/outlets.js';
import type { InputItem } from '../ingest/read.js';
import { fromWire, prepareWire, type Prepared, type PreparedWire, type Wants } from '../stages/prepare.js';

/**
 * Preparation: the per-article work that needs nothing but the article, done before the
 * sequential part of a pipeline (storage, dedup, story assignment). Building an article
 * (normalising, metadata, sentences, language) and the analyses the stages read (clustering
 * features, the reprint sketch) are about half of `parallax cluster` and a good share of
 * ingest, and they split across cores:
 * with `workers > 0` they run in worker threads, chunk by chunk, while the main thread
 * consumes earlier chunks. Results come back in input order and are identical to the
 * in-thread path (both call `prepareWire`, stages/prepare.ts), so the stories do not depend on
 * the worker count.
 */

export type { Prepared, Wants };

export type PreparedItem =
  | { readonly ok: true; readonly prepared: Prepared; readonly bytes: number | undefined }
  | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined };

export interface PrepareOptions {
  /** worker threads; 0 prepares in this thread */
  readonly workers: number;
  /** what to build and analyse (stages/prepare.ts) */
  readonly wants: Wants;
  /** articles per message to a worker */
  readonly chunk?: number;
  /**
   * How many articles may be prepared ahead of the caller (at least two chunks per worker):
   * a caller that works in batches (ingest commits 500 at a time) should let the workers
   * prepare the next batch meanwhile.
   */
  readonly ahead?: number;
  /** the user's outlet names, on top of the built-in table (ingest/outlets.ts) */
  readonly outlets?: readonly OutletEntry[];
  /** another worker script (tests of failing workers); the default is prepare-worker */
  readonly workerScript?: URL;
}

export { defaultWorkers } from './default-workers.js';

/**
 * A number of worker threads, or a choice the inputs make as they are read: `pages` when the
 * first inputs read are mostly HTML pages (by characters; extracting a page is most of the
 * work), else `other`. Decided from what the pipeline reads anyway, so no input is opened twice.
 */
export type WorkerCount = number | { readonly pages: number; readonly other: number };

/** Inputs read before a WorkerCount choice is made: up to this many, or this many characters. */
const CHOICE_ITEMS = 64;
const CHOICE_CHARS = 8 * 1024 * 1024;

/**
 * The worker count for these items, and the items to go on with (the ones read to decide
 * first, then the rest): a number is kept as it is; a choice reads the first few inputs.
 */
export async function chooseWorkers(items: AsyncIterable<InputItem> | Iterable<InputItem>, count: WorkerCount): Promise<{ workers: number; items: AsyncIterable<InputItem> | Iterable<InputItem> }> {
  if (typeof count === 'number') return { workers: count, items };
  const it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<InputItem>)[Symbol.iterator]();
  const head: InputItem[] = [];
  let pages = 0;
  let chars = 0;
  let failure: { error: unknown } | null = null;
  try {
    while (head.length < CHOICE_ITEMS && chars < CHOICE_CHARS) {
      const r = await it.next();
      if (r.done) break;
      head.push(r.value);
      if (r.value.ok) {
        const page = r.value.draft.pendingHtml?.length ?? 0;
        pages += page;
        chars += r.value.draft.text.length + page;
      }
    }
  } catch (e) {
    // raised after the items read before it, as the source itself would
    failure = { error: e };
  }
  const rest = async function* (): AsyncGenerator<InputItem> {
    yield* head;
    if (failure) throw failure.error;
    let done = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // a caller that stops early closes the source (files, downloads) as it would have
      if (!done) await it.return?.();
    }
  };
  return { workers: chars > 0 && pages * 2 > chars ? count.pages : count.other, items: rest() };
}

/** Prepares items in order: in this thread, or in `workers` worker threads. */
export async function* prepareItems(items: AsyncIterable<InputItem> | Iterable<InputItem>, options: PrepareOptions): AsyncGenerator<PreparedItem> {
  if (options.workers <= 0) {
    const outlets = options.outlets && options.outlets.length > 0 ? new OutletNames(undefined, options.outlets) : undefined;
    for await (const item of items) yield prepareHere(item, options.wants, outlets);
    return;
  }
  for await (const x of inWorkers(items, options, { wants: options.wants, ...(options.outlets && options.outlets.length > 0 ? { outlets: options.outlets } : {}) })) {
    if (!x.ok) yield x;
    else yield { ok: true, prepared: fromWire(x.result.prepared), bytes: x.bytes };
  }
}

function prepareHere(item: InputItem, wants: Wants, outlets: OutletNames | undefined): PreparedItem {
  if (!item.ok) return { ok: false, source: item.source, error: item.error, bytes: item.bytes };
  try {
    return { ok: true, prepared: fromWire(prepareWire(item.draft, wants, outlets)), bytes: item.bytes };
  } catch (e) {
    return { ok: false, source: item.draft.source, error: e, bytes: item.bytes };
  }
}

/** What a worker makes of each draft: an article and the analyses the stages asked for. */
export interface WorkerJob {
  readonly wants: Wants;
  readonly outlets?: readonly OutletEntry[];
}

/** A worker's answer for one draft. Errors cross as code and message (classes do not). */
export type WorkerResult = { ok: true; prepared: PreparedWire } | { ok: false; code: string | null; message: string; subject: string | undefined; stack?: string };
export interface WorkerRequest {
  readonly seq: number;
  readonly drafts: readonly Draft[];
  readonly job: WorkerJob;
}

/** The pure work for one draft in a worker. */
export function workOn(draft: Draft, job: WorkerJob, outlets?: OutletNames): WorkerResult {
  return { ok: true, prepared: prepareWire(draft, job.wants, outlets) };
}
export interface WorkerReply {
  readonly seq: number;
  readonly results: readonly WorkerResult[];
}

/**
 * The worker script next to this module: compiled JavaScript in a build. Run from the
 * TypeScript sources (tests, benchmarks under tsx), the worker loads the .ts script through
 * tsx's API, since a worker does not inherit the parent's loader.
 */
function spawnWorker(override?: URL): Worker {
  const here = import.meta.url;
  if (override && !override.href.endsWith('.ts')) return new Worker(override);
  if (here.endsWith('.ts')) {
    const script = (override ?? new URL('./prepare-worker.ts', here)).href;
    // the ESM entry of tsx's API, as its package exports name it (require.resolve would give
    // the CommonJS one; import.meta.resolve is not there under vitest)
    const pkgPath = createRequire(here).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } | string }> };
    const entry = pkg.exports?.['./esm/api']?.import;
    const api = pathToFileURL(join(dirname(pkgPath), (typeof entry === 'string' ? entry : entry?.default) ?? 'dist/esm/api/index.mjs')).href;
    return new Worker(`import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(script)}, ${JSON.stringify(script)}))`, { eval: true });
  }
  return new Worker(override ?? new URL('./prepare-worker.js', here));
}

function revive(r: WorkerResult): unknown {
  if (r.ok) return null;
  if (r.code !== null && r.code in ERROR_CODES) return createError(r.code as ErrorCode, r.message, { subject: r.subject });
  // a bug in the worker: its own stack, which says where
  const e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}

/** Bounds on the drafts read ahead, in characters: in all, and per message to a worker. */
const AHEAD_CHARS = 64 * 1024 * 1024;
const CHUNK_CHARS = 8 * 1024 * 1024;

type Done = Extract<WorkerResult, { ok: true }>;
type WorkerItem =
  | { readonly ok: true; readonly result: Done; readonly bytes: number | undefined }
  | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined };

async function* inWorkers(items: AsyncIterable<InputItem> | Iterable<InputItem>, options: PrepareOptions, job: WorkerJob): AsyncGenerator<WorkerItem> {
  const chunkSize = Math.max(1, Math.floor(options.chunk ?? 64));
  // each worker has two chunks queued, so it never waits for the main thread to hand it more
  const maxInFlight = Math.max(options.workers * 2, Math.ceil((options.ahead ?? 0) / chunkSize));
  const workers: Worker[] = [];
  const load: number[] = [];
  const waiting = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }>();
  // a worker that fails or exits before we close it is a failure, busy or not: a message
  // posted to a dead worker is dropped, and its answer would never come
  let failure: unknown = null;
  let closing = false;
  const fail = (e: unknown): void => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  // chunks in input order: the items read, and the promise of the workers' answers
  const chunks: { items: InputItem[]; reply: Promise<WorkerReply> | null; ready: boolean; chars: number }[] = [];
  // characters of the drafts read ahead (deferred HTML pages are whole pages, up to --max-bytes
  // each): the read-ahead is bounded by size as well as by count
  let aheadChars = 0;
  const it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<InputItem>)[Symbol.iterator]();
  let exhausted = false;
  // an error thrown by the source: raised after the items read before it are yielded, as
  // the in-thread path does
  let sourceError: { error: unknown } | null = null;
  let seq = 0;
  const dispatch = (chunk: InputItem[]): Promise<WorkerReply> | null => {
    const drafts = chunk.flatMap((x) => (x.ok ? [x.draft] : []));
    if (drafts.length === 0) return null;
    if (failure !== null) return Promise.reject(failure);
    let wi = 0;
    for (let i = 1; i < workers.length; i++) if (load[i]! < load[wi]!) wi = i;
    // a worker keeps the process alive only while it has work: a caller that abandons the
    // generator without return() must not leave idle workers holding the process open
    if (load[wi]!++ === 0) workers[wi]!.ref();
    const s = seq++;
    const reply = new Promise<WorkerReply>((resolve, reject) => waiting.set(s, { resolve, reject }));
    workers[wi]!.postMessage({ seq: s, drafts, job } satisfies WorkerRequest);
    return reply;
  };
  const fill = async (start = false): Promise<void> => {
    // at the start, stop reading ahead once the first chunk is answered: the caller is
    // waiting for it (a slow source, such as URLs, would hold the first results back)
    while (!exhausted && chunks.length < maxInFlight && (aheadChars < AHEAD_CHARS || chunks.length < options.workers) && failure === null && !(start && chunks[0]?.ready)) {
      const chunk: InputItem[] = [];
      let chars = 0;
      while (chunk.length < chunkSize && chars < CHUNK_CHARS) {
        let r: IteratorResult<InputItem>;
        try {
          r = await it.next();
        } catch (e) {
          sourceError = { error: e };
          r = { done: true, value: undefined };
        }
        if (r.done) {
          exhausted = true;
          break;
        }
        chunk.push(r.value);
        if (r.value.ok) chars += r.value.draft.text.length + (r.value.draft.pendingHtml?.length ?? 0);
      }
      if (chunk.length > 0) {
        aheadChars += chars;
        const entry = { items: chunk, reply: dispatch(chunk), ready: false, chars };
        // failures are rethrown where the chunk is awaited, in order
        entry.reply?.then(
          () => (entry.ready = true),
          () => (entry.ready = true),
        );
        if (!entry.reply) entry.ready = true;
        chunks.push(entry);
      }
    }
  };
  try {
    for (let i = 0; i < options.workers; i++) {
      const w = spawnWorker(options.workerScript);
      w.unref();
      workers.push(w);
      load.push(0);
      w.on('message', (reply: WorkerReply) => {
        const p = waiting.get(reply.seq);
        if (!p) return;
        waiting.delete(reply.seq);
        if (--load[i]! === 0) w.unref();
        p.resolve(reply);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!closing) fail(new Error(`a preparation worker exited unexpectedly (code ${code})`));
      });
    }
    await fill(true);
    while (chunks.length > 0) {
      const { items: chunk, reply, chars } = chunks.shift()!;
      aheadChars -= chars;
      const answer = reply ? await reply : null;
      // hand the workers more before the caller works on this chunk
      await fill();
      let k = 0;
      for (const item of chunk) {
        if (!item.ok) {
          yield { ok: false, source: item.source, error: item.error, bytes: item.bytes };
          continue;
        }
        const r = answer!.results[k++]!;
        if (r.ok) yield { ok: true, result: r, bytes: item.bytes };
        else yield { ok: false, source: item.draft.source, error: revive(r), bytes: item.bytes };
      }
    }
    if (failure !== null) throw failure;
    if (sourceError !== null) throw (sourceError as { error: unknown }).error;
  } finally {
    closing = true;
    if (sourceError === null) await it.return?.();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

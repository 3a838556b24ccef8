import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Draft } from '../ingest/draft.js';
import type { ReprintInput } from '../ingest/lean.js';
import { createError, ERROR_CODES, isParallaxError, type ErrorCode } from '../errors.js';
import { OutletNames, type OutletEntry } from '../ingest/outlets.js';
import { noRecordsItem, readInputParts, type InputItem, type InputPart, type JsonlEnd, type ReadOptions } from '../ingest/read.js';
import { packSketches, unpackSketches, type PrintSketch, type SketchShape } from '../dedup/prints.js';
import { fromWire, prepareLeanUnit, prepareWire, type LeanEntry, type LeanResult, type LeanUnit, type Prepared, type PreparedWire, type Wants } from '../stages/prepare.js';

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
  { readonly ok: true; readonly prepared: Prepared; readonly bytes: number | undefined } | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined };

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
  const it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
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
export type WorkerResult = { ok: true; prepared: PreparedWire } | ({ ok: false } & WireError);
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

/** An error as it crosses threads (classes do not): catalogue errors by code, bugs with their stack. */
export interface WireError {
  readonly code: string | null;
  readonly message: string;
  readonly subject: string | undefined;
  readonly stack?: string;
}

export function toWireError(e: unknown): WireError {
  return {
    code: isParallaxError(e) ? e.code : null,
    message: e instanceof Error ? e.message : String(e),
    subject: isParallaxError(e) ? e.subject : undefined,
    ...(!isParallaxError(e) && e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}

function revive(r: WireError): unknown {
  if (r.code !== null && r.code in ERROR_CODES) return createError(r.code as ErrorCode, r.message, { subject: r.subject });
  // a bug in the worker: its own stack, which says where
  const e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}

/**
 * Worker threads running the preparation worker script, each message to the least loaded,
 * answered by `seq`. A worker that fails or exits before the pool is closed is a failure,
 * busy or not: a message posted to a dead worker is dropped, and its answer would never come.
 */
class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: unknown) => void }>();
  failure: { readonly error: unknown } | null = null;
  private closing = false;
  private seq = 0;

  constructor(n: number, script?: URL) {
    for (let i = 0; i < n; i++) {
      const w = spawnWorker(script);
      w.unref();
      this.workers.push(w);
      this.load.push(0);
      w.on('message', (reply: { seq: number }) => {
        const p = this.waiting.get(reply.seq);
        if (!p) return;
        this.waiting.delete(reply.seq);
        if (--this.load[i]! === 0) w.unref();
        p.resolve(reply);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a preparation worker exited unexpectedly (code ${code})`));
      });
    }
  }

  private fail(e: unknown): void {
    this.failure ??= { error: e };
    for (const w of this.waiting.values()) w.reject(this.failure.error);
    this.waiting.clear();
  }

  /** Posts `message` with a fresh `seq` (moving `transfer`); the promise of the answer. */
  run<R>(message: object, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.failure !== null) return Promise.reject(this.failure.error);
    let wi = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i]! < this.load[wi]!) wi = i;
    // a worker keeps the process alive only while it has work: a caller that abandons a
    // generator without return() must not leave idle workers holding the process open
    if (this.load[wi]!++ === 0) this.workers[wi]!.ref();
    const seq = this.seq++;
    const reply = new Promise<R>((resolve, reject) => this.waiting.set(seq, { resolve: resolve as (r: unknown) => void, reject }));
    this.workers[wi]!.postMessage({ ...message, seq }, transfer);
    return reply;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Bounds on the drafts read ahead, in characters: in all, and per message to a worker. */
const AHEAD_CHARS = 64 * 1024 * 1024;
const CHUNK_CHARS = 8 * 1024 * 1024;

type Done = Extract<WorkerResult, { ok: true }>;
type WorkerItem =
  { readonly ok: true; readonly result: Done; readonly bytes: number | undefined } | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined };

async function* inWorkers(items: AsyncIterable<InputItem> | Iterable<InputItem>, options: PrepareOptions, job: WorkerJob): AsyncGenerator<WorkerItem> {
  const chunkSize = Math.max(1, Math.floor(options.chunk ?? 64));
  // each worker has two chunks queued, so it never waits for the main thread to hand it more
  const maxInFlight = Math.max(options.workers * 2, Math.ceil((options.ahead ?? 0) / chunkSize));
  let pool: WorkerPool | null = null;
  // chunks in input order: the items read, and the promise of the workers' answers
  const chunks: { items: InputItem[]; reply: Promise<WorkerReply> | null; ready: boolean; chars: number }[] = [];
  // characters of the drafts read ahead (deferred HTML pages are whole pages, up to --max-bytes
  // each): the read-ahead is bounded by size as well as by count
  let aheadChars = 0;
  const it = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let exhausted = false;
  // an error thrown by the source: raised after the items read before it are yielded, as
  // the in-thread path does
  let sourceError: { error: unknown } | null = null;
  const dispatch = (chunk: InputItem[]): Promise<WorkerReply> | null => {
    const drafts = chunk.flatMap((x) => (x.ok ? [x.draft] : []));
    if (drafts.length === 0) return null;
    return pool!.run<WorkerReply>({ drafts, job } satisfies Omit<WorkerRequest, 'seq'>);
  };
  const fill = async (start = false): Promise<void> => {
    // at the start, stop reading ahead once the first chunk is answered: the caller is
    // waiting for it (a slow source, such as URLs, would hold the first results back)
    while (!exhausted && chunks.length < maxInFlight && (aheadChars < AHEAD_CHARS || chunks.length < options.workers) && pool!.failure === null && !(start && chunks[0]?.ready)) {
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
    pool = new WorkerPool(options.workers, options.workerScript);
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
    if (pool.failure !== null) throw pool.failure.error;
    if (sourceError !== null) throw (sourceError as { error: unknown }).error;
  } finally {
    if (sourceError === null) await it.return?.();
    await pool?.close();
  }
}

/** Options of prepareLeanInputs. */
export interface LeanPrepareOptions {
  /** worker threads; 0 prepares in this thread */
  readonly workers: number;
  /** what to analyse (wants.lean must be set) */
  readonly wants: Wants;
  readonly read?: Partial<ReadOptions>;
  /** another worker script (tests of failing workers); the default is prepare-worker */
  readonly workerScript?: URL;
}

/** A lean unit for a worker. */
export interface LeanRequest {
  readonly seq: number;
  readonly lean: LeanUnit;
  readonly wants: Wants;
}

/**
 * A lean entry as it crosses back: errors as WireError, the sketch (if any) packed
 * (`sketched`), the text (if any) a range of one of the reply's `texts` (`text`: which, start, end).
 */
export type LeanWireEntry = LeanEntry & { readonly sketched?: true; readonly text?: readonly [number, number, number] };

/** A worker's answer to a LeanRequest: its entries, the sketches' shapes and their one buffer, the texts; or the bug that stopped it. */
export type LeanReply =
  | {
      readonly seq: number;
      readonly entries: LeanWireEntry[];
      readonly records: number;
      readonly shapes: SketchShape[];
      readonly packed: ArrayBuffer;
      /** the texts joined, as bytes: the Latin-1 ones in Latin-1, the others in UTF-16 (moved, decoded by textsOf) */
      readonly texts: readonly [ArrayBuffer, ArrayBuffer];
    }
  | { readonly seq: number; readonly failed: WireError };

const WIDER = /[^\u0000-\u00ff]/;
/** A string's code units in a buffer of its own (to be moved): one byte each for Latin-1, else UTF-16. */
function bytesOf(s: string, encoding: 'latin1' | 'utf16le'): ArrayBuffer {
  const buf = Buffer.allocUnsafeSlow(Buffer.byteLength(s, encoding));
  buf.write(s, 0, encoding);
  return buf.buffer;
}

/** The texts of a LeanReply as strings (decoded as Latin-1 the first is a one-byte string). */
function textsOf(texts: readonly [ArrayBuffer, ArrayBuffer]): [string, string] {
  return [Buffer.from(texts[0]).toString('latin1'), Buffer.from(texts[1]).toString('utf16le')];
}

/**
 * The work for a LeanRequest in a worker: errors made plain, the sketches packed into one
 * buffer to move, and the texts joined into two strings (the Latin-1 ones and the others),
 * moved as bytes (serialising them as strings copied each twice more), which the main thread
 * decodes and slices: thousands of strings of a few KB each came out of every
 * message in the main thread's young generation, and the collector copied each of them
 * twice on its way to the old one (a third of that thread's collection time on 21,000
 * articles); one large string per message goes straight to the large-object space.
 */
export function leanReply(req: LeanRequest): LeanReply {
  let r: LeanResult;
  try {
    r = prepareLeanUnit(req.lean, req.wants);
  } catch (e) {
    return { seq: req.seq, failed: toWireError(e) };
  }
  const sketches: PrintSketch[] = [];
  const texts: [string[], string[]] = [[], []];
  const at = [0, 0];
  const entries: LeanWireEntry[] = r.entries.map((e) => {
    if (e.ok === false) return { ...e, error: toWireError(e.error) };
    if (e.ok === true) {
      const print = e.wire.analysis.print;
      if (print) sketches.push(print);
      const text = e.wire.input.text;
      const which = WIDER.test(text) ? 1 : 0;
      texts[which].push(text);
      const range = [which, at[which]!, (at[which]! += text.length)] as const;
      // literals of one shape, not spreads (one per article): a lean analysis is its print alone
      const wire = { kind: 'lean' as const, input: withText(e.wire.input, ''), analysis: print ? {} : e.wire.analysis };
      const entry: LeanWireEntry = print ? { ok: true, wire, bytes: e.bytes, text: range, sketched: true } : { ok: true, wire, bytes: e.bytes, text: range };
      return e.warning ? { ...entry, warning: e.warning } : entry;
    }
    return e;
  });
  const { buffer, shapes } = packSketches(sketches);
  return { seq: req.seq, entries, records: r.records, shapes, packed: buffer, texts: [bytesOf(texts[0].join(''), 'latin1'), bytesOf(texts[1].join(''), 'utf16le')] };
}

/** Drafts per unit of inputs that are not JSON Lines, and their characters. */
const UNIT_DRAFTS = 64;
const UNIT_CHARS = 8 * 1024 * 1024;

type Unit = { readonly kind: 'job'; readonly unit: LeanUnit } | { readonly kind: 'ready'; readonly entries: LeanEntry[] } | { readonly kind: 'end'; readonly part: JsonlEnd };

/** The input parts grouped into units of work, in order. */
async function* unitsOf(parts: AsyncIterable<InputPart>): AsyncGenerator<Unit> {
  let drafts: { draft: Draft; bytes: number | undefined }[] = [];
  let chars = 0;
  const flush = (): Unit | null => {
    if (drafts.length === 0) return null;
    const unit: Unit = { kind: 'job', unit: { kind: 'drafts', drafts } };
    drafts = [];
    chars = 0;
    return unit;
  };
  for await (const part of parts) {
    if ('kind' in part) {
      const f = flush();
      if (f) yield f;
      yield part.kind === 'jsonl' ? { kind: 'job', unit: { kind: 'jsonl', chunk: part } } : { kind: 'end', part };
      continue;
    }
    if (!part.ok) {
      const f = flush();
      if (f) yield f;
      yield { kind: 'ready', entries: [{ ok: false, source: part.source, error: part.error, bytes: part.bytes }] };
      continue;
    }
    drafts.push({ draft: part.draft, bytes: part.bytes });
    chars += part.draft.text.length + (part.draft.pendingHtml?.length ?? 0);
    if (drafts.length >= UNIT_DRAFTS || chars >= UNIT_CHARS) yield flush()!;
  }
  const f = flush();
  if (f) yield f;
}

/**
 * Lean preparation of files for a pipeline of stages that read only text and dates over a
 * store not kept (`parallax dupes` on files): the reading itself goes to the workers. This
 * thread reads JSON Lines files as raw chunks of whole lines (no decoding, no JSON) and each
 * worker decodes, parses, builds the lean input and sketches it (stages/prepare.ts,
 * prepareLeanUnit), answering with the sketches packed into one moved buffer; other inputs
 * are read here and prepared in the workers in units of drafts. The items, failures, warnings
 * (read.onWarning) and their order are those of readInputs followed by prepareItems, for any
 * number of workers (0: all in this thread).
 */
export async function* prepareLeanInputs(inputs: readonly string[], options: LeanPrepareOptions): AsyncGenerator<PreparedItem> {
  const read = { deferHtml: true, ...options.read };
  const onWarning = read.onWarning;
  const units = unitsOf(readInputParts(inputs, read));
  // records of the JSON Lines file being read, to report one that has none
  let records = 0;
  function* emit(entries: readonly LeanEntry[]): Generator<PreparedItem> {
    for (const e of entries) {
      if (e.warning) onWarning?.(e.warning[0], e.warning[1]);
      if (e.ok === true) yield { ok: true, prepared: fromWire(e.wire), bytes: e.bytes };
      else if (e.ok === false) yield { ok: false, source: e.source, error: e.error, bytes: e.bytes };
    }
  }
  const noRecords = (end: JsonlEnd): LeanEntry => {
    const item = noRecordsItem(end);
    return { ok: false, source: item.source, error: item.error, bytes: item.bytes };
  };
  if (options.workers <= 0) {
    try {
      for await (const unit of units) {
        if (unit.kind === 'end') {
          if (records === 0) yield* emit([noRecords(unit.part)]);
          records = 0;
        } else if (unit.kind === 'ready') yield* emit(unit.entries);
        else {
          const r = prepareLeanUnit(unit.unit, options.wants);
          records += r.records;
          yield* emit(r.entries);
        }
      }
    } finally {
      await units.return(undefined);
    }
    return;
  }
  const pool = new WorkerPool(options.workers, options.workerScript);
  try {
    // Units in input order, each prepared by a worker (`reply`) or by this thread (`local`).
    // This thread also prepares while it would otherwise wait for a worker's answer: it takes
    // the first unit no worker has been given. Between the caller's work (indexing and
    // verifying) and these units it stays busy, so one worker per spare core is enough: two
    // workers and this thread on two cores spent a tenth more CPU on switching and on a second
    // worker's start, and this thread still idled a third of the run.
    type Job = { unit: Unit; reply: Promise<LeanReply> | null; answered: boolean; local: { r: LeanResult } | { error: unknown } | null; here: boolean };
    const queue: Job[] = [];
    // the first units are this thread's own: a worker spends its first second starting and
    // running cold code, and this thread, which takes the units in order, would wait for it
    let ownLeft = OWN_FIRST_UNITS;
    // units given to workers and not answered yet: each worker keeps up to DEPTH, so that it
    // has work while this thread is busy (the caller's work, or a unit of its own)
    let outstanding = 0;
    let exhausted = false;
    const post = (job: Job): void => {
      if (job.unit.kind !== 'job') return;
      outstanding++;
      const unit = job.unit.unit;
      // a chunk's bytes are in a buffer of their own (readInputParts): moved, not copied
      const transfer = unit.kind === 'jsonl' ? [unit.chunk.bytes.buffer as ArrayBuffer] : [];
      job.reply = pool.run<LeanReply>({ lean: unit, wants: options.wants } satisfies Omit<LeanRequest, 'seq'>, transfer);
      const answered = (): void => {
        job.answered = true;
        outstanding--;
      };
      // failures are rethrown where the unit is awaited, in order
      job.reply.then(answered, answered);
    };
    const unposted = (j: Job): boolean => j.unit.kind === 'job' && j.reply === null && j.local === null;
    const postable = (j: Job): boolean => unposted(j) && !j.here;
    const busy = options.workers * DEPTH;
    const fill = async (): Promise<void> => {
      for (;;) {
        // units waiting for a worker, first in order
        for (const j of queue) {
          if (outstanding >= busy) break;
          if (postable(j)) post(j);
        }
        // and one more read ahead, for this thread to take while it waits; the units read
        // ahead and not yet taken by the caller are bounded
        if (exhausted || queue.length >= busy + MAX_PREPARED_HERE + OWN_FIRST_UNITS + 2 || (outstanding >= busy && queue.some(postable))) return;
        const next = await units.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        const here = next.value.kind === 'job' && ownLeft > 0;
        if (here) ownLeft--;
        queue.push({ unit: next.value, reply: null, answered: false, local: null, here });
      }
    };
    const prepareHere = (job: Job): void => {
      try {
        job.local = { r: prepareLeanUnit((job.unit as Extract<Unit, { kind: 'job' }>).unit, options.wants) };
      } catch (e) {
        job.local = { error: e };
      }
    };
    await fill();
    while (queue.length > 0) {
      const head = queue[0]!;
      if (head.unit.kind === 'job' && head.local === null) {
        if (head.reply === null) prepareHere(head);
        else if (!head.answered) {
          const spare = queue.find(unposted);
          if (spare && queue.filter((j) => j.local !== null).length < MAX_PREPARED_HERE) {
            prepareHere(spare);
            // let the workers' answers in before looking again
            await new Promise((r) => setImmediate(r));
            await fill();
            continue;
          }
        }
      }
      queue.shift();
      const unit = head.unit;
      // the workers are handed more before this thread goes on, whatever the unit
      if (unit.kind !== 'job') await fill();
      if (unit.kind === 'end') {
        if (records === 0) yield* emit([noRecords(unit.part)]);
        records = 0;
      } else if (unit.kind === 'ready') yield* emit(unit.entries);
      else if (head.local !== null) {
        if ('error' in head.local) throw head.local.error;
        const r = head.local.r;
        await fill();
        records += r.records;
        yield* emit(r.entries);
      } else {
        const r = await head.reply!;
        if ('failed' in r) throw revive(r.failed);
        // hand the workers more before the caller works on this unit
        await fill();
        records += r.records;
        yield* emit(fromLeanReply(r));
      }
      if (queue.length === 0) await fill();
    }
  } finally {
    await units.return(undefined);
    await pool.close();
  }
}

/** Units this thread prepares ahead of the one in order, at most (their results wait in memory). */
const MAX_PREPARED_HERE = 4;
/** Units this thread prepares first, while the workers start. */
const OWN_FIRST_UNITS = 4;
/**
 * Units each worker holds at a time: about three quarters of a second of work for 1 MB units
 * of news, so that a stall of this thread (loading chrono for the first date it reads, half a
 * second) does not leave the worker idle.
 */
const DEPTH = 8;

/** The input with another text: every field listed, so that a new field must be listed here too. */
function withText(i: ReprintInput, text: string): ReprintInput {
  return {
    id: i.id,
    key: i.key,
    source: i.source,
    url: i.url,
    externalId: i.externalId,
    text,
    outlet: i.outlet,
    contentHash: i.contentHash,
    fetchedAt: i.fetchedAt,
    given: i.given,
    removedCredits: i.removedCredits,
  };
}

/** A worker's entries as this thread's: errors revived, sketches unpacked in order, texts sliced from the reply's. */
function fromLeanReply(r: Extract<LeanReply, { entries: unknown }>): LeanEntry[] {
  const sketches = unpackSketches(r.shapes, r.packed);
  const texts = textsOf(r.texts);
  let k = 0;
  return r.entries.map((e): LeanEntry => {
    if (e.ok === false) return { ...e, error: revive(e.error as WireError) };
    if (e.ok === true) {
      // literals of one shape, not spreads (one per article): a lean analysis is its print alone
      const input = e.text ? withText(e.wire.input, texts[e.text[0]]!.slice(e.text[1], e.text[2])) : e.wire.input;
      const analysis = e.sketched ? { print: sketches[k++]! } : e.wire.analysis;
      const entry: LeanEntry = { ok: true, wire: { kind: 'lean', input, analysis }, bytes: e.bytes };
      return e.warning ? { ...entry, warning: e.warning } : entry;
    }
    return e;
  });
}

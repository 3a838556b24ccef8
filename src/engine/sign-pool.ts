import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReprintPrint } from '../dedup/prints.js';
import type { DedupParams } from '../dedup/signature.js';
import type { Draft } from '../ingest/draft.js';
import { inputSizes, noRecordsItem, readInputParts, type InputPart, type ReadOptions } from '../ingest/read.js';
import { fromWire, signUnit, unpackPrints, type SignEntry, type SignJob, type WireError } from './sign-work.js';
import type { SignRequest } from './sign-worker.js';

/**
 * Inputs signed for reprint detection, in input order, with the reading itself in worker
 * threads: the main thread reads JSON Lines files as raw chunks of lines (no decoding, no
 * JSON), and each worker decodes, parses and signs the chunks it is given (sign-work.ts), so
 * a large file is read, parsed and signed on every core while the caller indexes and verifies.
 * Other inputs (pages, feeds, text files) are read here and signed in the workers in batches.
 * The items, failures, warnings and their order are those of readInputs followed by
 * reprintPrint, for any number of workers (0: all in this thread).
 */
export type SignedItem =
  | { readonly ok: true; readonly print: ReprintPrint; readonly bytes: number | undefined }
  | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined };

export interface SignOptions {
  /** worker threads; 0 signs in this thread */
  readonly workers: number;
  readonly params: DedupParams;
  readonly read?: Partial<ReadOptions>;
}

/** Local inputs smaller than this are signed in the calling thread: starting workers costs more (about 50 ms each). */
export const SIGN_WORKERS_FROM_BYTES = 4_000_000;
const MAX_DEFAULT_WORKERS = 8;

/**
 * Workers for signing these inputs: none for small inputs, else one per core but the one left
 * to the caller, which reads, indexes and verifies (on 2 cores one worker: with two, the
 * benchmark file took 10.9 s against 7.2-8.5 s, three threads contending for two cores).
 */
export async function signWorkersFor(inputs: readonly string[]): Promise<number> {
  const { bytes } = await inputSizes(inputs, { sniff: false });
  return bytes < SIGN_WORKERS_FROM_BYTES ? 0 : Math.min(MAX_DEFAULT_WORKERS, Math.max(1, availableParallelism() - 1));
}

/** Drafts per batch of non-JSON-Lines inputs, and their characters. */
const BATCH_DRAFTS = 64;
const BATCH_CHARS = 8 * 1024 * 1024;

type Unit = { readonly kind: 'job'; readonly job: SignJob } | { readonly kind: 'ready'; readonly entries: SignEntry[] } | { readonly kind: 'end'; readonly part: Extract<InputPart, { kind: 'jsonl-end' }> };

/** The input parts grouped into units of work, in order. */
async function* unitsOf(parts: AsyncIterable<InputPart>): AsyncGenerator<Unit> {
  let drafts: { draft: Draft; bytes: number | undefined }[] = [];
  let chars = 0;
  const flush = (): Unit | null => {
    if (drafts.length === 0) return null;
    const unit: Unit = { kind: 'job', job: { kind: 'drafts', drafts } };
    drafts = [];
    chars = 0;
    return unit;
  };
  for await (const part of parts) {
    if ('kind' in part) {
      const f = flush();
      if (f) yield f;
      yield part.kind === 'jsonl' ? { kind: 'job', job: { kind: 'jsonl', chunk: part } } : { kind: 'end', part };
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
    if (drafts.length >= BATCH_DRAFTS || chars >= BATCH_CHARS) yield flush()!;
  }
  const f = flush();
  if (f) yield f;
}

export async function* signInputs(inputs: readonly string[], options: SignOptions): AsyncGenerator<SignedItem> {
  const read = { deferHtml: true, ...options.read };
  const onWarning = read.onWarning;
  const units = unitsOf(readInputParts(inputs, read));
  // records of the JSON Lines file being read, to report one that has none
  let records = 0;
  function* emit(entries: readonly SignEntry[]): Generator<SignedItem> {
    for (const e of entries) {
      if (e.warning) onWarning?.(e.warning[0], e.warning[1]);
      if (e.ok === true) yield { ok: true, print: e.print, bytes: e.bytes };
      else if (e.ok === false) yield { ok: false, source: e.source, error: e.error, bytes: e.bytes };
    }
  }
  if (options.workers <= 0) {
    for await (const unit of units) {
      if (unit.kind === 'end') {
        if (records === 0) yield* emit([itemEntry(noRecordsItem(unit.part))]);
        records = 0;
      } else if (unit.kind === 'ready') yield* emit(unit.entries);
      else {
        const r = signUnit(unit.job, options.params);
        records += r.records;
        yield* emit(r.entries);
      }
    }
    return;
  }
  const pool = new Pool(options.workers);
  try {
    // units in input order, each with its answer to come; at most two per worker in flight
    const queue: { unit: Unit; reply: Promise<Reply> | null }[] = [];
    let inFlight = 0;
    let exhausted = false;
    const fill = async (): Promise<void> => {
      while (!exhausted && inFlight < options.workers * 2) {
        const next = await units.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const unit = next.value;
        if (unit.kind === 'job') {
          inFlight++;
          const reply = pool.run(unit.job, options.params);
          // failures are rethrown where the unit is awaited, in order
          reply.catch(() => undefined);
          queue.push({ unit, reply });
        } else queue.push({ unit, reply: null });
      }
    };
    await fill();
    while (queue.length > 0) {
      const { unit, reply } = queue.shift()!;
      if (unit.kind === 'end') {
        if (records === 0) yield* emit([itemEntry(noRecordsItem(unit.part))]);
        records = 0;
      } else if (unit.kind === 'ready') yield* emit(unit.entries);
      else {
        const r = await reply!;
        inFlight--;
        // hand the workers more before the caller works on this unit
        await fill();
        records += r.records;
        yield* emit(r.entries.map((e) => (e.ok === false ? { ...e, error: fromWire(e.error as WireError) } : e)));
      }
      if (queue.length === 0) await fill();
    }
  } finally {
    await units.return(undefined);
    await pool.close();
  }
}

function itemEntry(item: ReturnType<typeof noRecordsItem>): SignEntry {
  return { ok: false, source: item.source, error: item.error, bytes: item.bytes };
}

type Reply = { readonly entries: SignEntry[]; readonly records: number };

/** Worker threads running sign-worker.ts, each unit to the least loaded. */
class Pool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: unknown) => void }>();
  private failure: unknown = null;
  private closing = false;
  private seq = 0;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const w = spawnSignWorker();
      w.unref();
      this.workers.push(w);
      this.load.push(0);
      w.on('message', (m: { seq: number; entries?: SignEntry[]; records?: number; packed?: ArrayBuffer; failed?: WireError }) => {
        const p = this.waiting.get(m.seq);
        if (!p) return;
        this.waiting.delete(m.seq);
        // a worker keeps the process alive only while it has work
        if (--this.load[i]! === 0) w.unref();
        if (m.failed) p.reject(fromWire(m.failed));
        else {
          unpackPrints(m.entries!, m.packed!);
          p.resolve({ entries: m.entries!, records: m.records! });
        }
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a signing worker exited unexpectedly (code ${code})`));
      });
    }
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }

  run(job: SignJob, params: DedupParams): Promise<Reply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    let wi = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i]! < this.load[wi]!) wi = i;
    if (this.load[wi]!++ === 0) this.workers[wi]!.ref();
    const seq = this.seq++;
    const reply = new Promise<Reply>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    // a chunk's bytes are in a buffer of their own (readInputParts): moved, not copied
    const transfer = job.kind === 'jsonl' ? [job.chunk.bytes.buffer as ArrayBuffer] : [];
    this.workers[wi]!.postMessage({ seq, job, params } satisfies SignRequest, transfer);
    return reply;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The worker script next to this module: compiled JavaScript in a build; run from the
 * TypeScript sources (tests, benchmarks under tsx), loaded through tsx's API, since a worker
 * does not inherit the parent's loader.
 */
function spawnSignWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./sign-worker.js', here));
  const script = new URL('./sign-worker.ts', here).href;
  const pkgPath = createRequire(here).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } | string }> };
  const entry = pkg.exports?.['./esm/api']?.import;
  const api = pathToFileURL(join(dirname(pkgPath), (typeof entry === 'string' ? entry : entry?.default) ?? 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(script)}, ${JSON.stringify(script)}))`, { eval: true });
}

import { defaultWorkers } from '../engine/default-workers.js';
import type { WorkerCount } from '../engine/prepare.js';
import { createError } from '../errors.js';
import { availableParallelism } from 'node:os';

/** Local inputs smaller than this are prepared in the main thread: starting a worker costs more. */
export const WORKERS_FROM_BYTES = 1_000_000;
/** The default never starts more (each worker holds its own jsdom and its share of the read-ahead). */
const MAX_DEFAULT_WORKERS = 8;

export const WORKERS_HELP = `worker threads that build articles (and their clustering features) ahead of the sequential work (default: ${defaultWorkers()} for local inputs over 1 MB, one per core when they are mostly HTML pages, else 0; the results are the same for any number)`;

/**
 * The --workers option: the number given, or the default for these inputs (`bytes`: their size
 * when the caller has it already, so directories are not walked twice; only their sizes are
 * looked at, no file is opened). Mostly HTML pages get a worker per core, not per spare core:
 * extracting a page is most of the work, and with it in the workers the main thread is idle
 * most of the time (bench/ingest-html.ts: 36 pages/s with one worker, 57 with two, on 2
 * cores). Whether they are pages is told by the first inputs the pipeline reads
 * (engine/prepare.ts, chooseWorkers), so each input is opened once.
 */
export async function workersFor(inputs: readonly string[], raw: string | undefined, bytes?: number): Promise<WorkerCount> {
  if (raw === undefined) {
    const size = bytes ?? (await (await import('../ingest/read.js')).inputSizes(inputs, { sniff: false })).bytes;
    if (size <= WORKERS_FROM_BYTES) return 0;
    return { pages: Math.min(MAX_DEFAULT_WORKERS, Math.max(1, availableParallelism())), other: Math.min(MAX_DEFAULT_WORKERS, defaultWorkers()) };
  }
  const n = /^\d{1,2}$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 64) throw createError('USAGE', `--workers: expected a whole number from 0 to 64, found "${raw}"`, { subject: '--workers' });
  return n;
}

/** Local inputs smaller than this are read and signed in the main thread by a lean pipeline: starting a worker costs more (about 50 ms). */
export const LEAN_WORKERS_FROM_BYTES = 4_000_000;

/**
 * The default workers of a lean pipeline (`parallax dupes` on files), where the workers read,
 * parse and sign, and the main thread indexes and verifies and prepares too while it would
 * wait (engine/prepare.ts): none for small inputs, else one per spare core (at least one).
 */
export async function leanWorkersFor(inputs: readonly string[]): Promise<number> {
  const { bytes } = await (await import('../ingest/read.js')).inputSizes(inputs, { sniff: false });
  return bytes < LEAN_WORKERS_FROM_BYTES ? 0 : Math.min(MAX_DEFAULT_WORKERS, Math.max(1, availableParallelism() - 1));
}

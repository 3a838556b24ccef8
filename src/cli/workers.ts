import { defaultWorkers } from '../engine/prepare.js';
import { createError } from '../errors.js';
import { inputBytes } from '../ingest/read.js';

/** Local inputs smaller than this are prepared in the main thread: starting a worker costs more. */
export const WORKERS_FROM_BYTES = 1_000_000;

export const WORKERS_HELP = `worker threads that build articles (and their clustering features) ahead of the sequential work (default: ${defaultWorkers()} for local inputs over 1 MB, else 0; the results are the same for any number)`;

/**
 * The --workers option: the number given, or the default for these inputs (`bytes`: their
 * size when the caller has it already, so directories are not walked twice).
 */
export async function workersFor(inputs: readonly string[], raw: string | undefined, bytes?: number): Promise<number> {
  if (raw === undefined) return (bytes ?? (await inputBytes(inputs))) > WORKERS_FROM_BYTES ? defaultWorkers() : 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw createError('USAGE', `--workers: expected a whole number from 0 to 64, found "${raw}"`, { subject: '--workers' });
  return n;
}

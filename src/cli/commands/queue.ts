import type { Command } from 'commander';
import { createError, isParallaxError } from '../../errors.js';
import type { QueueItem } from '../../queue/queue.js';
import { EXIT_OK, dbPath, type Io } from '../context.js';
import type { CliRun } from '../context.js';
import { queueUrl } from './queue-url.js';

function requireQueue(opt: string | undefined, io: Io, command: string): string {
  const url = queueUrl(opt, io);
  if (url === undefined) throw createError('USAGE', `${command}: needs --queue nats://host:4222 (or PARALLAX_QUEUE)`, { subject: '--queue' });
  return url;
}

/**
 * `ingest --queue`: reads local inputs into items (pages unextracted: the workers extract
 * them) and puts URLs on the queue as they are (the workers fetch them); returns at once.
 */
export async function enqueueInputs(
  inputs: readonly string[],
  opts: { db?: string; queue: string; json?: boolean; allowPrivate?: boolean; maxBytes: number; timeoutMs: number },
  io: Io,
): Promise<number> {
  const [{ connectQueue, enqueue, openQueue }, { readInputs }] = await Promise.all([import('../../queue/queue.js'), import('../../ingest/read.js')]);
  const db = dbPath(opts.db, io);
  const nc = await connectQueue(opts.queue);
  try {
    const q = await openQueue(nc, db);
    async function* items(): AsyncGenerator<QueueItem> {
      for (const input of inputs) {
        if (/^https?:\/\//i.test(input)) {
          yield { v: 1, kind: 'url', url: input, allowPrivate: opts.allowPrivate ?? false, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes };
          continue;
        }
        for await (const it of readInputs([input], { deferHtml: true, maxFileBytes: opts.maxBytes })) {
          yield it.ok ? { v: 1, kind: 'draft', draft: it.draft } : { v: 1, kind: 'failed', source: it.source, code: isParallaxError(it.error) ? it.error.code : 'INTERNAL', message: it.error.message };
        }
      }
    }
    const n = await enqueue(q, items());
    if (opts.json) io.out(`${JSON.stringify({ queued: n, stream: q.names.items })}\n`);
    else io.out(`${n} items queued on ${q.names.items}\n`);
    return EXIT_OK;
  } finally {
    await nc.drain().catch(() => undefined);
  }
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('worker')
    .description('take input items from the queue (parallax ingest --queue) and store them, until SIGTERM; run one per core or machine')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--queue <url>', 'NATS JetStream URL (default: $PARALLAX_QUEUE)')
    .option('--batch <n>', 'items taken and stored at once', '50')
    .option('--workers <n>', 'worker threads for preparation in this process', '0')
    .action((opts: { db?: string; queue?: string; batch: string; workers: string }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const url = requireQueue(opts.queue, io, 'worker');
        const batch = Number(opts.batch);
        if (!Number.isInteger(batch) || batch < 1 || batch > 1000) throw createError('USAGE', `--batch: expected 1-1000, found "${opts.batch}"`, { subject: '--batch' });
        const threads = Number(opts.workers);
        if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw createError('USAGE', `--workers: expected 0-64, found "${opts.workers}"`, { subject: '--workers' });
        const db = dbPath(opts.db, io);
        // the queue client, the store and the engine are loaded by this command only
        const [{ connectQueue, openQueue }, { runWorker }, { openDefaultStore }, { userOutlets }] = await Promise.all([
          import('../../queue/queue.js'),
          import('../../queue/worker.js'),
          import('../open.js'),
          import('../outlets.js'),
        ]);
        const log = (msg: string): void => io.err(`${JSON.stringify({ time: new Date().toISOString(), msg })}\n`);
        // a worker started before NATS is up waits for it
        const nc = await connectQueue(url, { wait: true });
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
        try {
          const q = await openQueue(nc, db);
          const store = openDefaultStore(opts.db, io);
          log(`worker taking items from ${q.names.items}`);
          const totals = await runWorker({ queue: q, store, signal: stop.signal, batch, threads, log, outlets: userOutlets(io) });
          log(`worker stopped: ${totals.done} done, ${totals.failed} failed, ${totals.retried} retried`);
          return EXIT_OK;
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          await nc.drain().catch(() => undefined);
        }
      }),
    );

  const queue = program.command('queue').description('the work queue of a store (see parallax worker)');
  queue
    .command('status')
    .description('items pending, in flight, done and failed (with the last errors)')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--queue <url>', 'NATS JetStream URL (default: $PARALLAX_QUEUE)')
    .option('--json', 'print JSON')
    .action((opts: { db?: string; queue?: string; json?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const url = requireQueue(opts.queue, io, 'queue status');
        const { connectQueue, openQueue, queueStatus } = await import('../../queue/queue.js');
        const nc = await connectQueue(url);
        try {
          const s = await queueStatus(await openQueue(nc, dbPath(opts.db, io)));
          if (opts.json) io.out(`${JSON.stringify(s)}\n`);
          else {
            io.out(`queue ${s.stream}\n  pending   ${s.pending}\n  inFlight  ${s.inFlight}\n  done      ${s.done}\n  failed    ${s.failed}\n`);
            for (const e of s.lastErrors) io.out(`    ${e.at}  ${e.source}: ${e.message} [${e.code}]\n`);
          }
          return EXIT_OK;
        } finally {
          await nc.drain().catch(() => undefined);
        }
      }),
    );
}

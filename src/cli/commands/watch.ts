import type { Command } from 'commander';
import { createError } from '../../errors.js';
import type { PollReport } from '../../sources/poller.js';
import { EXIT_OK, EXIT_SOME_FAILED, type Io } from '../context.js';
import type { CliRun } from '../context.js';

/** One line per source per poll: what a person watching stderr needs. */
export function pollLine(r: PollReport): string {
  const head = `${r.ok ? 'ok  ' : 'FAIL'} ${String(r.source).padStart(4)} ${r.url}`;
  if (!r.ok) return `${head}: ${r.error} (${r.consecutiveFailures} in a row; next ${r.nextDueAt}) ${r.ms}ms\n`;
  if (r.notModified) return `${head}: 304 not modified ${r.ms}ms\n`;
  const parts = [`${r.status ?? '-'}`, `${r.items} items`, `${r.new} new`];
  if (r.new > 0) parts.push(`${r.stored} stored (${r.pages} full pages, ${r.summaries} summaries)`);
  if (r.pageFailures > 0) parts.push(`${r.pageFailures} pages failed`);
  if (r.failedItems > 0) parts.push(`${r.failedItems} items failed`);
  return `${head}: ${parts.join(', ')} ${r.ms}ms\n`;
}

export interface WatchFlags {
  readonly hostDelay: string;
  readonly concurrency: string;
  readonly maxBytes: string;
  readonly timeout: string;
}

export function pollerLimits(opts: WatchFlags): { hostDelayMs: number; concurrency: number; fetch: { maxBytes: number; timeoutMs: number } } {
  const num = (v: string, flag: string, min: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw createError('USAGE', `${flag}: expected a number >= ${min}, found "${v}"`, { subject: flag });
    return n;
  };
  return {
    hostDelayMs: num(opts.hostDelay, '--host-delay', 0),
    concurrency: Math.floor(num(opts.concurrency, '--concurrency', 1)),
    fetch: { maxBytes: Math.floor(num(opts.maxBytes, '--max-bytes', 1024)), timeoutMs: num(opts.timeout, '--timeout', 0.001) * 1000 },
  };
}

export function addPollerOptions(cmd: Command): Command {
  return cmd
    .option('--host-delay <ms>', 'least time between two requests to one host', '1000')
    .option('--concurrency <n>', 'sources polled at once (on different hosts)', '8')
    .option('--max-bytes <bytes>', 'largest feed or page', String(10 * 1024 * 1024))
    .option('--timeout <seconds>', 'time limit per request', '20');
}

function reporter(io: Io, json: boolean): (r: PollReport) => void {
  return (r) => (json ? io.out(`${JSON.stringify(r)}\n`) : io.err(pollLine(r)));
}

export function register(program: Command, ctx: CliRun): void {
  addPollerOptions(
    program
      .command('watch')
      .description('poll every due source until stopped (SIGINT/SIGTERM finish the polls under way); new items go through ingest')
      .option('--db <path>', 'SQLite database file (default: $PARALLAX_DB or ./parallax.db)')
      .option('--once', 'poll every source once, then exit (1 when any failed; the others are stored all the same)')
      .option('--json', 'one JSON line per source per poll on stdout, instead of the lines on stderr'),
  )
    .addHelpText('after', '\nAdd sources first with `parallax sources add`. Exit codes: 0 fine, 1 some source failed (--once), 2 usage error, 3 database error.')
    .action((opts: WatchFlags & { db?: string; once?: boolean; json?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const limits = pollerLimits(opts);
        const { openEngine } = await import('../../engine/pipeline.js');
        const { Poller } = await import('../../sources/poller.js');
        const outlets = (await import('../outlets.js')).userOutlets(io);
        const store = (await import('../open.js')).openDefaultStore(opts.db, io);
        const engine = openEngine(store, { outlets });
        let failed = 0;
        const report = reporter(io, Boolean(opts.json));
        try {
          const repo = store.sources;
          const poller = new Poller({
            engine,
            repo,
            ...limits,
            onPoll: (r) => {
              if (!r.ok) failed++;
              report(r);
            },
          });
          const stop = new AbortController();
          const onSignal = (): void => {
            // a second signal is someone who will not wait: what was committed stays, items under way are polled again next time
            if (stop.signal.aborted) process.exit(130);
            io.err('parallax: stopping after the polls under way (again to stop at once)\n');
            stop.abort();
          };
          process.on('SIGINT', onSignal);
          process.on('SIGTERM', onSignal);
          try {
            if (opts.once) {
              const sources = await repo.list();
              if (sources.length === 0) io.err('parallax: no sources; add some with `parallax sources add <url>`\n');
              await poller.pollAll(sources, stop.signal);
            } else {
              if ((await repo.list()).length === 0) io.err('parallax: no sources yet; waiting for some (`parallax sources add <url>` from another shell)\n');
              await poller.run(stop.signal);
            }
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        } finally {
          await engine.close();
        }
        return opts.once && failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
      }),
    );
}

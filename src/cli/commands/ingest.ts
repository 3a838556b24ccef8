import type { Command } from 'commander';
import { createError } from '../../errors.js';
import { WORKERS_HELP, workersFor } from '../workers.js';
import type { IngestFailure, ProgressEvent } from '../../engine/engine.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_SOME_FAILED, colours, type Io } from '../context.js';
import type { CliRun } from '../context.js';
import { queueUrl } from './queue-url.js';

/**
 * A failed input's line. A bug (not a catalogue error) says so and how to report it; under
 * PARALLAX_DEBUG it carries the stack, which is otherwise lost (one input's bug does not
 * stop the rest, so it never reaches the top-level handler that prints stacks).
 */
export function failureText(f: IngestFailure, io: Io): string {
  if (f.code !== 'INTERNAL') return f.message;
  // worded as the top-level handler words a bug (context.ts reportError)
  const head = `unexpected error (a bug in Parallax; PARALLAX_DEBUG=1 shows where): ${f.message}`;
  return io.env['PARALLAX_DEBUG'] && f.stack ? `${head}\n${f.stack}` : head;
}

/** The report's failures for --json: a bug's stack only under PARALLAX_DEBUG. */
function failuresJson(failed: readonly IngestFailure[], io: Io): IngestFailure[] {
  return failed.map((f) => (f.stack && !io.env['PARALLAX_DEBUG'] ? { source: f.source, code: f.code, message: f.message } : f));
}

function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?$/i.exec(value.trim());
  if (!m) throw createError('USAGE', `--max-bytes: expected a size like 20MB or 5000000, found "${value}"`, { subject: '--max-bytes' });
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('ingest')
    .description('read articles from files, directories, feeds, JSON Lines or http(s) URLs and store them')
    .argument('<inputs...>', 'files, directories (read recursively, by content type) or http(s) URLs')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print the summary as JSON')
    .option('--allow-private', 'allow fetching URLs on loopback, private and link-local addresses')
    .option('--max-bytes <size>', 'largest HTML/text/feed file or download', '20MB')
    .option('--timeout <seconds>', 'time limit per URL', '20')
    .option('--batch-size <n>', 'articles per transaction', '500')
    .option('--workers <n>', WORKERS_HELP)
    .option('--queue <url>', 'put the inputs on this NATS JetStream queue for `parallax worker` and return (default: $PARALLAX_QUEUE)')
    .addHelpText('after', '\nExit codes: 0 all stored, 1 some inputs failed (the rest were stored), 2 usage error, 3 database error, 4 internal error (a bug).')
    .action((inputs: string[], opts: { db?: string; json?: boolean; allowPrivate?: boolean; maxBytes: string; timeout: string; batchSize: string; workers?: string; queue?: string }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const maxBytes = parseSize(opts.maxBytes);
        const timeout = Number(opts.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0) throw createError('USAGE', `--timeout: expected seconds > 0, found "${opts.timeout}"`, { subject: '--timeout' });
        const batchSize = /^\d+$/.test(opts.batchSize.trim()) ? Number(opts.batchSize) : Number.NaN;
        if (!Number.isInteger(batchSize) || batchSize < 1) throw createError('USAGE', `--batch-size: expected a whole number >= 1, found "${opts.batchSize}"`, { subject: '--batch-size' });
        const queue = queueUrl(opts.queue, io);
        if (queue !== undefined) {
          const { enqueueInputs } = await import('./queue.js');
          return enqueueInputs(
            inputs,
            { ...(opts.db !== undefined ? { db: opts.db } : {}), queue, json: Boolean(opts.json), allowPrivate: Boolean(opts.allowPrivate), maxBytes, timeoutMs: timeout * 1000 },
            io,
          );
        }
        // the command's implementation is loaded when it runs, not by `parallax --help`
        const [{ inputSizes }, { openEngine }, { openDefaultStore }, { userOutlets }] = await Promise.all([
          import('../../ingest/read.js'),
          import('../../engine/pipeline.js'),
          import('../open.js'),
          import('../outlets.js'),
        ]);
        const useBar = io.isTTY && !opts.json;
        // the inputs' size, walked once (no file opened), for the progress bar and the default
        // worker count
        const bytes = useBar || opts.workers === undefined ? (await inputSizes(inputs, { sniff: false })).bytes : 0;
        const workers = await workersFor(inputs, opts.workers, bytes);
        const c = colours(io);
        const outlets = userOutlets(io);
        const store = openDefaultStore(opts.db, io);
        const engine = openEngine(store, { batchSize, outlets });
        try {
          const bar = useBar
            ? new (await import('cli-progress')).SingleBar({ format: 'ingest [{bar}] {percentage}% | {articles} articles | {failed} failed', hideCursor: true, stream: process.stderr })
            : null;
          let articles = 0;
          let failedCount = 0;
          let done = 0;
          if (bar) bar.start(Math.max(1, bytes), 0, { articles, failed: failedCount });
          const onProgress = (e: ProgressEvent): void => {
            done += e.bytes;
            if (e.kind === 'stored') articles++;
            else failedCount++;
            if (bar) bar.update(done, { articles, failed: failedCount });
            else if (!opts.json) {
              if (e.kind === 'stored') io.out(`${e.outcome.status.padEnd(9)} ${e.outcome.id} ${e.outcome.source}\n`);
              else io.out(`failed    ${e.failure.source}: ${failureText(e.failure, io)}\n`);
            }
          };
          // read, but not exactly as written (bad bytes replaced): said on stderr as it happens
          const warnings: { source: string; message: string }[] = [];
          const onWarning = (source: string, message: string): void => {
            warnings.push({ source, message });
            if (!opts.json) io.err(`parallax: warning: ${source}: ${message}\n`);
          };
          const report = await engine.ingest(inputs, {
            read: { maxFileBytes: maxBytes, fetch: { allowPrivate: Boolean(opts.allowPrivate), maxBytes, timeoutMs: timeout * 1000 }, onWarning },
            onProgress,
            workers,
          });
          bar?.stop();
          if (opts.json) {
            io.out(
              `${JSON.stringify({ new: report.new, unchanged: report.unchanged, updated: report.updated, failed: failuresJson(report.failed, io), ...(warnings.length > 0 ? { warnings } : {}), articles: report.outcomes })}\n`,
            );
          } else {
            io.out(
              `\n${c.bold('Summary')}: ${c.green(`${report.new} new`)}, ${report.unchanged} unchanged, ${c.cyan(`${report.updated} updated`)}, ${report.failed.length > 0 ? c.red(`${report.failed.length} failed`) : '0 failed'}\n`,
            );
            for (const f of report.failed) io.out(`  ${c.red('failed')} ${f.source}: ${failureText(f, io)}\n`);
          }
          // a bug on one input is still a bug: exit 4, whatever else failed or was stored
          const code = report.failed.some((f) => f.code === 'INTERNAL') ? EXIT_INTERNAL : report.failed.length > 0 ? EXIT_SOME_FAILED : EXIT_OK;
          try {
            await engine.close();
          } catch (e) {
            // the articles and their stories are stored; only the deferred clustering state
            // was not, and the next run rebuilds it from the store
            io.err(`parallax: warning: ${e instanceof Error ? e.message : String(e)}; everything ingested is stored, and the next run catches up\n`);
          }
          return code;
        } catch (e) {
          // the ingest's own error is the one to report, not a failure to close after it
          await engine.close().catch(() => undefined);
          throw e;
        }
      }),
    );
}

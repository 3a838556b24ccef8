import type { Command } from 'commander';
import { createError } from '../../errors.js';
import { EXIT_OK } from '../context.js';
import type { CliRun } from '../context.js';
import { dbPath } from '../context.js';
import { queueUrl } from './queue-url.js';
import type { QueueItem } from '../../queue/queue.js';
import { redactUrl } from '../../store/postgres/url.js';
import { addPollerOptions, pollerLimits, type WatchFlags } from './watch.js';

export function register(program: Command, ctx: CliRun): void {
  const cmd = program
    .command('serve')
    .description('serve the HTTP API (/api/v1) and the web UI from one process')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--queue <url>', 'put uploads on this NATS JetStream queue for `parallax worker` (default: $PARALLAX_QUEUE)')
    .option('--allow-private', 'let URL ingest fetch loopback and private addresses')
    .option('--max-body <bytes>', 'largest request body in bytes', String(20 * 1024 * 1024))
    .option('--watch', 'also poll the sources (see `parallax sources`) in this process, as `parallax watch` does; the options below tune it');
  addPollerOptions(cmd)
    .addHelpText(
      'after',
      '\nWrites (POST /api/v1/ingest, POST and DELETE /api/v1/sources) need PARALLAX_TOKEN to be set and sent as a bearer token.\nPARALLAX_READ_TOKEN, when set, protects reads too. Logs are JSON lines on stderr.',
    )
    .action((opts: WatchFlags & { db?: string; port: string; host: string; allowPrivate?: boolean; maxBody: string; watch?: boolean; queue?: string }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw createError('USAGE', `--port: expected 0-65535, found "${opts.port}"`, { subject: '--port' });
        const maxBody = Number(opts.maxBody);
        if (!Number.isInteger(maxBody) || maxBody < 1024) throw createError('USAGE', `--max-body: expected bytes >= 1024, found "${opts.maxBody}"`, { subject: '--max-body' });
        const queueAt = queueUrl(opts.queue, io);
        // the queue client is loaded only with --queue
        const queueing = queueAt !== undefined ? await import('../../queue/queue.js') : null;
        const nc = queueing && queueAt !== undefined ? await queueing.connectQueue(queueAt) : null;
        const queue = queueing && nc ? await queueing.openQueue(nc, dbPath(opts.db, io)) : null;
        // the server (hono, its routes and schemas) and the engine are loaded by this command only
        const [{ createApp }, { SERVER_EXTENSIONS }, { listen }, { openEngine }, { openDefaultStore }] = await Promise.all([
          import('../../server/app.js'),
          import('../../server/extensions.js'),
          import('../../server/serve.js'),
          import('../../engine/pipeline.js'),
          import('../open.js'),
        ]);
        const limits = pollerLimits(opts);
        const outlets = (await import('../outlets.js')).userOutlets(io);
        const store = openDefaultStore(opts.db, io);
        const engine = openEngine(store, { outlets });
        const log = (entry: Record<string, unknown>): void => io.err(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
        const app = createApp({
          engine,
          writeToken: io.env['PARALLAX_TOKEN'] || undefined,
          readToken: io.env['PARALLAX_READ_TOKEN'] || undefined,
          allowPrivate: Boolean(opts.allowPrivate),
          maxBodyBytes: maxBody,
          log,
          extend: SERVER_EXTENSIONS,
          ...(queueing && queue ? { enqueue: (items: readonly QueueItem[]) => queueing.enqueue(queue, items) } : {}),
        });
        const server = await listen(app, { port, host: opts.host });
        log({
          level: 'info',
          msg: 'listening',
          url: server.url,
          db: redactUrl(dbPath(opts.db, io)),
          ...(queue ? { queue: queue.names.items } : {}),
          writes: io.env['PARALLAX_TOKEN'] ? 'token' : 'disabled',
        });
        io.out(`Parallax at ${server.url}/\n`);
        // the poller shares the engine: its items and the API's uploads are committed one batch at a time
        const watching = opts.watch ? (await import('../../sources/watching.js')).startWatching(engine, log, limits) : null;
        await new Promise<void>((resolve) => {
          const stop = (signal: string): void => {
            log({ level: 'info', msg: 'shutting down', signal });
            process.off('SIGTERM', onTerm);
            process.off('SIGINT', onInt);
            void (watching?.stop() ?? Promise.resolve())
              .then(() => server.close())
              .then(() => engine.close())
              .then(() => nc?.drain())
              .catch((e: unknown) => log({ level: 'error', msg: 'closing the store failed; the next start catches up from what is stored', error: e instanceof Error ? e.message : String(e) }))
              .then(resolve);
          };
          const onTerm = (): void => stop('SIGTERM');
          const onInt = (): void => stop('SIGINT');
          process.on('SIGTERM', onTerm);
          process.on('SIGINT', onInt);
        });
        log({ level: 'info', msg: 'stopped' });
        return EXIT_OK;
      }),
    );
}

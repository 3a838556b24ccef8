import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createError } from '../../errors.js';
import type { FollowMode, Source } from '../../sources/types.js';
import { FOLLOW_MODES } from '../../sources/types.js';
import { sourceJson } from '../../sources/json.js';
import { EXIT_OK, EXIT_SOME_FAILED, colours, type Io } from '../context.js';
import type { CliRun } from '../context.js';

const DB_HELP = 'SQLite database file (default: $PARALLAX_DB or ./parallax.db)';

export function parseFollow(value: string): FollowMode {
  if (!(FOLLOW_MODES as readonly string[]).includes(value)) throw createError('USAGE', `--follow: expected auto, always or never, found "${value}"`, { subject: '--follow' });
  return value as FollowMode;
}

function when(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const d = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(d);
  const span = abs < 90 ? `${abs}s` : abs < 5400 ? `${Math.round(abs / 60)}m` : abs < 172_800 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86_400)}d`;
  return d <= 0 ? (abs < 1 ? 'now' : `${span} ago`) : `in ${span}`;
}

function listText(sources: readonly Source[], io: Io, formatInterval: (s: number) => string): string {
  const c = colours(io);
  if (sources.length === 0) return 'No sources. Add one with `parallax sources add <feed or site URL>`.\n';
  const now = Date.now();
  const lines: string[] = [];
  for (const s of sources) {
    const status = s.lastStatus === null ? (s.lastFetchAt ? 'no answer' : '-') : String(s.lastStatus);
    const health = s.consecutiveFailures > 0 ? c.red(`${s.consecutiveFailures} failure${s.consecutiveFailures === 1 ? '' : 's'}`) : c.green('ok');
    lines.push(
      `${c.bold(String(s.id).padStart(4))}  ${s.kind.padEnd(4)} ${(s.format ?? '?').padEnd(4)} every ${formatInterval(s.intervalSeconds).padEnd(6)} ${s.title ?? '(untitled)'}\n` +
        `      ${s.url}${s.siteUrl ? ` (site ${s.siteUrl})` : ''}\n` +
        `      last fetch ${when(s.lastFetchAt, now)}, status ${status}, ${health}, ${s.articles} article${s.articles === 1 ? '' : 's'}, next ${when(s.nextDueAt, now)}\n` +
        (s.lastError ? `      ${c.red('error')}: ${s.lastError}\n` : ''),
    );
  }
  return lines.join('');
}

export function register(program: Command, ctx: CliRun): void {
  const cmd = program.command('sources').description('the feeds and sites `watch` follows: add, import, export, list, remove');

  cmd
    .command('add')
    .description('add feeds (RSS, Atom, JSON Feed) or sites (a page whose <link rel="alternate"> names its feed)')
    .argument('<urls...>', 'feed or site URLs')
    .option('--db <path>', DB_HELP)
    .option('--interval <duration>', 'how often to poll: 90s, 15m, 2h, 1d (at least 1m)', '15m')
    .option('--allow-private', 'let this source (and the pages it links to) be on loopback or private addresses')
    .option('--follow <mode>', 'fetch the linked page for the full article: auto (items with only a summary), always, never', 'auto')
    .option('--json', 'print the result as JSON')
    .option('--timeout <seconds>', 'time limit per request', '20')
    .action((urls: string[], opts: { db?: string; interval: string; allowPrivate?: boolean; follow: string; json?: boolean; timeout: string }) =>
      ctx.run(async () => {
        const { parseInterval } = await import('../../sources/schedule.js');
        const intervalSeconds = parseInterval(opts.interval);
        const follow = parseFollow(opts.follow);
        const timeout = Number(opts.timeout);
        if (!Number.isFinite(timeout) || timeout <= 0) throw createError('USAGE', `--timeout: expected seconds > 0, found "${opts.timeout}"`, { subject: '--timeout' });
        const { addSources } = await import('../../sources/add.js');
        const store = (await import('../open.js')).openDefaultStore(opts.db, ctx.io);
        try {
          const results = await addSources(store.sources, urls, { intervalSeconds, allowPrivate: Boolean(opts.allowPrivate), follow, limits: { timeoutMs: timeout * 1000 } });
          if (opts.json) ctx.io.out(`${JSON.stringify(results.map((r) => (r.ok ? { url: r.url, ok: true, created: r.created, source: sourceJson(r.source) } : r)))}\n`);
          else {
            for (const r of results) {
              if (r.ok) ctx.io.out(`${r.created ? 'added   ' : 'known   '} ${r.source.id} ${r.source.kind} ${r.source.format ?? '?'} ${r.source.url} ${r.source.title ? `(${r.source.title})` : ''}\n`);
              else ctx.io.out(`failed   ${r.url}: ${r.error}\n`);
            }
          }
          return results.every((r) => r.ok) ? EXIT_OK : EXIT_SOME_FAILED;
        } finally {
          await store.close();
        }
      }),
    );

  cmd
    .command('import')
    .description('add the feeds of an OPML file (as exported by feed readers); they are read at their first poll')
    .argument('<file>', 'OPML file')
    .option('--db <path>', DB_HELP)
    .option('--interval <duration>', 'how often to poll', '15m')
    .option('--allow-private', 'let these sources be on loopback or private addresses')
    .option('--follow <mode>', 'auto, always or never (see sources add)', 'auto')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { db?: string; interval: string; allowPrivate?: boolean; follow: string; json?: boolean }) =>
      ctx.run(async () => {
        const { parseInterval } = await import('../../sources/schedule.js');
        const { parseOpml } = await import('../../sources/opml.js');
        const intervalSeconds = parseInterval(opts.interval);
        const follow = parseFollow(opts.follow);
        let xml: string;
        try {
          xml = await readFile(file, 'utf8');
        } catch (e) {
          throw createError('NOT_FOUND_PATH', `sources import: cannot read ${file}: ${(e as Error).message}`, { subject: file });
        }
        const entries = parseOpml(xml, file);
        const bad = entries.find((e) => !/^https?:\/\//i.test(e.xmlUrl));
        if (bad) throw createError('INVALID_FIELD', `sources import: ${file}: xmlUrl "${bad.xmlUrl}" is not an http(s) URL; nothing was imported`, { subject: file });
        const store = (await import('../open.js')).openDefaultStore(opts.db, ctx.io);
        try {
          const repo = store.sources;
          const now = new Date().toISOString();
          // one transaction: a file is imported whole or not at all
          const results = await repo.addAll(
            entries.map((e) => ({
              url: e.xmlUrl,
              siteUrl: e.htmlUrl,
              title: e.title,
              kind: 'feed' as const,
              format: null,
              intervalSeconds,
              allowPrivate: Boolean(opts.allowPrivate),
              follow,
              addedAt: now,
            })),
          );
          const added = results.filter((r) => r.created).length;
          const out = results.map(({ source, created }) => ({ id: source.id, url: source.url, created }));
          if (opts.json) ctx.io.out(`${JSON.stringify({ added, known: entries.length - added, sources: out })}\n`);
          else ctx.io.out(`${added} added, ${entries.length - added} already known, from ${file}\n`);
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );

  cmd
    .command('export')
    .description('print every source as OPML')
    .option('--db <path>', DB_HELP)
    .action((opts: { db?: string }) =>
      ctx.run(async () => {
        const { toOpml } = await import('../../sources/opml.js');
        const store = (await import('../open.js')).openDefaultStore(opts.db, ctx.io, { mustExist: true });
        try {
          ctx.io.out(toOpml(await store.sources.list(), new Date().toISOString()));
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );

  cmd
    .command('list')
    .description('each source with its health: last fetch and status, last error, consecutive failures, articles stored, next poll')
    .option('--db <path>', DB_HELP)
    .option('--json', 'print as JSON')
    .action((opts: { db?: string; json?: boolean }) =>
      ctx.run(async () => {
        const { formatInterval } = await import('../../sources/schedule.js');
        const store = (await import('../open.js')).openDefaultStore(opts.db, ctx.io, { mustExist: true });
        try {
          const sources = await store.sources.list();
          ctx.io.out(opts.json ? `${JSON.stringify({ items: sources.map(sourceJson), total: sources.length })}\n` : listText(sources, ctx.io, formatInterval));
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );

  cmd
    .command('remove')
    .description('stop following sources (the articles stored from them stay)')
    .argument('<ids-or-urls...>', 'source ids (see sources list) or URLs')
    .option('--db <path>', DB_HELP)
    .action((refs: string[], opts: { db?: string }) =>
      ctx.run(async () => {
        const store = (await import('../open.js')).openDefaultStore(opts.db, ctx.io, { mustExist: true });
        try {
          const repo = store.sources;
          let missing = 0;
          for (const ref of refs) {
            const s = await repo.find(/^\d+$/.test(ref) ? Number(ref) : ref);
            if (!s || !(await repo.remove(s.id))) {
              missing++;
              ctx.io.err(`parallax: sources remove: no source ${/^\d+$/.test(ref) ? 'with id' : 'with URL'} ${ref} [UNKNOWN_ID]\n`);
              continue;
            }
            ctx.io.out(`removed ${s.id} ${s.url}\n`);
          }
          return missing > 0 ? EXIT_SOME_FAILED : EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );
}

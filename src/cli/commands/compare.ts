import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Article } from '../../domain/article.js';
import { type ArticleId, parseArticleId, parseStoryId } from '../../domain/ids.js';
import { createError } from '../../errors.js';
import type { Comparison } from '../../compare/index.js';
import { EXIT_OK, EXIT_SOME_FAILED, colours, dbPath, type Io } from '../context.js';
import type { CliRun } from '../context.js';

async function print(c: Comparison, json: boolean | undefined, io: Io): Promise<void> {
  if (json) io.out(`${JSON.stringify(c, null, 2)}\n`);
  else io.out((await import('../../compare/index.js')).renderComparison(c, { colours: colours(io) }));
}

// the command's implementation is loaded when it runs, not by `parallax --help`
const implementation = () => Promise.all([import('../../compare/index.js'), import('../open.js')]);

export function register(program: Command, ctx: CliRun): void {
  program
    .command('compare')
    .description('compare articles of one story: shared facts, what each source adds, quotes, figures, conflicts and a brief')
    .argument('<inputs...>', 'files, directories, http(s) URLs, or ids of stored articles (a + 16 hex digits)')
    .option('--db <path>', 'SQLite database file or postgres:// URL, for stored ids (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print the comparison as one JSON document (schema: docs/comparison-schema.json)')
    .option('--allow-private', 'allow fetching URLs on loopback, private and link-local addresses')
    .addHelpText('after', '\nExit codes: 0 compared, 1 some inputs could not be read (the rest were compared), 2 usage error, 3 database error, 4 internal error (a bug).')
    .action((inputs: string[], opts: { db?: string; json?: boolean; allowPrivate?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const [{ compareArticles }, { openDefaultStore }] = await implementation();
        const articles: Article[] = [];
        let failed = 0;
        // stored ids are read from the store; anything else through ingest, so parsing is identical
        const ids: ArticleId[] = [];
        const paths: string[] = [];
        for (const input of inputs) {
          const id = parseArticleId(input.trim());
          if (id && !existsSync(input)) ids.push(id);
          else paths.push(input);
        }
        if (ids.length > 0) {
          const store = openDefaultStore(opts.db, io, { mustExist: true });
          try {
            const found = new Map((await store.getArticles(ids)).map((a) => [a.id, a]));
            // an unknown id is a failed input like a missing file: reported, the rest compared
            for (const id of ids) {
              const a = found.get(id);
              if (a) articles.push(a);
              else {
                failed++;
                io.err(`parallax: compare: skipped ${id}: no article with that id in ${dbPath(opts.db, io)} [UNKNOWN_ID]\n`);
              }
            }
          } finally {
            await store.close();
          }
        }
        if (paths.length > 0) {
          // the pipeline of ingest, with no stage, over a store in memory: each input read and
          // built once, as ingest builds it
          const [{ Engine }, { MemoryStore }, { userOutlets }] = await Promise.all([import('../../engine/engine.js'), import('../../store/memory/memory-store.js'), import('../outlets.js')]);
          const store = new MemoryStore();
          const engine = new Engine({ store, outlets: userOutlets(io) });
          try {
            const report = await engine.ingest(paths, {
              read: { deferHtml: false, fetch: { allowPrivate: Boolean(opts.allowPrivate) } },
              onProgress: (e) => e.kind === 'failed' && io.err(`parallax: compare: skipped ${e.failure.source}: ${e.failure.message}\n`),
            });
            failed += report.failed.length;
            // in input order; an input read twice is compared once
            const seen = new Set<string>();
            for (const o of report.outcomes) {
              if (seen.has(o.id)) continue;
              seen.add(o.id);
              const a = await store.getArticle(o.id);
              if (a) articles.push(a);
            }
          } finally {
            await engine.close();
          }
        }
        if (articles.length === 0) throw createError('EMPTY_INPUT', `compare: none of the ${inputs.length} input(s) gave an article to compare`, { subject: inputs.join(' ') });
        await print(compareArticles(articles), opts.json, io);
        return failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
      }),
    );

  program
    .command('story')
    .description('compare the articles of a stored story (see `parallax stories`)')
    .argument('<id>', 'story id (s + 16 hex digits)')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print the comparison as one JSON document (schema: docs/comparison-schema.json)')
    .action((rawId: string, opts: { db?: string; json?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const id = parseStoryId(rawId.trim());
        if (!id) throw createError('USAGE', `story: "${rawId}" is not a story id; expected "s" followed by 16 hex digits`, { subject: 'id' });
        const [{ compareArticles }, { openDefaultStore }] = await implementation();
        const store = openDefaultStore(opts.db, io, { mustExist: true });
        try {
          const story = await store.stories.get(id);
          if (!story) throw createError('UNKNOWN_ID', `story: no story with id ${id} in ${dbPath(opts.db, io)}`, { subject: id });
          const articles = await store.getArticles(story.members.map((m) => m.id));
          await print(compareArticles(articles), opts.json, io);
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );
}

import type { Command } from 'commander';
import { DEFAULT_CLASSIFY } from '../../dedup/detect.js';
import type { ReuseLink } from '../../domain/reuse.js';
import { createError } from '../../errors.js';
import { articleIds, inputIdOf } from '../../domain/input-id.js';
import { EXIT_OK, EXIT_SOME_FAILED, colours, type Io } from '../context.js';
import type { CliRun } from '../context.js';

function fraction(v: string, name: string): number {
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw createError('USAGE', `${name}: expected a number in (0, 1], found "${v}"`, { subject: name });
  return n;
}

/** Human output: each original with its copies under it. */
function printGrouped(io: Io, links: readonly ReuseLink[], names: Map<string, string>): void {
  const c = colours(io);
  const under = new Map<string, ReuseLink[]>();
  for (const l of links) {
    const orig = l.original ?? l.a;
    const list = under.get(orig) ?? [];
    list.push(l);
    under.set(orig, list);
  }
  const f = (x: number): string => x.toFixed(2);
  for (const [orig, copies] of under) {
    io.out(`${c.bold(names.get(orig) ?? orig)}  ${c.dim(orig)}${links.some((l) => l.original === orig) ? '' : c.dim('  (no clear original)')}\n`);
    for (const l of copies) {
      const copy = l.a === orig ? l.b : l.a;
      const words = l.passages.reduce((s, p) => s + p.words, 0);
      io.out(`  ${c.cyan(l.class.padEnd(14))} ${names.get(copy) ?? copy}  ${c.dim(copy)}\n`);
      io.out(
        `  ${' '.repeat(14)} ${c.dim(`Jaccard ${f(l.jaccard)} (est. ${f(l.estimatedJaccard)}), containment ${f(l.containment.aInB)}/${f(l.containment.bInA)}, ${l.passages.length} passage(s), ${words} words reused${l.reason ? `; original: ${l.reason}` : ''}`)}\n`,
      );
    }
  }
  io.out(`${links.length} related pair${links.length === 1 ? '' : 's'}\n`);
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('dupes')
    .description('find reprints, near-duplicates and reused passages, in the store or in given files (not stored)')
    .argument('[inputs...]', 'files, directories or URLs to check without storing; none: report the store')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'JSON Lines, one related pair per line')
    .option('--threshold <j>', 'Jaccard at or above which a pair is a near-duplicate', String(DEFAULT_CLASSIFY.nearDuplicate))
    .option(
      '--workers <n>',
      'worker threads that read and sign inputs ahead of the index, which the main thread helps (default: one per spare core, at least one, for local inputs of 4 MB or more, else 0; the results are the same for any number)',
    )
    .option('--min-words <n>', 'words of reused passage that make partial reuse', String(DEFAULT_CLASSIFY.partialWords))
    .addHelpText(
      'after',
      '\nClasses: exact, near-duplicate, contains (one wholly inside the other), partial-reuse.\nThe likely original is the one published earlier, else the one contained in the other, else the one carrying a wire credit, else the one received first.',
    )
    .action((inputs: string[], opts: { db?: string; json?: boolean; threshold: string; minWords: string; workers?: string }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const classify = { ...DEFAULT_CLASSIFY, nearDuplicate: fraction(opts.threshold, '--threshold'), partialWords: Number(opts.minWords) };
        if (!Number.isInteger(classify.partialWords) || classify.partialWords < 5)
          throw createError('USAGE', `--min-words: expected a whole number >= 5, found "${opts.minWords}"`, { subject: '--min-words' });
        const links: ReuseLink[] = [];
        const names = new Map<string, string>();
        const inputIds = new Map<string, string>();
        let failed = 0;
        if (inputs.length > 0) {
          // the pipeline of ingest, with reprint detection alone, over a store in memory: each
          // input is read and signed once (in worker threads for large inputs) and built lean
          // (no sentences, language or text metadata; dates, credits and titles are read from
          // the text only for articles found related)
          // reading, signing and the engine are loaded when the command runs, not by `parallax --help`
          const [{ Engine }, { DedupStage }, { makeParams }, { MemoryStore }, { workersFor, leanWorkersFor }] = await Promise.all([
            import('../../engine/engine.js'),
            import('../../stages/dedup.js'),
            import('../../dedup/signature.js'),
            import('../../store/memory/memory-store.js'),
            import('../workers.js'),
          ]);
          // articles kept as given: a lean article's title, date and credits are then read
          // from its text only for the related ones (the report names them)
          const store = new MemoryStore({ asGiven: true });
          // every fingerprint is kept (nothing is read back from the store) and the order inputs
          // arrive in is the last tie-breaker for the original
          const stage = new DedupStage(makeParams(), { classify, order: 'arrival', cacheSize: Number.POSITIVE_INFINITY, onLink: (l) => links.push(l) });
          const engine = new Engine({ store, stages: [stage], lean: true });
          // by default none for small inputs, else one per core (cli/workers.ts): the
          // workers read, parse and sign, the main thread indexes and verifies
          const workers = opts.workers === undefined ? await leanWorkersFor(inputs) : await workersFor(inputs, opts.workers);
          try {
            const report = await engine.ingest(inputs, {
              workers,
              onProgress: (e) => {
                if (e.kind === 'failed') io.err(`parallax: ${e.failure.message}\n`);
                else if (e.outcome.status === 'unchanged') io.err(`parallax: ${e.outcome.source}: same article as an earlier input (id ${e.outcome.id}); checked once\n`);
              },
            });
            failed = report.failed.length;
            const ids = [...new Set(links.flatMap((l) => [l.a, l.b]))];
            for (const a of await store.getArticles(ids as never)) {
              // a title is read from the text: only the grouped report shows it
              if (!opts.json) names.set(a.id, `${a.title ?? a.source}${a.externalId ? ` [${a.externalId}]` : ''}`);
              inputIds.set(a.id, inputIdOf(a));
            }
          } finally {
            await engine.close();
          }
        } else {
          const { openDefaultStore } = await import('../open.js');
          const store = openDefaultStore(opts.db, io, { mustExist: true });
          try {
            for (let offset = 0; ; offset += 1000) {
              const page = await store.reuse.list({ limit: 1000, offset });
              links.push(...page.items);
              if (page.items.length < 1000) break;
            }
            const ids = [...new Set(links.flatMap((l) => [l.a, l.b]))];
            for (const a of await store.getArticles(ids as never)) {
              names.set(a.id, a.title ?? a.source);
              inputIds.set(a.id, articleIds(a).inputId);
            }
          } finally {
            await store.close();
          }
        }
        // each pair also names its two articles by both ids, a then b (README, "Ids in output")
        const side = (id: string) => ({ articleId: id, inputId: inputIds.get(id) ?? id });
        if (opts.json) for (const l of links) io.out(`${JSON.stringify({ ...l, articles: [side(l.a), side(l.b)] })}\n`);
        else printGrouped(io, links, names);
        return failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
      }),
    );
}

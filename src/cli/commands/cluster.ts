import { displayTitle } from '../../domain/headline.js';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { clusterParams, type ClusterParams, DEFAULT_CLUSTER_PARAMS } from '../../cluster/params.js';
import { WORKERS_HELP, workersFor } from '../workers.js';
import { storyIdOf } from '../../domain/ids.js';
import { articleIds } from '../../domain/input-id.js';
import { createError } from '../../errors.js';
import { scoreClustering, type ClusterScores } from '../../eval/metrics.js';
import { EXIT_OK, EXIT_SOME_FAILED, colours } from '../context.js';
import type { CliRun } from '../context.js';
import { parseStoryId } from '../../domain/ids.js';
import { isIsoDate } from '../../util/iso-date.js';
import { printWhy } from './corrections.js';
import type { StoryQuery } from '../../store/store.js';

interface StoriesOptions {
  db?: string;
  json?: boolean;
  why?: boolean;
  sort: string;
  limit: string;
  offset: string;
  search?: string;
  outlet?: string;
  since?: string;
  until?: string;
  minArticles?: string;
  minOutlets?: string;
}

function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw createError('USAGE', `${flag}: expected a whole number >= ${min}, found "${value}"`, { subject: flag });
  return n;
}

function isoDateFlag(value: string, flag: string): string {
  const v = value.trim();
  if (!isIsoDate(v)) throw createError('USAGE', `${flag}: expected an ISO date such as 2024-02-23, found "${value}"`, { subject: flag });
  return v;
}

/** The flags of `stories`, checked, as a store query. */
function storyQueryOf(opts: StoriesOptions): StoryQuery {
  if (!['newest', 'largest', 'outlets'].includes(opts.sort)) throw createError('USAGE', `--sort: expected newest, largest or outlets, found "${opts.sort}"`, { subject: '--sort' });
  if (opts.search !== undefined && opts.search.trim() === '') throw createError('USAGE', '--search: expected words to search for', { subject: '--search' });
  return {
    limit: wholeNumber(opts.limit, '--limit', 1),
    offset: wholeNumber(opts.offset, '--offset', 0),
    sort: opts.sort as NonNullable<StoryQuery['sort']>,
    ...(opts.search !== undefined ? { search: opts.search } : {}),
    ...(opts.outlet !== undefined ? { outlet: opts.outlet.trim() } : {}),
    ...(opts.since !== undefined ? { since: isoDateFlag(opts.since, '--since') } : {}),
    ...(opts.until !== undefined ? { until: isoDateFlag(opts.until, '--until') } : {}),
    ...(opts.minArticles !== undefined ? { minArticles: wholeNumber(opts.minArticles, '--min-articles', 1) } : {}),
    ...(opts.minOutlets !== undefined ? { minOutlets: wholeNumber(opts.minOutlets, '--min-outlets', 1) } : {}),
  };
}

function readLabels(path: string, what: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw createError('NOT_FOUND_PATH', `eval: cannot read the ${what} file ${path}`, { subject: path });
  }
  const out = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw createError('INVALID_JSONL', `${path}:${i + 1}: expected a JSON object with "id" and "story"`, { subject: `${path}:${i + 1}` });
    }
    const o = v as { id?: unknown; story?: unknown };
    if (typeof o !== 'object' || o === null || (typeof o.id !== 'string' && typeof o.id !== 'number') || (typeof o.story !== 'string' && typeof o.story !== 'number')) {
      throw createError('INVALID_JSONL', `${path}:${i + 1}: expected "id" and "story" fields (strings or numbers)`, { subject: `${path}:${i + 1}` });
    }
    const id = String(o.id);
    if (out.has(id)) throw createError('INVALID_JSONL', `${path}:${i + 1}: id "${id}" appears twice`, { subject: `${path}:${i + 1}` });
    out.set(id, String(o.story));
  });
  return out;
}

/** `--param name=value` pairs as clustering parameters; an unknown name or a value that is not a number is a usage error. */
export function clusterParamsFrom(pairs: readonly string[]): Partial<ClusterParams> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(pair.trim());
    const name = m?.[1];
    if (!m || !name || !Object.hasOwn(DEFAULT_CLUSTER_PARAMS, name)) {
      throw createError('USAGE', `cluster: --param ${pair}: expected name=value, the name one of ${Object.keys(DEFAULT_CLUSTER_PARAMS).join(', ')}`, { subject: '--param' });
    }
    const value = Number(m[2]);
    if (m[2]!.trim() === '' || !Number.isFinite(value)) throw createError('USAGE', `cluster: --param ${pair}: ${name} must be a number`, { subject: `--param ${name}` });
    out[name] = value;
  }
  return out;
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('cluster')
    .description('group the articles of a JSON Lines file into stories, online, in file order, without touching the store')
    .argument('<file>', 'JSON Lines: {id?, url?, title?, text|html, published?, outlet?} per line; other fields are ignored')
    .option('--workers <n>', WORKERS_HELP)
    .option('--param <name=value>', 'set a clustering parameter, e.g. threshold=0.2 or halfLifeDays=30 (repeatable; see docs/DESIGN.md)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addHelpText(
      'after',
      '\nPrints one line {"id", "inputId", "articleId", "story"} per article, in input order: id and inputId are the id of the input (its "id", else its URL, else file:line), articleId the id Parallax gives it.\nEach article joined a story on arrival, with no look-ahead; the story printed is where it is at the end of\nthe stream, after repairs (stories merged when an article bridged them, or split when one had absorbed two events).',
    )
    .action((file: string, opts: { workers?: string; param: string[] }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const params = clusterParamsFrom(opts.param);
        // checked before reading anything (the clusterer's own checks: numbers, ranges)
        clusterParams(params);
        const workers = await workersFor([file], opts.workers);
        // the pipeline of ingest, with story assignment alone, over a store in memory
        // (loaded when the command runs, not by `parallax --help`)
        const [{ Engine }, { ClusterStage }, { MemoryStore }, { userOutlets }] = await Promise.all([
          import('../../engine/engine.js'),
          import('../../stages/cluster.js'),
          import('../../store/memory/memory-store.js'),
          import('../outlets.js'),
        ]);
        const store = new MemoryStore();
        const engine = new Engine({ store, stages: [new ClusterStage({ params, snapshotEvery: Number.POSITIVE_INFINITY })], outlets: userOutlets(io) });
        let report;
        try {
          report = await engine.ingest([file], { workers, onProgress: (e) => e.kind === 'failed' && io.err(`parallax: ${e.failure.message}\n`) });
        } finally {
          await engine.close();
        }
        const failed = report.failed.length;
        const stories: string[] = [];
        for (const o of report.outcomes) stories.push((await store.stories.storyOf(o.id)) ?? '');
        // a story is named by the article that started it: its first article in input order
        const founders = new Map<string, string>();
        report.outcomes.forEach((o, i) => {
          if (!founders.has(stories[i]!)) founders.set(stories[i]!, o.articleId);
        });
        // `id` is the input's id, as `inputId` (what `eval cluster` matches against the gold file)
        report.outcomes.forEach((o, i) =>
          io.out(`${JSON.stringify({ id: o.inputId, articleId: o.articleId, inputId: o.inputId, story: storyIdOf({ kind: 'started', article: founders.get(stories[i]!)! }) })}\n`),
        );
        return failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
      }),
    );

  program
    .command('stories')
    .description('list stored stories (filtered, a page at a time), or show one with its articles')
    .argument('[id]', 'a story id (s + 16 hex digits) to show')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print JSON (JSON Lines for the list)')
    .option('--why', 'with an id: for each article, the evidence that put it in the story')
    .option('--sort <order>', 'newest, largest or outlets', 'newest')
    .option('--limit <n>', 'how many', '50')
    .option('--offset <n>', 'skip this many (the next page)', '0')
    .option('--search <words>', 'only stories with an article containing these words')
    .option('--outlet <name>', 'only stories with an article from this outlet (any case)')
    .option('--since <date>', 'only stories that reach this date or later (ISO, e.g. 2024-02-23)')
    .option('--until <date>', 'only stories that began before this date')
    .option('--min-articles <n>', 'only stories with at least this many articles (2 hides single-article stories)')
    .option('--min-outlets <n>', 'only stories from at least this many outlets')
    .action((rawId: string | undefined, opts: StoriesOptions) =>
      ctx.run(async () => {
        const { io } = ctx;
        const c = colours(io);
        const query = storyQueryOf(opts);
        const { openDefaultStore } = await import('../open.js');
        const store = openDefaultStore(opts.db, io, { mustExist: true });
        try {
          if (rawId !== undefined) {
            const id = parseStoryId(rawId.trim());
            if (!id) throw createError('USAGE', `stories: "${rawId}" is not a story id; expected "s" followed by 16 hex digits`, { subject: 'id' });
            const story = await store.stories.get(id);
            if (!story) throw createError('UNKNOWN_ID', `stories: no story with id ${id}`, { subject: id });
            if (opts.why) {
              if (!opts.json) io.out(`${c.bold(story.label)}\n  ${story.id} · ${story.size} articles\n\n`);
              printWhy(io, (await (await import('../../stages/corrections.js')).loadStoryWhy(store, id))!, opts.json === true);
              return EXIT_OK;
            }
            if (opts.json) {
              io.out(`${JSON.stringify({ ...story, articles: story.members.map((m) => ({ ...m, ...articleIds(m) })), members: undefined })}\n`);
              return EXIT_OK;
            }
            io.out(
              `${c.bold(story.label)}\n  ${story.id} · ${story.size} articles · ${story.outlets.length} outlets · ${story.firstSeen === null ? `undated (ingested ${story.lastIngested ?? '?'})` : story.firstSeen === story.lastSeen ? story.firstSeen : `${story.firstSeen} - ${story.lastSeen}`}\n\n`,
            );
            for (const a of story.members) io.out(`  ${a.id}  ${(a.published ?? '').slice(0, 10).padEnd(10)}  ${(a.outlet ?? '-').slice(0, 22).padEnd(22)}  ${displayTitle(a)}\n`);
            return EXIT_OK;
          }
          const { items, total } = await store.stories.list(query);
          for (const s of items) {
            if (opts.json)
              io.out(
                `${JSON.stringify({ id: s.id, label: s.label, size: s.size, outlets: s.outlets, firstSeen: s.firstSeen, lastSeen: s.lastSeen, undated: s.undated, lastIngested: s.lastIngested })}\n`,
              );
            else io.out(`${c.bold(s.id)}  ${String(s.size).padStart(4)} art. ${String(s.outlets.length).padStart(3)} outl.  ${(s.lastSeen ?? 'undated').slice(0, 10).padEnd(10)}  ${s.label}\n`);
          }
          if (!opts.json) {
            const offset = query.offset ?? 0;
            const shown = items.length > 0 ? `${offset + 1}-${offset + items.length} of ${total} stories` : `0 of ${total} stories`;
            const next = offset + items.length < total ? `; next page: --offset ${offset + items.length}` : '';
            io.out(`${shown}${next}\n`);
          }
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );

  const evalCmd = program.command('eval').description('evaluate results against gold labels');
  evalCmd
    .command('cluster')
    .description('score a clustering: B-cubed, pairwise P/R/F1, adjusted Rand index, V-measure, cluster counts')
    .requiredOption('--gold <file>', 'JSON Lines with {id, story} (e.g. the ECB+ articles file)')
    .requiredOption('--pred <file>', 'JSON Lines with {id, story} (the output of parallax cluster)')
    .option('--json', 'print JSON')
    .action((opts: { gold: string; pred: string; json?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const gold = readLabels(opts.gold, 'gold');
        const pred = readLabels(opts.pred, 'pred');
        for (const id of pred.keys()) if (!gold.has(id)) throw createError('INVALID_FIELD', `eval: id "${id}" in ${opts.pred} is not in ${opts.gold}`, { subject: id });
        for (const id of gold.keys()) if (!pred.has(id)) throw createError('INVALID_FIELD', `eval: id "${id}" in ${opts.gold} has no prediction in ${opts.pred}`, { subject: id });
        const ids = [...gold.keys()];
        const s: ClusterScores = scoreClustering(
          ids.map((i) => gold.get(i)!),
          ids.map((i) => pred.get(i)!),
        );
        if (opts.json) {
          io.out(`${JSON.stringify(s)}\n`);
          return EXIT_OK;
        }
        const f = (x: number): string => x.toFixed(4);
        io.out(
          [
            `items            ${s.items}`,
            `clusters         gold ${s.goldClusters}, predicted ${s.predClusters}`,
            `B-cubed          P ${f(s.bcubed.precision)}  R ${f(s.bcubed.recall)}  F1 ${f(s.bcubed.f1)}`,
            `pairwise         P ${f(s.pairwise.precision)}  R ${f(s.pairwise.recall)}  F1 ${f(s.pairwise.f1)}`,
            `adjusted Rand    ${f(s.ari)}`,
            `V-measure        homogeneity ${f(s.vMeasure.homogeneity)}  completeness ${f(s.vMeasure.completeness)}  V ${f(s.vMeasure.v)}`,
            '',
          ].join('\n'),
        );
        return EXIT_OK;
      }),
    );
}

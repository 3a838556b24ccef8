import type { Command } from 'commander';
import type { Correction, CorrectionResult } from '../../stages/corrections.js';
import type { StoryWhy } from '../../cluster/why.js';
import { parseArticleId, parseStoryId, type ArticleId, type StoryId } from '../../domain/ids.js';
import { createError } from '../../errors.js';
import { EXIT_OK, type Io } from '../context.js';
import type { CliRun } from '../context.js';

function storyId(raw: string, field: string): StoryId {
  const id = parseStoryId(raw.trim());
  if (!id) throw createError('USAGE', `${field}: "${raw}" is not a story id; expected "s" followed by 16 hex digits`, { subject: field });
  return id;
}

function articleId(raw: string, field: string): ArticleId {
  const id = parseArticleId(raw.trim());
  if (!id) throw createError('USAGE', `${field}: "${raw}" is not an article id`, { subject: field });
  return id;
}

async function run(ctx: CliRun, cmd: Command, c: Correction): Promise<number> {
  const io: Io = ctx.io;
  // --db and --json may come before the subcommand's name, where \`stories\` reads them
  const { db, json } = cmd.optsWithGlobals<{ db?: string; json?: boolean }>();
  // the engine and the store are loaded by these commands only, not by `parallax --help`
  const [{ openEngine }, { openDefaultStore }, { applyCorrection }] = await Promise.all([import('../../engine/pipeline.js'), import('../open.js'), import('../../stages/corrections.js')]);
  const engine = openEngine(openDefaultStore(db, io, { mustExist: true }));
  let result: CorrectionResult;
  try {
    result = await applyCorrection(engine, c);
  } finally {
    await engine.close();
  }
  if (json) io.out(`${JSON.stringify(result)}\n`);
  else io.out(`${c.kind}: ${result.articles.length} article${result.articles.length === 1 ? '' : 's'} now in story ${result.story} (changed: ${result.changed.join(', ')})\n`);
  return EXIT_OK;
}

/**
 * `parallax stories merge|split|move`: an analyst's corrections to the stories. They are stored
 * with the stories and the clustering state, so they survive restarts, and later articles
 * follow them (see stages/corrections.ts).
 */
export function register(program: Command, ctx: CliRun): void {
  const stories = program.commands.find((c) => c.name() === 'stories');
  if (!stories) throw new Error('corrections: the stories command must be registered first');
  const db = '--db <path>';
  const dbHelp = 'SQLite database file (default: $PARALLAX_DB or ./parallax.db)';
  stories
    .command('merge')
    .description('merge story <story> into story <into> (a correction; later articles follow it)')
    .argument('<story>', 'the story that goes (s + 16 hex digits)')
    .argument('<into>', 'the story that takes its articles')
    .option(db, dbHelp)
    .option('--json', 'print the result as JSON')
    .action((story: string, into: string, _o: unknown, cmd: Command) => ctx.run(() => run(ctx, cmd, { kind: 'merge', story: storyId(story, 'story'), into: storyId(into, 'into') })));
  stories
    .command('split')
    .description('split the given articles off story <story> into a new story (a correction)')
    .argument('<story>', 'the story to split')
    .argument('<articles...>', 'the articles that leave it for the new story')
    .option(db, dbHelp)
    .option('--json', 'print the result as JSON')
    .action((story: string, articles: string[], _o: unknown, cmd: Command) =>
      ctx.run(() => run(ctx, cmd, { kind: 'split', story: storyId(story, 'story'), articles: articles.map((a) => articleId(a, 'articles')) })),
    );
  stories
    .command('move')
    .description('move an article to story <to>, or with --new to a new story of its own (a correction)')
    .argument('<article>', 'the article to move')
    .argument('[to]', 'the story it goes to')
    .option('--new', 'start a new story with it')
    .option(db, dbHelp)
    .option('--json', 'print the result as JSON')
    .action((article: string, to: string | undefined, _o: unknown, cmd: Command) =>
      ctx.run(() => {
        const opts = cmd.optsWithGlobals<{ new?: boolean }>();
        if ((to === undefined) === !opts.new) throw createError('USAGE', 'move: give either a story to move the article to or --new, not both', { subject: 'to' });
        return run(ctx, cmd, { kind: 'move', article: articleId(article, 'article'), to: to === undefined ? null : storyId(to, 'to') });
      }),
    );
}

/** `parallax stories <id> --why`: for each member, the evidence that holds it in the story. */
export function printWhy(io: Io, why: StoryWhy, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(why)}\n`);
    return;
  }
  for (const m of why.members) {
    io.out(`  ${m.article}  ${(m.published ?? '').slice(0, 10).padEnd(10)}  ${m.title ?? ''}\n`);
    if (m.nearest) {
      io.out(`      nearest ${m.nearest.article} (${m.nearest.title ?? ''}): score ${m.score.toFixed(3)} (join threshold ${m.threshold})${m.dayGap === null ? '' : `, ${m.dayGap} days apart`}\n`);
      if (m.names.length) io.out(`      names:   ${m.names.join(', ')}\n`);
      if (m.numbers.length) io.out(`      numbers: ${m.numbers.join(', ')}\n`);
      if (m.ages.length) io.out(`      ages:    ${m.ages.join(', ')} (people's ages both give)\n`);
      if (m.agesApart) io.out(`      ages apart: it and the rest of its story give people's ages and share none (counted down as a match)\n`);
      if (m.words.length) io.out(`      words:   ${m.words.join(', ')}\n`);
      if (m.boilerplate.length) io.out(`      outlet boilerplate left out: ${m.boilerplate.join(' | ')}\n`);
    } else io.out('      alone in its story\n');
    for (const c of m.corrections) io.out(`      correction ${c.seq} (${c.at.slice(0, 16)}): ${c.detail}\n`);
  }
}

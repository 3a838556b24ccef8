import type { Command } from 'commander';
import { parseArticleId } from '../../domain/ids.js';
import { sentenceText } from '../../domain/article.js';
import { articleIds } from '../../domain/input-id.js';
import { createError } from '../../errors.js';
import { EXIT_OK, colours } from '../context.js';
import type { CliRun } from '../context.js';

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw createError('USAGE', `${name}: expected a whole number >= 0, found "${value}"`, { subject: name });
  return n;
}

/** The snippet with each matched word set off (bold on a terminal, between » « otherwise). */
function markMatches(snippet: string, highlights: readonly { start: number; end: number }[], bold: (s: string) => string): string {
  let out = '';
  let at = 0;
  for (const r of highlights) {
    const word = snippet.slice(r.start, r.end);
    const marked = bold(word);
    out += snippet.slice(at, r.start) + (marked === word ? `»${word}«` : marked);
    at = r.end;
  }
  return out + snippet.slice(at);
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('articles')
    .description('list stored articles, newest first')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print JSON Lines, one article per line')
    .option('--limit <n>', 'how many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .option('--outlet <name>', 'only this outlet')
    .option('--search <words>', 'full-text search instead of listing')
    .action((opts: { db?: string; json?: boolean; limit: string; offset: string; outlet?: string; search?: string }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const limit = positiveInt(opts.limit, '--limit');
        const offset = positiveInt(opts.offset, '--offset');
        const c = colours(io);
        const { openDefaultStore } = await import('../open.js');
        const store = openDefaultStore(opts.db, io, { mustExist: true });
        try {
          if (opts.search !== undefined) {
            // one more than the page tells whether there are more, without counting them all
            const found = await store.search(opts.search, { limit: limit + 1, offset });
            const more = found.length > limit;
            const hits = found.slice(0, limit);
            for (const h of hits) {
              if (opts.json) io.out(`${JSON.stringify({ ...h, ...articleIds(h) })}\n`);
              else io.out(`${c.bold(h.id)}  ${h.title ?? c.dim('(no title)')}\n    ${markMatches(h.snippet, h.highlights, c.bold).replace(/\s+/g, ' ')}\n`);
            }
            if (!opts.json) {
              const range = offset > 0 || more ? `matches ${hits.length ? offset + 1 : 0}-${offset + hits.length}` : `${hits.length} match${hits.length === 1 ? '' : 'es'}`;
              io.out(`${range}${more ? `; more with --offset ${offset + limit}` : ''}\n`);
            }
            return EXIT_OK;
          }
          const { items, total } = await store.listArticles({ limit, offset, ...(opts.outlet !== undefined ? { outlet: opts.outlet } : {}) });
          for (const a of items) {
            if (opts.json) io.out(`${JSON.stringify({ ...a, ...articleIds(a) })}\n`);
            else {
              const date = a.published ? a.published.slice(0, 10) : '          ';
              io.out(`${c.bold(a.id)}  ${date}  ${(a.outlet ?? '-').slice(0, 20).padEnd(20)}  ${a.title ?? c.dim(a.externalId ?? a.source)}\n`);
            }
          }
          if (!opts.json) io.out(`${items.length} of ${total} articles\n`);
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );

  program
    .command('show')
    .description('show one stored article: metadata with evidence, sentences and versions')
    .argument('<id>', 'article id (a + 16 hex digits), as printed by ingest or articles')
    .option('--db <path>', 'SQLite database file or postgres:// URL (default: $PARALLAX_DB or ./parallax.db)')
    .option('--json', 'print JSON')
    .action((rawId: string, opts: { db?: string; json?: boolean }) =>
      ctx.run(async () => {
        const { io } = ctx;
        const id = parseArticleId(rawId.trim());
        if (!id) throw createError('USAGE', `show: "${rawId}" is not an article id; expected "a" followed by 16 hex digits`, { subject: 'id' });
        const { openDefaultStore } = await import('../open.js');
        const store = openDefaultStore(opts.db, io, { mustExist: true });
        try {
          const article = await store.getArticle(id);
          if (!article) throw createError('UNKNOWN_ID', `show: no article with id ${id} in ${opts.db ?? io.env['PARALLAX_DB'] ?? 'parallax.db'}`, { subject: id });
          const [versions, story] = await Promise.all([store.getVersions(id), store.stories.storyOf(id)]);
          if (opts.json) {
            io.out(
              `${JSON.stringify(
                {
                  ...article,
                  ...articleIds(article),
                  sentences: article.sentences.map((s, i) => ({ index: i, start: s.start, end: s.end, text: sentenceText(article, i) })),
                  versions: versions.map((v) => ({ version: v.version, contentHash: v.contentHash, title: v.title, fetchedAt: v.fetchedAt, source: v.source })),
                  story,
                },
                null,
                2,
              )}\n`,
            );
            return EXIT_OK;
          }
          const c = colours(io);
          const m = article.meta;
          const line = (label: string, f: { value: string; evidence: { source: string; detail: string } } | null): void => {
            io.out(`  ${label.padEnd(11)} ${f ? `${f.value} ${c.dim(`(${f.evidence.source}: ${f.evidence.detail.slice(0, 60)})`)}` : c.dim('-')}\n`);
          };
          io.out(`${c.bold(article.title ?? article.externalId ?? '(no title)')}\n`);
          io.out(`  ${'id'.padEnd(11)} ${article.id} (version ${article.version})\n`);
          io.out(`  ${'url'.padEnd(11)} ${article.url ?? c.dim('-')}\n`);
          io.out(`  ${'source'.padEnd(11)} ${article.source}\n`);
          io.out(`  ${'story'.padEnd(11)} ${story ? `${story} ${c.dim(`(parallax stories ${story})`)}` : c.dim('- (not clustered)')}\n`);
          line('published', m.published);
          line('outlet', m.outlet);
          line('syndicator', m.syndicator);
          io.out(`  ${'credits'.padEnd(11)} ${m.credits.length > 0 ? m.credits.map((cr) => `${cr.value} ${c.dim(`(${cr.evidence.detail.slice(0, 40)})`)}`).join(', ') : c.dim('-')}\n`);
          line('dateline', m.dateline);
          line('byline', m.byline);
          line('language', m.language);
          io.out(`  ${'fetched'.padEnd(11)} ${article.fetchedAt}\n  ${'hash'.padEnd(11)} ${article.contentHash.slice(0, 16)}\n`);
          io.out(`\n${c.bold(`${article.sentences.length} sentences`)}\n`);
          article.sentences.forEach((s, i) => io.out(`  ${c.dim(String(i).padStart(3))} ${article.text.slice(s.start, s.end)}\n`));
          io.out(`\n${c.bold('Versions')}\n`);
          for (const v of versions) io.out(`  v${v.version}  ${v.fetchedAt}  ${v.contentHash.slice(0, 16)}  ${v.source}\n`);
          return EXIT_OK;
        } finally {
          await store.close();
        }
      }),
    );
}

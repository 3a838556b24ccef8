import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createError } from '../../errors.js';
import { EXIT_OK, EXIT_SOME_FAILED } from '../context.js';
import type { CliRun } from '../context.js';

/** The score is rounded for output; `same` is decided on the exact score. */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function register(program: Command, ctx: CliRun): void {
  program
    .command('similarity')
    .description('score pairs of texts: reads JSON lines {id, a, b}, prints {id, inputId, score, same} (the scoring used for alignment)')
    .argument('<file>', 'JSON Lines file, or - for standard input')
    .addHelpText('after', '\nA bad line is reported on stderr with its line number and skipped; exit code 1 if any line was bad.')
    .action((file: string) =>
      ctx.run(async () => {
        const { io } = ctx;
        // a directory opens like a file and fails only on the first read: refuse it here
        if (file !== '-' && existsSync(file) && statSync(file).isDirectory()) {
          throw createError('USAGE', `similarity: ${file} is a directory; expected a JSON Lines file of {id, a, b}`, { subject: file });
        }
        const stream = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
        const opened = new Promise<void>((ok, fail) => {
          if (file === '-') ok();
          stream.once('open', () => ok());
          stream.once('error', (e: NodeJS.ErrnoException) =>
            fail(createError('NOT_FOUND_PATH', `similarity: cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, { subject: file })),
          );
        });
        await opened;
        // the scorer (alignment model and its tables) is loaded when the command runs, not by `parallax --help`
        const { similarity } = await import('../../align/index.js');
        let bad = 0;
        let n = 0;
        for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
          n++;
          if (line.trim() === '') continue;
          let row: unknown;
          try {
            row = JSON.parse(line);
          } catch {
            bad++;
            io.err(`parallax: similarity: ${file}:${n}: expected a JSON object, found invalid JSON\n`);
            continue;
          }
          const r = row as { id?: unknown; a?: unknown; b?: unknown };
          if (typeof row !== 'object' || row === null || typeof r.a !== 'string' || typeof r.b !== 'string') {
            bad++;
            io.err(`parallax: similarity: ${file}:${n}: expected fields "a" and "b" as strings\n`);
            continue;
          }
          const s = similarity(r.a, r.b);
          // inputId: the line's own id, else where it is (file:line), as for articles
          io.out(
            `${JSON.stringify({ id: r.id ?? n, inputId: r.id === undefined || r.id === null ? `${file === '-' ? 'stdin' : file}:${n}` : typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : JSON.stringify(r.id), score: round(s.score), same: s.same })}\n`,
          );
        }
        return bad > 0 ? EXIT_SOME_FAILED : EXIT_OK;
      }),
    );
}

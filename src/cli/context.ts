import pc from 'picocolors';
import { ParallaxError, describeError, isParallaxError } from '../errors.js';

/** Exit codes: 0 all fine, 1 some inputs failed (the rest were stored), 2 usage error, 3 store error, 4 internal error (a bug). */
export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_STORE = 3;
/** an error outside the catalogue: a bug in Parallax, not in the input or the database */
export const EXIT_INTERNAL = 4;

/** Output sinks, injectable so commands can be tested in-process. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

// When the reader of stdout goes away (`parallax articles | head`), writes fail with EPIPE,
// emitted asynchronously on the stream. Output stops there; the command itself goes on, so an
// ingest piped into `head` still stores everything.
let stdoutClosed = false;
let stdoutWatched = false;
function writeOut(s: string): void {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') stdoutClosed = true;
      else throw e;
    });
  }
  if (!stdoutClosed) process.stdout.write(s);
}

export const processIo: Io = {
  out: writeOut,
  err: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
};

/** What a command registers with: its output sinks and a runner that maps its errors to an exit code. */
export interface CliRun {
  readonly io: Io;
  /** Runs a command body, recording its exit code; errors are reported and mapped. */
  readonly run: (body: () => Promise<number>) => Promise<void>;
}

/** The database path from `--db`, else `PARALLAX_DB`, else `./parallax.db`. */
export function dbPath(opt: string | undefined, io: Io): string {
  return opt ?? io.env['PARALLAX_DB'] ?? 'parallax.db';
}

export function colours(io: Io): ReturnType<typeof pc.createColors> {
  return pc.createColors(io.isTTY && !io.env['NO_COLOR']);
}

/** Maps an error to a message on stderr and an exit code. */
export function reportError(e: unknown, io: Io): number {
  if (isParallaxError(e)) {
    io.err(`parallax: ${e.message} [${e.code}]\n`);
    if (e.kind === 'usage') return EXIT_USAGE;
    if (e.kind === 'store') return EXIT_STORE;
    return EXIT_SOME_FAILED;
  }
  io.err(`parallax: unexpected error (a bug in Parallax; PARALLAX_DEBUG=1 shows where): ${describeError(e)}\n`);
  if (e instanceof Error && e.stack && io.env['PARALLAX_DEBUG']) io.err(`${e.stack}\n`);
  return EXIT_INTERNAL;
}

export { ParallaxError };

import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, processIo, reportError, type CliRun, type Io } from './context.js';
import { COMMANDS } from './commands/index.js';

/** Entry point of the `parallax` binary; returns the exit code (tests call it in-process). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('parallax')
    .description('Parallax: news story engine. Ingest articles, find reprints, group stories, compare sources.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const ctx: CliRun = {
    io,
    run: async (body) => {
      try {
        code = await body();
      } catch (e) {
        code = reportError(e, io);
      }
    },
  };
  for (const register of COMMANDS) {
    register(program, ctx);
  }
  // every subcommand reports usage errors through the same override
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  }
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportError(e, io);
  }
  return code;
}

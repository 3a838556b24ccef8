import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/context.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
    env: { ...env },
    cwd: process.cwd(),
  };
  const code = await main(['node', 'parallax', ...args], io);
  return { code, out, err };
}

/**
 * What preparation in worker threads (engine/prepare.ts) buys the two commands that read big
 * inputs: `parallax cluster` and `parallax ingest` (every stage), on the same synthetic dated
 * stream as bench/cluster.ts and bench/ingest-stories.ts, run with --workers 0 and then 1
 * (this machine's default on 2 cores), interleaved, in child processes of the built CLI
 * (`npm run build` first). Checks that both runs print the same stories.
 *
 *   npx tsx bench/workers.ts [N=20000] [ROUNDS=2]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, REPO, syntheticStreamLines } from './common.js';

const n = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 2);
const cli = join(REPO, 'bin/parallax.js');
if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: this benchmark runs the built CLI');
const lines = syntheticStreamLines(n);
const dir = mkdtempSync(join(tmpdir(), 'parallax-workers-'));
const input = join(dir, 'stream.jsonl');
writeFileSync(input, `${lines.join('\n')}\n`);

function time(args: string[]): { secs: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`parallax ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { secs: (performance.now() - t0) / 1000, out: r.stdout };
}

console.log(`machine: ${machine()}`);
console.log(`stream: ${n} dated articles (ECB+ stories as synthetic events), one JSON Lines file`);
for (let round = 1; round <= rounds; round++) {
  const outs: string[] = [];
  for (const w of [0, 1]) {
    const r = time(['cluster', input, '--workers', String(w)]);
    outs.push(r.out);
    console.log(`  round ${round}: cluster --workers ${w}: ${r.secs.toFixed(1)} s = ${(n / r.secs).toFixed(0)} articles/s`);
  }
  if (outs[0] !== outs[1]) throw new Error('cluster printed different stories with 0 and 1 workers');
  for (const w of [0, 1]) {
    const db = join(dir, `w${w}-${round}.db`);
    const r = time(['ingest', input, '--db', db, '--json', '--workers', String(w)]);
    console.log(`  round ${round}: ingest --workers ${w}: ${r.secs.toFixed(1)} s = ${(n / r.secs).toFixed(0)} articles/s (dedup and stories included)`);
  }
}
rmSync(dir, { recursive: true, force: true });

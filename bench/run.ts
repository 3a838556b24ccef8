/**
 * Runs every benchmark in bench/ one after the other (`npm run bench`, or `npm run bench -- dedup`
 * for the ones whose name contains "dedup"). Files starting with `_` are generators, not benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './common.js';

const only = process.argv[2];
const files = readdirSync(join(REPO, 'bench'))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'common.ts'].includes(f) && !f.startsWith('_'))
  .filter((f) => !only || f.includes(only))
  .sort();
let failed = 0;
let skipped = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'bench', f)], { stdio: 'inherit', cwd: REPO });
  // exit code 2: the benchmark's tuning data (../shared beside the checkout) is missing
  if (r.status === 2) skipped++;
  else if (r.status !== 0) failed++;
}
if (skipped > 0) console.log(`\n${skipped} benchmark(s) skipped: their data in ../shared is missing`);
process.exitCode = failed > 0 ? 1 : skipped > 0 ? 2 : 0;

/**
 * Start-up: how long a user waits for the installed CLI and library (the built `dist/`, as
 * `npm ci` leaves it). Wall time, median of RUNS runs, each a fresh Node process:
 * `parallax --help`, `import 'parallax-news'` and `parallax compare` of the seed pair.
 * Baselines measured in the same run: Node doing nothing (the floor), and the start-up as it
 * was before dependencies were loaded on first use (every dependency the CLI used to import at
 * start, then the CLI: what each command paid, `--help` included).
 *
 *   npx tsx bench/startup.ts [RUNS=5]
 *
 * Targets (issue 20): --help and the library import < 0.3 s; compare of the seed pair < 0.6 s.
 * Rebuilds dist/ first, so the figures are those of the source as it is.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machine, REPO, SEED_PAIR } from './common.js';

const runs = Number(process.argv[2] ?? 5);
const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('startup: npm run build failed');
  process.exit(1);
}

const BIN = join(REPO, 'bin/parallax.js');
// what the CLI imported at start before this benchmark's issue: all of it, for every command
const FORMERLY_EAGER = [
  'jsdom',
  '@mozilla/readability',
  '@rowanmanning/feed-parser',
  'fast-xml-parser',
  'undici',
  'ipaddr.js',
  'chrono-node',
  'chardet',
  'iconv-lite',
  'hono',
  '@hono/node-server',
  'cli-progress',
];
const eagerHelp = `for (const m of ${JSON.stringify(FORMERLY_EAGER)}) await import(m); const { main } = await import('./dist/cli/main.js'); await main(['node', 'parallax', '--help']);`;

interface Case {
  readonly name: string;
  readonly args: string[];
  readonly target?: number;
}
const cases: Case[] = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'before: eager dependencies, then --help', args: ['--input-type=module', '-e', eagerHelp] },
  { name: 'parallax --help', args: [BIN, '--help'], target: 0.3 },
  { name: "import 'parallax-news'", args: ['--input-type=module', '-e', "await import('parallax-news');"], target: 0.3 },
  { name: 'parallax compare (seed pair)', args: [BIN, 'compare', ...SEED_PAIR], target: 0.6 },
];

// each child reports its own CPU time (main thread, user + system) as it exits: on a shared
// machine wall time includes waiting for a core, CPU time does not
const CPU_REPORT = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('CPU '+(u.user+u.system)+'\\n')})`;

function once(args: string[]): { wall: number; cpu: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_REPORT, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - t) / 1000;
  const err = r.stderr.toString();
  if (r.status !== 0) throw new Error(`startup: node ${args.join(' ').slice(0, 80)} exited ${r.status}: ${err.slice(0, 400)}`);
  const cpu = Number(/^CPU (\d+)$/m.exec(err)?.[1] ?? Number.NaN) / 1e6;
  return { wall, cpu };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`startup: ${machine()}, load average ${loadavg()[0]!.toFixed(1)} at start`);
console.log(`median of ${runs} runs, seconds; the target is on wall time\n`);
console.log('| command | wall median | wall, each run | CPU median | target |');
console.log('|---|---|---|---|---|');
let missed = 0;
// runs interleaved, so that a burst of load on a shared machine falls on every case alike
const times = new Map<Case, { wall: number; cpu: number }[]>(cases.map((c) => [c, []]));
for (let i = 0; i < runs; i++) for (const c of cases) times.get(c)!.push(once(c.args));
for (const c of cases) {
  const t = times.get(c)!;
  const m = median(t.map((x) => x.wall));
  const verdict = c.target === undefined ? '' : m < c.target ? `< ${c.target} s: met` : `< ${c.target} s: MISSED`;
  if (c.target !== undefined && m >= c.target) missed++;
  console.log(`| ${c.name} | ${m.toFixed(3)} | ${t.map((x) => x.wall.toFixed(2)).join(' ')} | ${median(t.map((x) => x.cpu)).toFixed(3)} | ${verdict} |`);
}
process.exitCode = missed > 0 ? 1 : 0;

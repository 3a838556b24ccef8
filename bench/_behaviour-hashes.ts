// Behaviour hashes: SHA-256 of what the CLI prints for fixed inputs, so that a refactoring of
// the pipeline can show it changed nothing a user sees. Reads only this repository (the
// vendored ECB+ articles and seed pair under test/fixtures, and examples/); writes only to a
// temporary directory. Run: npx tsx bench/_behaviour-hashes.ts
//
//   cluster-seed-N   `parallax cluster` over the ECB+ articles shuffled with seed N (1..8): every line
//   cluster-all      the eight above together
//   dupes-examples   `parallax dupes --json examples/articles test/fixtures/seed-pair`
//   dupes-ecbplus    `parallax dupes --json` over the ECB+ articles
//   compare-seed     `parallax compare --json` of the seed pair
//   ingest-stories   `parallax ingest examples/articles`, then `parallax articles --json`: id and story
//                    of each article (the rest of a record holds the time it was read)
// compare-seed and ingest-stories rename ids by first appearance and drop the checkout's path
// (pathFree), so they match across checkouts; the others hold no path-derived id.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/context.js';
import { mulberry32 } from '../src/dedup/hash.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * An article's id hashes its identity, which for a file is its absolute path, and a story's id
 * its first article's: so ids and paths are renamed by order of first appearance, and the
 * checkout's path left out, to compare outputs of two checkouts.
 */
function pathFree(out: string): string {
  const names = new Map<string, string>();
  return out
    .split(process.cwd())
    .join('REPO')
    .replace(/\b[as][0-9a-f]{16}\b/g, (id) => {
      let name = names.get(id);
      if (name === undefined) names.set(id, (name = `${id[0]}#${names.size}`));
      return name;
    });
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, env: { ...process.env, NO_COLOR: '1' }, cwd: process.cwd() };
  const code = await main(['node', 'parallax', ...args], io);
  return { code, out, err };
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = mulberry32(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const dir = mkdtempSync(join(tmpdir(), 'parallax-hashes-'));
const hashes: Record<string, string> = {};
const times: Record<string, number> = {};
const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  try {
    return await f();
  } finally {
    times[name] = Math.round(performance.now() - t);
  }
};
try {
  const ecb = 'test/fixtures/ecbplus/articles.jsonl';
  const lines = readFileSync(ecb, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const all: string[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const file = join(dir, `ecb-${seed}.jsonl`);
    writeFileSync(file, `${shuffled(lines, seed).join('\n')}\n`);
    const r = await timed(`cluster-seed-${seed}`, () => run(['cluster', file]));
    if (r.code !== 0) throw new Error(`cluster seed ${seed}: exit ${r.code}: ${r.err}`);
    // the temporary path is not part of the output's meaning
    const out = r.out.split(file).join('ECB');
    hashes[`cluster-seed-${seed}`] = sha(out);
    all.push(out);
  }
  hashes['cluster-all'] = sha(all.join('\u0000'));

  const dx = await timed('dupes-examples', () => run(['dupes', '--json', 'examples/articles', 'test/fixtures/seed-pair']));
  if (dx.code !== 0) throw new Error(`dupes examples: exit ${dx.code}: ${dx.err}`);
  hashes['dupes-examples'] = sha(dx.out);
  const de = await timed('dupes-ecbplus', () => run(['dupes', '--json', ecb]));
  if (de.code !== 0) throw new Error(`dupes ecbplus: exit ${de.code}: ${de.err}`);
  hashes['dupes-ecbplus'] = sha(de.out);

  const cs = await timed('compare-seed', () => run(['compare', '--json', 'test/fixtures/seed-pair/000_45cd25e784dd85d6.txt', 'test/fixtures/seed-pair/004_1a5de46adba00c4e.txt']));
  if (cs.code !== 0) throw new Error(`compare: exit ${cs.code}: ${cs.err}`);
  hashes['compare-seed'] = sha(pathFree(cs.out));

  const db = join(dir, 'examples.db');
  const ing = await timed('ingest-stories', async () => {
    const i = await run(['ingest', '--db', db, '--json', 'examples/articles']);
    if (i.code !== 0) throw new Error(`ingest: exit ${i.code}: ${i.err}`);
    return run(['articles', '--db', db, '--json', '--limit', '1000']);
  });
  if (ing.code !== 0) throw new Error(`articles: exit ${ing.code}: ${ing.err}`);
  const rows = pathFree(ing.out)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; story: string | null })
    .map((r) => `${r.id} ${r.story}`)
    .sort();
  hashes['ingest-stories'] = sha(rows.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const [k, v] of Object.entries(hashes)) console.log(`${k.padEnd(16)} ${v}${times[k] !== undefined ? `  (${times[k]} ms)` : ''}`);

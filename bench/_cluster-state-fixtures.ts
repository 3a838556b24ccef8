/**
 * Regenerates test/fixtures/cluster-state/format-N.json: the clustering state (OnlineClusterer
 * toState) of each format version, written by the code of the last commit at that version,
 * so that the tests of the state codec read what those releases wrote, not a guess of it.
 * Each writer clusters the 21 articles of test/fixtures/ecbplus-topic14.jsonl, dated a few
 * hours apart, from two outlets in turn (formats before 5 ignore the outlet). Needs git history (the commits below) and node_modules in this checkout.
 *
 *   node --import tsx bench/_cluster-state-fixtures.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** the last commit that wrote each format (6: the current code) */
const WRITERS: [number, string | null][] = [
  [1, '37835f1'],
  [2, '65a743e'],
  [3, '368829e'],
  [4, '986b1a9'],
  [5, 'd4819cd'],
  [6, null],
];

const articles = readFileSync(join(root, 'test/fixtures/ecbplus-topic14.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l, i) => {
    const r = JSON.parse(l) as { id: string; text: string };
    return { id: r.id, text: r.text.slice(0, 1500), outlet: i % 2 === 0 ? 'bbc.co.uk' : 'getsurrey.co.uk', published: new Date(Date.UTC(2013, 0, 1) + i * 3 * 3_600_000).toISOString() };
  });

const out = join(root, 'test/fixtures/cluster-state');
mkdirSync(out, { recursive: true });
for (const [version, commit] of WRITERS) {
  let src = join(root, 'src');
  let tmp: string | null = null;
  if (commit) {
    tmp = mkdtempSync(join(tmpdir(), `cluster-state-${version}-`));
    execFileSync('sh', ['-c', `git archive ${commit} src package.json | tar -x -C ${tmp}`], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
    src = join(tmp, 'src');
  }
  tmp ??= mkdtempSync(join(tmpdir(), `cluster-state-${version}-`));
  const script = join(tmp, 'write-state.mts');
  writeFileSync(
    script,
    `import { OnlineClusterer } from ${JSON.stringify(join(src, 'cluster/online.ts'))};
const c = new OnlineClusterer();
for (const a of ${JSON.stringify(articles)}) c.add(a);
process.stdout.write(JSON.stringify(c.toState()));`,
  );
  const json = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: commit ? tmp : root, maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] }).toString('utf8');
  const state = JSON.parse(json) as { version: number; stories: unknown[] };
  if (state.version !== version) throw new Error(`commit ${commit}: wrote format ${state.version}, expected ${version}`);
  writeFileSync(join(out, `format-${version}.json`), `${json}\n`);
  console.log(`format ${version} (${commit ?? 'current'}): ${state.stories.length} stories, ${json.length} bytes`);
  rmSync(tmp, { recursive: true, force: true });
}

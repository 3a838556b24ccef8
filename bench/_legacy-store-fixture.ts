/**
 * Regenerates test/fixtures/legacy-store/: a SQLite store written by the last release that kept
 * story ids beside the clustering state (stage state format 5, commit d4819cd), for the test that
 * such a store opens and goes on with the same stories (test/story-identity.test.ts). That
 * release ingests the ECB+ reports of topics 2, 7, 11 and 24 in file order (split repair happens)
 * up to `CUT`, saving its state every `SNAP` articles, and "crashes" (the store is closed without the
 * engine), so that the articles after the last saved state, a split among them, are stored but
 * not in the state; `expected.txt` holds what that release stores over the whole stream without a
 * crash (article>story, sorted). Needs git history (the commit) and node_modules.
 *
 *   node --import tsx bench/_legacy-store-fixture.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const COMMIT = 'd4819cd';
const CUT = Number(process.env.CUT ?? 70);
const SNAP = Number(process.env.SNAP ?? 40);
const lines = readFileSync(join(root, 'test/fixtures/ecbplus/articles.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => /"topic": (2|7|11|24),/.test(l))
  .map((l) => {
    const { topic: _t, story: _s, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
const out = join(root, 'test/fixtures/legacy-store');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'part1.jsonl'), `${lines.slice(0, CUT).join('\n')}\n`);
writeFileSync(join(out, 'part2.jsonl'), `${lines.slice(CUT).join('\n')}\n`);

const tmp = mkdtempSync(join(tmpdir(), 'legacy-store-'));
execFileSync('sh', ['-c', `git archive ${COMMIT} src package.json | tar -x -C ${tmp}`], { cwd: root });
symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
const script = join(tmp, 'write-store.mts');
writeFileSync(
  script,
  `import { Engine } from './src/engine/engine.ts';
import { ClusterStage } from './src/stages/cluster.ts';
import { SqliteStore } from './src/store/sqlite/sqlite-store.ts';
const [part1, part2, crashed, whole] = process.argv.slice(2);
const c = SqliteStore.open({ path: crashed });
const e = new Engine({ store: c, stages: [new ClusterStage({ snapshotEvery: ${SNAP} })], batchSize: 10 });
await e.ingest([part1]);
await c.close();
const w = SqliteStore.open({ path: whole });
const f = new Engine({ store: w, stages: [new ClusterStage()], batchSize: 10 });
await f.ingest([part1]);
await f.ingest([part2]);
const members = [];
for (const s of (await w.stories.list({ limit: 10000, sort: 'largest' })).items) for (const m of (await w.stories.get(s.id)).members) members.push(m.id + '>' + s.id);
await f.close();
process.stdout.write(members.sort().join('\\n') + '\\n');`,
);
const crashed = join(tmp, 'crashed.db');
const expected = execFileSync(process.execPath, ['--import', 'tsx', script, join(out, 'part1.jsonl'), join(out, 'part2.jsonl'), crashed, join(tmp, 'whole.db')], { cwd: tmp }).toString('utf8');
writeFileSync(join(out, 'expected.txt'), expected);
execFileSync('sqlite3', [crashed, 'VACUUM']);
copyFileSync(crashed, join(out, 'crashed.db'));
rmSync(tmp, { recursive: true, force: true });
console.log(`legacy store: ${CUT} of ${lines.length} articles, ${expected.split('\n').length - 1} memberships expected`);

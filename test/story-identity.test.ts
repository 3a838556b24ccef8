import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { articleIdFromKey, type ArticleId, type StoryId, storyIdOf } from '../src/domain/ids.js';
import { Engine } from '../src/engine/engine.js';
import { ClusterStage, STATE_FORMAT } from '../src/stages/cluster.js';
import { applyCorrection, correctionLog } from '../src/stages/corrections.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { FIRST, LATER } from './helpers/correction-stories.js';
import { asPreviousRelease } from './helpers/cluster-legacy.js';
import { ECBPLUS, FIXTURES } from './helpers/paths.js';
import { createTestDatabase, dropTestDatabase } from './helpers/postgres.js';

// A story's identity lives in one place: the clusterer names each story by its StoryId
// (storyIdOf), and the stage, the corrections and the store use that id as it is. These tests
// follow the ids through corrections, restarts, a crash and a store of the previous release.

const dir = mkdtempSync(join(tmpdir(), 'parallax-story-identity-'));
const databases: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const url of databases.splice(0)) await dropTestDatabase(url);
});

describe('storyIdOf, the one place a story id is made', () => {
  const sha = (key: string): string => `s${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

  it('keys a started story and a correction’s story as the releases before did, so stored ids stay', () => {
    expect(storyIdOf({ kind: 'started', article: 'a0123456789abcdef' })).toBe(sha('story:a0123456789abcdef'));
    expect(storyIdOf({ kind: 'corrected', article: 'a0123456789abcdef', seq: 3 })).toBe(sha('story:a0123456789abcdef:correction:3'));
  });

  it('keys a split-off by its first article and the arrival that split it: never what another origin gives', () => {
    const a = 'a0123456789abcdef';
    const ids = [
      storyIdOf({ kind: 'started', article: a }),
      storyIdOf({ kind: 'split', article: a, arrival: 3 }),
      storyIdOf({ kind: 'split', article: a, arrival: 4 }),
      storyIdOf({ kind: 'corrected', article: a, seq: 3 }),
    ];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^s[0-9a-f]{16}$/);
    expect(storyIdOf({ kind: 'split', article: a, arrival: 3 })).toBe(ids[1]);
  });

  it('is the only maker of story ids in the source', () => {
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
    const src = join(import.meta.dirname, '..', 'src');
    const makers = files(src).filter((f) => /`s\$\{sha256Hex|storyIdFromKey|as StoryId;/.test(readFileSync(f, 'utf8')));
    expect(makers.map((f) => f.slice(src.length + 1))).toEqual(['domain/ids.ts']);
  });
});

/** Two invented events (FIRST, LATER) among ECB+ reports of several events, in three parts. */
const ecb = readFileSync(ECBPLUS, 'utf8')
  .trim()
  .split('\n')
  .filter((l) => /"topic": (7|9|23),/.test(l))
  .map((l) => {
    const { topic: _t, story: _s, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
const third = Math.floor(ecb.length / 3);
const PART1 = [...FIRST, ...ecb.slice(0, third)];
const PART2 = [...LATER, ...ecb.slice(third, 2 * third)];
const PART3 = ecb.slice(2 * third);
const idOf = (inputId: string): ArticleId => articleIdFromKey(`id:\n${inputId}`);

function file(name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}
const files = { one: file('part1.jsonl', PART1), two: file('part2.jsonl', PART2), three: file('part3.jsonl', PART3) };

interface Opened {
  store: Store;
  engine: Engine;
}
type Open = () => Opened;

/** Every stored membership (article > story) and every story with its size. */
async function stored(store: Store): Promise<{ members: string[]; stories: string[] }> {
  const stories = (await store.stories.list({ limit: 10_000, sort: 'largest' })).items;
  const members: string[] = [];
  for (const s of stories) for (const m of (await store.stories.get(s.id))!.members) members.push(`${m.id}>${s.id}`);
  return { members: members.sort(), stories: stories.map((s) => `${s.id}:${s.size}`).sort() };
}

/**
 * Part one, then three corrections (a move to a new story, a merge, a split), each through the
 * engine. Returns the stories they made or kept.
 */
async function correct(engine: Engine): Promise<{ fire: StoryId; flood: StoryId; bakery: StoryId; split: StoryId; splitFrom: StoryId }> {
  expect((await engine.ingest([files.one])).failed).toEqual([]);
  const store = engine.store;
  const fire = (await store.stories.storyOf(idOf('a1')))!;
  const flood = (await store.stories.storyOf(idOf('b1')))!;
  const moved = await applyCorrection(engine, { kind: 'move', article: idOf('a4'), to: null });
  const bakery = moved.story;
  await applyCorrection(engine, { kind: 'merge', story: flood, into: fire });
  // the largest ECB+ story gives up its two latest articles
  const largest = (await store.stories.list({ limit: 10, sort: 'largest' })).items.find((s) => s.id !== fire && s.size >= 4)!;
  const members = (await store.stories.get(largest.id))!.members.map((m) => m.id);
  const split = await applyCorrection(engine, { kind: 'split', story: largest.id, articles: members.slice(-2) });
  return { fire, flood, bakery, split: split.story, splitFrom: largest.id };
}

/**
 * The scenario on one kind of store: one uninterrupted run, then the same with a restart after
 * the corrections, with a crash in the middle of part two, and with the corrections' state
 * rewritten as the previous release saved it; all end with the same stories by the same ids.
 */
async function scenario(open: (name: string) => Open): Promise<void> {
  // uninterrupted
  const whole = open('whole')();
  const ids = await correct(whole.engine);
  for (const f of [files.two, files.three]) expect((await whole.engine.ingest([f])).failed).toEqual([]);
  const expected = await stored(whole.store);
  const log = await correctionLog(whole.store);
  await whole.engine.close();

  // the ids are made from where the stories came from
  expect(ids.fire).toBe(storyIdOf({ kind: 'started', article: idOf('a1') }));
  expect(ids.bakery).toBe(storyIdOf({ kind: 'corrected', article: idOf('a4'), seq: 1 }));
  expect(ids.split).toBe(storyIdOf({ kind: 'corrected', article: log[2]!.result.articles[0]!, seq: 3 }));
  // the corrections are followed: a later report on the bakery joins the moved article, one on
  // the flood joins the fire story it was merged into, the split-off keeps its articles
  expect(expected.members).toContain(`${idOf('a5')}>${ids.bakery}`);
  expect(expected.members).toContain(`${idOf('b4')}>${ids.fire}`);
  expect(expected.members.filter((m) => m.endsWith(`>${ids.flood}`))).toEqual([]);
  for (const a of log[2]!.result.articles) expect(expected.members).toContain(`${a}>${ids.split}`);

  // restarted after the corrections (a new stage, a new store handle), snapshots as by default
  const restartOpen = open('restart');
  const before = restartOpen();
  expect(await correct(before.engine)).toEqual(ids);
  await before.engine.close();
  for (const f of [files.two, files.three]) {
    const again = restartOpen();
    expect((await again.engine.ingest([f])).failed).toEqual([]);
    await again.engine.close();
  }
  const restarted = restartOpen();
  expect(await stored(restarted.store)).toEqual(expected);
  await restarted.engine.close();

  // crashed: the state is saved every 15 articles, and the store closed without the engine
  // after part two; the next run replays what came after the last saved state
  const crashOpen = open('crash');
  const crashing = crashOpen();
  expect(await correct(crashing.engine)).toEqual(ids);
  expect((await crashing.engine.ingest([files.two])).failed).toEqual([]);
  await crashing.store.close();
  const resumed = crashOpen();
  expect((await resumed.engine.ingest([files.three])).failed).toEqual([]);
  expect(await stored(resumed.store)).toEqual(expected);
  await resumed.engine.close();

  // the previous release's state (stage format 5, the ids beside the clusterer's state)
  const legacyOpen = open('legacy');
  const writer = legacyOpen();
  expect(await correct(writer.engine)).toEqual(ids);
  await writer.engine.close();
  const old = legacyOpen();
  const saved = (await old.store.states.get('cluster'))!;
  expect(saved.formatVersion).toBe(STATE_FORMAT);
  await old.store.transaction((tx) => old.store.states.write(tx, [{ key: 'cluster', formatVersion: 5, data: asPreviousRelease(saved.data) }]));
  await old.store.close();
  const upgraded = legacyOpen();
  for (const f of [files.two, files.three]) expect((await upgraded.engine.ingest([f])).failed).toEqual([]);
  expect(await stored(upgraded.store)).toEqual(expected);
  await upgraded.engine.close();
  const after = legacyOpen();
  const resaved = (await after.store.states.get('cluster'))!;
  expect(resaved.formatVersion).toBe(STATE_FORMAT);
  const state = JSON.parse(Buffer.from(resaved.data).toString('utf8')) as { storyIds?: unknown; clusterer: { stories: { id: string; locked?: boolean }[] } };
  expect(state.storyIds).toBeUndefined();
  expect(state.clusterer.stories.find((s) => s.id === ids.bakery)?.locked).toBe(true);
  await after.store.close();
}

const engineOver = (store: Store, snapshotEvery?: number): Opened => ({ store, engine: new Engine({ store, stages: [new ClusterStage(snapshotEvery ? { snapshotEvery } : {})], batchSize: 10 }) });

describe('story ids through corrections, restarts, a crash and an upgrade', () => {
  it('on SQLite', { timeout: 120_000 }, async () => {
    await scenario((name) => () => engineOver(SqliteStore.open({ path: join(dir, `${name}.db`) }), name === 'crash' ? 15 : undefined));
  });

  it('on PostgreSQL', { timeout: 180_000 }, async () => {
    const urls = new Map<string, string>();
    for (const name of ['whole', 'restart', 'crash', 'legacy']) {
      const url = await createTestDatabase();
      databases.push(url);
      urls.set(name, url);
    }
    await scenario((name) => () => engineOver(PostgresStore.open({ url: urls.get(name)! }), name === 'crash' ? 15 : undefined));
  });
});

describe('a store the previous release wrote and left after a crash', () => {
  it('replays what it stored after its last saved state under the ids it stored, and goes on as that release would', async () => {
    // bench/_legacy-store-fixture.ts: the release before (stage state format 5) stored 70 ECB+
    // reports, saved its state at 50 and crashed; among the 20 after, split repair split a
    // story off, which that release named by the story's index
    const fixture = join(FIXTURES, 'legacy-store');
    const db = join(dir, 'legacy-crashed.db');
    copyFileSync(join(fixture, 'crashed.db'), db);
    const store = SqliteStore.open({ path: db });
    const before = await stored(store);
    const saved = (await store.states.get('cluster'))!;
    expect(saved.formatVersion).toBe(5);
    const engine = new Engine({ store, stages: [new ClusterStage()], batchSize: 10 });
    expect((await engine.ingest([join(fixture, 'part2.jsonl')])).failed).toEqual([]);
    const after = await stored(store);
    await engine.close();
    // the state saved on closing names only stories the store holds, under the ids it holds them
    const reopened = SqliteStore.open({ path: db });
    const state = JSON.parse(Buffer.from((await reopened.states.get('cluster'))!.data).toString('utf8')) as { clusterer: { stories: { id: StoryId; size: number }[] } };
    for (const st of state.clusterer.stories) expect((await reopened.stories.get(st.id))?.size).toBe(st.size);
    await reopened.close();
    // that release's own run without a crash: the same stories, and by the same ids, but for
    // what split repair split off after the upgrade (named by arrival now, by index then)
    const expected = readFileSync(join(fixture, 'expected.txt'), 'utf8').trim().split('\n');
    const groups = (members: string[]): Map<string, string[]> => {
      const g = new Map<string, string[]>();
      for (const m of members) {
        const [article, story] = m.split('>') as [string, string];
        g.set(story, [...(g.get(story) ?? []), article]);
      }
      return g;
    };
    const [mine, theirs] = [groups(after.members), groups(expected)];
    const partition = (g: Map<string, string[]>): string[] => [...g.values()].map((xs) => xs.sort().join(',')).sort();
    expect(partition(mine)).toEqual(partition(theirs));
    const renamed = [...theirs.keys()].filter((id) => !mine.has(id));
    const kept = new Set(before.stories.map((s) => s.split(':')[0]!));
    expect(renamed.length).toBeGreaterThan(0);
    for (const id of renamed) {
      const now = [...mine].find(([, xs]) => xs.join() === theirs.get(id)!.join())![0];
      // a split-off made after the upgrade: not stored before it, and no article's started story
      expect(kept.has(id) || kept.has(now)).toBe(false);
      for (const a of mine.get(now)!) expect(now).not.toBe(storyIdOf({ kind: 'started', article: a }));
    }
    // every story stored before the upgrade keeps its id, the one split off after the last
    // saved state (replayed) included
    for (const id of kept) if (theirs.has(id)) expect(mine.get(id)).toEqual(theirs.get(id));
    expect([...kept].filter((id) => theirs.has(id)).length).toBe(kept.size);
  });
});

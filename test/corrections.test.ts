import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storyIdOf } from '../src/domain/ids.js';
import { art, FIRST, LATER } from './helpers/correction-stories.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-corrections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Story = { id: string; label: string; size: number; articles: { id: string; title: string | null }[] };

async function stories(db: string): Promise<Story[]> {
  const list = await runCli(['stories', '--db', db, '--json']);
  expect(list.code).toBe(0);
  const out: Story[] = [];
  for (const line of list.out.trim().split('\n')) {
    const shown = await runCli(['stories', JSON.parse(line).id, '--db', db, '--json']);
    out.push(JSON.parse(shown.out) as Story);
  }
  return out;
}
const titled = (ss: Story[], prefix: string): Story => ss.find((s) => s.articles.some((a) => a.title?.startsWith(prefix)))!;
const idOf = (ss: Story[], prefix: string): string => ss.flatMap((s) => s.articles).find((a) => a.title?.startsWith(prefix))!.id;
const titles = (s: Story): string[] => s.articles.map((a) => a.title!.split(' ')[0]!).sort();

function file(name: string, lines: readonly string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

describe('corrections from the CLI (real SQLite, each command a fresh open of the store)', () => {
  it('moves an article to a new story, merges two stories, and later articles follow both', async () => {
    const db = join(dir, 'follow.db');
    expect((await runCli(['ingest', file('first.jsonl', FIRST), '--db', db])).code).toBe(0);
    let ss = await stories(db);
    expect(ss.map((s) => s.size).sort()).toEqual([3, 4]);
    const fire = titled(ss, 'Fire destroys');
    const flood = titled(ss, 'Flood hits');
    const moved = await runCli(['stories', 'move', idOf(ss, 'Harwick'), '--new', '--db', db, '--json']);
    expect(moved.code).toBe(0);
    const bakery = JSON.parse(moved.out).story as string;
    const merged = await runCli(['stories', 'merge', flood.id, fire.id, '--db', db]);
    expect(merged.code).toBe(0);
    expect(merged.out).toContain(`now in story ${fire.id}`);
    ss = await stories(db);
    expect(ss.map((s) => s.size).sort()).toEqual([1, 6]);
    // later articles, in another process: one like the moved article goes where it was moved,
    // one like the merged story goes where it was merged
    expect((await runCli(['ingest', file('later.jsonl', LATER), '--db', db])).code).toBe(0);
    ss = await stories(db);
    expect(ss.map((s) => s.id).sort()).toEqual([bakery, fire.id].sort());
    expect(titles(ss.find((s) => s.id === bakery)!)).toEqual(['Greyfield', 'Harwick']);
    expect(ss.find((s) => s.id === fire.id)!.size).toBe(7);
    // why: the moved article's story names the move and what the later article shares with it
    const why = await runCli(['stories', bakery, '--why', '--db', db]);
    expect(why.code).toBe(0);
    expect(why.out).toMatch(/names: +.*greyfield mutual/);
    expect(why.out).toContain('moved to a new story');
    const whyJson = JSON.parse((await runCli(['stories', bakery, '--why', '--json', '--db', db])).out) as { story: string; members: { nearest: { title: string }; names: string[]; dayGap: number }[] };
    expect(whyJson.story).toBe(bakery);
    expect(whyJson.members.map((m) => m.nearest.title.split(' ')[0]).sort()).toEqual(['Greyfield', 'Harwick']);
    expect(whyJson.members[0]!.dayGap).toBe(1);
    // words as the articles write them, not their stems
    expect((whyJson.members[0] as unknown as { words: string[] }).words).toEqual(expect.arrayContaining(['bakery', 'ovens']));
  });

  it('splits articles off a story; the split stays when later articles bridge the two', async () => {
    const db = join(dir, 'split.db');
    expect((await runCli(['ingest', file('first2.jsonl', FIRST), '--db', db])).code).toBe(0);
    let ss = await stories(db);
    const fire = titled(ss, 'Fire destroys');
    const split = await runCli(['stories', 'split', fire.id, idOf(ss, 'Dunmore mill fire'), idOf(ss, 'Marlow Mill owners'), '--db', db, '--json']);
    expect(split.code).toBe(0);
    const part = JSON.parse(split.out).story as string;
    // a report close to both halves (it names what both name)
    const bridge = [1, 2, 3].map((k) =>
      art(
        `x${k}`,
        `Marlow Mill fire in Dunmore: chief Elena Rusk on the investigation, part ${k}`,
        `Fire chief Elena Rusk said investigators in Dunmore searched the ruins of the Marlow Mill, whose owners vow to rebuild after the fire on Tuesday destroyed the mill. Report ${k}.`,
        8,
      ),
    );
    expect((await runCli(['ingest', file('bridge.jsonl', bridge), '--db', db])).code).toBe(0);
    ss = await stories(db);
    const after = ss.find((s) => s.id === part)!;
    expect(after.articles.map((a) => a.title)).toEqual(expect.arrayContaining(['Dunmore mill fire: investigators look for cause', 'Marlow Mill owners vow to rebuild after Dunmore fire']));
    const rest = ss.find((s) => s.id === fire.id)!;
    expect(titles(rest)).toEqual(expect.arrayContaining(['Fire', 'Harwick']));
    expect(rest.articles.some((a) => a.title?.startsWith('Dunmore mill fire'))).toBe(false);
  });

  it('refuses bad corrections with a clear error and changes nothing', async () => {
    const db = join(dir, 'bad.db');
    expect((await runCli(['ingest', file('first3.jsonl', FIRST), '--db', db])).code).toBe(0);
    const before = await stories(db);
    const fire = titled(before, 'Fire destroys');
    const flood = titled(before, 'Flood hits');
    const cases: [string[], number, string][] = [
      [['stories', 'merge', fire.id, fire.id], 2, 'cannot be merged into itself'],
      [['stories', 'merge', 'nonsense', fire.id], 2, 'is not a story id'],
      [['stories', 'merge', 's0000000000000000', fire.id], 1, 'no story with id s0000000000000000'],
      [['stories', 'split', fire.id, idOf(before, 'Flood hits')], 2, 'is not in story'],
      [['stories', 'split', flood.id, ...flood.articles.map((a) => a.id)], 2, 'at least one article'],
      [['stories', 'move', idOf(before, 'Flood hits')], 2, 'either a story'],
      [['stories', 'move', idOf(before, 'Flood hits'), flood.id], 2, 'already in story'],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli([...args, '--db', db]);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.err).toContain(message);
    }
    expect(await stories(db)).toEqual(before);
  });
});

describe('corrections and evidence over HTTP (real server on loopback, real SQLite)', () => {
  it('takes merge, split and move with the write token only, keeps them across a restart, and explains each member', async () => {
    const { openEngine } = await import('../src/engine/pipeline.js');
    const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
    const { createApp } = await import('../src/server/app.js');
    const { listen } = await import('../src/server/serve.js');
    const { SERVER_EXTENSIONS } = await import('../src/server/extensions.js');
    const db = join(dir, 'api.db');
    const start = async () => {
      const engine = openEngine(SqliteStore.open({ path: db }));
      const server = await listen(createApp({ engine, writeToken: 'tok', ui: false, extend: SERVER_EXTENSIONS }), { port: 0, host: '127.0.0.1' });
      return { engine, server, stop: async () => (await server.close(200), await engine.close()) };
    };
    let s = await start();
    const post = (path: string, body: unknown, token: string | null = 'tok') =>
      fetch(`${s.server.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const get = async (path: string) => (await fetch(`${s.server.url}/api/v1${path}`)).json() as Promise<Record<string, unknown>>;
    try {
      expect((await post('/ingest', { articles: FIRST.map((l) => JSON.parse(l)) })).status).toBe(200);
      const list = (await get('/stories')).items as { id: string }[];
      // a story is found by one of its articles' titles: its label is whichever headline suits it best
      const full = await Promise.all(list.map(async (x) => ({ id: x.id, titles: ((await get(`/stories/${x.id}`)).articles as { title: string }[]).map((a) => a.title) })));
      const storyWith = (prefix: string): string => full.find((x) => x.titles.some((t) => t.startsWith(prefix)))!.id;
      const fire = storyWith('Fire destroys');
      const flood = storyWith('Flood hits');
      const fireArticles = (await get(`/stories/${fire}`)).articles as { id: string; title: string }[];
      const bakery = fireArticles.find((a) => a.title.startsWith('Harwick'))!.id;
      // writes need the token; bad bodies and ids are 4xx naming the field
      expect((await post(`/stories/${flood}/merge`, { into: fire }, null)).status).toBe(401);
      expect((await post(`/stories/${flood}/merge`, { into: fire }, 'wrong')).status).toBe(401);
      const bad = await post(`/stories/${flood}/merge`, { into: 'x' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('into');
      expect((await post(`/stories/s0000000000000000/merge`, { into: fire })).status).toBe(404);
      expect((await post(`/articles/${bakery}/move`, { to: fire })).status).toBe(400);
      // a move to a new story
      const moved = await post(`/articles/${bakery}/move`, { to: null });
      expect(moved.status).toBe(200);
      const bakeryStory = ((await moved.json()) as { story: string }).story;
      expect(((await get(`/stories/${bakeryStory}`)).articles as unknown[]).length).toBe(1);
      // a split
      const split = await post(`/stories/${flood}/split`, { articles: [((await get(`/stories/${flood}`)).articles as { id: string; title: string }[]).find((a) => a.title.startsWith('Orrin'))!.id] });
      expect(split.status).toBe(200);
      const orrin = ((await split.json()) as { story: string }).story;
      // the evidence: shared names and the correction that moved it
      const why = (await get(`/stories/${fire}/why`)) as { members: { title: string; names: string[]; score: number; threshold: number }[] };
      expect(why.members.length).toBe(3);
      for (const m of why.members) {
        expect(m.names).toContain('marlow mill');
        expect(m.score).toBeGreaterThan(m.threshold);
      }
      const whyOrrin = (await get(`/stories/${orrin}/why`)) as { members: { corrections: { kind: string }[] }[] };
      expect(whyOrrin.members[0]!.corrections.map((c) => c.kind)).toEqual(['split']);
      await s.stop();
      // after a restart the corrections hold, and later articles follow the move
      s = await start();
      expect((await post('/ingest', { articles: LATER.map((l) => JSON.parse(l)) })).status).toBe(200);
      const titles = async (id: string) => ((await get(`/stories/${id}`)).articles as { title: string }[]).map((a) => a.title.split(' ')[0]).sort();
      expect(await titles(bakeryStory)).toEqual(['Greyfield', 'Harwick']);
      expect(await titles(orrin)).toContain('Orrin');
      expect(await titles(fire)).toEqual(['Dunmore', 'Fire', 'Marlow']);
    } finally {
      await s.stop();
    }
  });
});

describe('corrections in the clusterer', () => {
  it('moves vectors with the articles, keeps the locks through a save and load, and later articles follow', async () => {
    const { OnlineClusterer } = await import('../src/cluster/online.js');
    type State = ReturnType<InstanceType<typeof OnlineClusterer>['toState']>;
    const inputs = FIRST.map((l) => JSON.parse(l) as { id: string; title: string; text: string; published: string });
    const c = new OnlineClusterer();
    const story = new Map(inputs.map((x) => [x.id, c.add(x).story]));
    expect(story.get('a4')).toBe(story.get('a1'));
    // a new story of the id the correction gives it
    const moved = storyIdOf({ kind: 'corrected', article: 'a4', seq: 1 });
    c.correctMove(['a4'], moved, 'Harwick bakery');
    expect(c.liveStories()).toContain(moved);
    expect(c.isLocked(moved) && c.isLocked(story.get('a1')!)).toBe(true);
    const saved = JSON.parse(JSON.stringify(c.toState())) as State;
    const reloaded = OnlineClusterer.fromState(saved);
    expect(reloaded.toState()).toEqual(saved);
    expect(reloaded.isLocked(moved)).toBe(true);
    const later = JSON.parse(LATER[0]!) as { id: string; title: string; text: string; published: string };
    expect(c.add(later).story).toBe(moved);
    expect(reloaded.add(later).story).toBe(moved);
    // a merge: the flood story's later report goes to the story it was merged into
    c.correctMerge(story.get('b1')!, story.get('a1')!);
    expect(c.liveStories()).not.toContain(story.get('b1'));
    expect(c.isLocked(story.get('a1')!)).toBe(true);
    expect(c.add(JSON.parse(LATER[1]!) as { id: string; text: string }).story).toBe(story.get('a1'));
  });
});

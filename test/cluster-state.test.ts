import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isParallaxError } from '../src/errors.js';
import { CLUSTER_FORMAT_VERSION, DEFAULT_CLUSTER_PARAMS, OnlineClusterer } from '../src/cluster/online.js';
import { parseClusterState } from '../src/cluster/state.js';
import { storyIdOf } from '../src/domain/ids.js';

// states written by the code of the last commit at each format (bench/_cluster-state-fixtures.ts):
// the 21 articles of ecbplus-topic14.jsonl, two fires at two Waitrose stores
const fixtures = join(import.meta.dirname, 'fixtures');
const saved = (version: number): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, 'cluster-state', `format-${version}.json`), 'utf8')) as Record<string, unknown>;
const articles = readFileSync(join(fixtures, 'ecbplus-topic14.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; text: string });

/**
 * What the cluster stage saved beside a state before format 6: an id for every story by its
 * index (formats 1 to 3 list every story at its index, 4 and 5 the live ones with theirs).
 */
function legacyIds(old: Record<string, unknown>): Map<number, string> {
  const stories = old['stories'] as { index?: number }[];
  return new Map(stories.map((st, i) => [st.index ?? i, storyIdOf({ kind: 'started', article: `legacy-${st.index ?? i}` })]));
}

/** The error a parse throws. */
function refusal(raw: unknown, ids?: Map<number, string>): { code: string; message: string } {
  try {
    parseClusterState(raw, ids);
  } catch (e) {
    if (isParallaxError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the clustering state codec', () => {
  it('reads the current format unchanged', () => {
    const s = saved(CLUSTER_FORMAT_VERSION);
    expect(parseClusterState(s)).toEqual(s);
    // parameters added since the fixture was written take their defaults (ages, nearBoost), but
    // round-ups and the warm-up stay off: its members were folded at full weight
    expect(OnlineClusterer.fromState(s).toState()).toEqual({ ...s, params: { ...DEFAULT_CLUSTER_PARAMS, roundUpPlaces: 0, warmup: 0, ...(s['params'] as object) } });
  });

  it.each([1, 2, 3])('upgrades a format-%i state, as that release wrote it, to the current format', (version) => {
    const old = saved(version);
    const ids = legacyIds(old);
    const state = parseClusterState(old, ids);
    expect(state.version).toBe(CLUSTER_FORMAT_VERSION);
    const oldStories = old['stories'] as { active: boolean; mergedInto: number; size: number; label: string; members?: unknown[] | null }[];
    // every story was listed at its index; the live ones are kept with it and with their ids
    expect(state.created).toBe(oldStories.length);
    const live = oldStories.flatMap((st, i) => (st.active && st.mergedInto < 0 ? [i] : []));
    expect(state.stories.map((s) => s.index)).toEqual(live);
    expect(state.stories.map((s) => s.id)).toEqual(live.map((i) => ids.get(i)));
    expect(state.stories.map((s) => [s.size, s.label])).toEqual(live.map((i) => [oldStories[i]!.size, oldStories[i]!.label]));
    // terms were never forgotten before 4: each counts as used at the last arrival
    expect(state.seen).toEqual(new Array((old['vocab'] as unknown[]).length).fill(old['arrivals']));
    // members appeared in 2; format 1 had none to keep
    if (version === 1) for (const st of state.stories) expect(st.members).toBeNull();
    else expect(state.stories.map((s) => s.members?.length)).toEqual(live.map((i) => oldStories[i]!.members?.length));
    // split repair's parameters of 1 and 2 meant something else: they take the defaults
    if (version < 3) {
      expect(state.params['splitThreshold']).toBe(DEFAULT_CLUSTER_PARAMS.splitThreshold);
      expect(state.params['memberWeight']).toBe(DEFAULT_CLUSTER_PARAMS.memberWeight);
    }
  });

  it('upgrades a format-4 state: the same state, with no outlet boilerplate learnt yet', () => {
    const old = saved(4);
    const ids = legacyIds(old);
    const state = parseClusterState(old, ids);
    const { merges: _, ...kept } = old;
    expect(state).toEqual({ ...kept, version: CLUSTER_FORMAT_VERSION, stories: (old['stories'] as { index: number }[]).map((st) => ({ ...st, id: ids.get(st.index) })) });
    expect(state.lines).toBeUndefined();
    // the clusterer starts its table empty and learns from the next article on
    const c = OnlineClusterer.fromState(old, ids);
    c.add({ id: 'again', text: articles[3]!.text, published: '2013-01-03T15:00:00Z', outlet: 'bbc.co.uk' });
    const lines = c.toState().lines!;
    expect(lines.outlets.map((o) => o[0])).toEqual(['bbc.co.uk']);
    expect(lines.outlets[0]![2].every((n) => n === 1)).toBe(true);
  });

  it("keeps the outlets' boilerplate lines of a format-5 state", () => {
    const s = saved(5) as { lines: { outlets: [string, number[]][] } };
    expect(s.lines.outlets.map((o) => o[0]).sort()).toEqual(['bbc.co.uk', 'getsurrey.co.uk']);
    expect(OnlineClusterer.fromState(s, legacyIds(saved(5))).toState().lines).toEqual(s.lines);
  });

  it('upgrades a format-5 state: each story takes its id and lock into its record, the merges go', () => {
    const old = saved(5) as Record<string, unknown> & { stories: { index: number }[] };
    // as the cluster stage would hold it after a correction and a merge
    const [first, second] = old.stories.map((st) => st.index);
    const spoiled = { ...old, locked: [second], merges: [[7, first]] };
    const ids = legacyIds(old);
    const state = parseClusterState(spoiled, ids);
    const { merges: _m, ...kept } = old;
    expect(state).toEqual({ ...kept, version: 6, stories: old.stories.map((st) => ({ ...st, id: ids.get(st.index), ...(st.index === second ? { locked: true } : {}) })) });
    // the current format holds no index of a merged story and no list of locks
    expect(Object.keys(state)).not.toContain('merges');
    expect(Object.keys(state)).not.toContain('locked');
    // and the same format-5 state with the ids written by this version is the format-6 fixture
    expect({ ...state, params: saved(6)['params'] }).toEqual({
      ...saved(6),
      stories: (saved(6)['stories'] as { index: number }[]).map((st) => ({ ...st, id: ids.get(st.index), ...(st.index === second ? { locked: true } : {}) })),
    });
  });

  it('refuses a state before format 6 without the ids saved beside it, naming the story', () => {
    expect(refusal(saved(5))).toEqual({ code: 'MALFORMED_STATE', message: expect.stringMatching(/\(format 5\) is malformed at stories\[0\]\.id: story \d+ has no id/) });
    const ids = legacyIds(saved(3));
    ids.delete([...ids.keys()].at(-1)!);
    expect(refusal(saved(3), ids).message).toMatch(/\(format 3\) is malformed at stories\[1\]\.id/);
  });

  it.each([1, 2, 3, 4, 5, 6])('goes on clustering from a format-%i state: a new report of a fire joins its story', (version) => {
    const c = OnlineClusterer.fromState(saved(version), version < 6 ? legacyIds(saved(version)) : undefined);
    const before = c.liveStories();
    const a = c.add({ id: 'again', text: articles[3]!.text, published: '2013-01-03T15:00:00Z' });
    expect(a.created).toBe(false);
    expect(before).toContain(a.story);
    expect(c.toState().version).toBe(CLUSTER_FORMAT_VERSION);
  });

  it('refuses a format it does not read, naming it', () => {
    expect(refusal({ ...saved(4), version: 99 })).toEqual({ code: 'FORMAT_VERSION', message: expect.stringMatching(/format 99, this Parallax reads 1 to 6/) });
    expect(refusal('not a state').code).toBe('FORMAT_VERSION');
    expect(refusal(null).code).toBe('FORMAT_VERSION');
    expect(() => OnlineClusterer.fromState({ version: 0 })).toThrow(/format 0/);
  });

  it.each([
    ['a field missing', (s: Record<string, unknown>) => delete s['df'], /at df: /],
    ['a field of the wrong type', (s: Record<string, unknown>) => (s['docs'] = 'many'), /at docs: /],
    [
      'a weight that is not a number',
      (s: Record<string, unknown>) => ((s['stories'] as { centroid: unknown[][][] }[])[1]!.centroid[2]![1]![0] = 'x'),
      /at stories\[1\]\.centroid\[2\]\[1\]\[0\]: expected a finite number, found "x"/,
    ],
    ['a term without its channel', (s: Record<string, unknown>) => ((s['vocab'] as unknown[])[5] = 'fire'), /at vocab\[5\]: expected null or a term/],
    [
      'more weights than feature ids',
      (s: Record<string, unknown>) => (s['stories'] as { centroid: number[][][] }[])[0]!.centroid[0]![1]!.push(0.5),
      /at stories\[0\]\.centroid\[0\]: expected as many weights as feature ids/,
    ],
    [
      'a feature id outside the vocabulary',
      (s: Record<string, unknown>) => ((s['stories'] as { indexed: number[] }[])[0]!.indexed[2] = 1e6),
      /at stories\[0\]\.indexed\[2\]: feature id 1000000 is outside the vocabulary/,
    ],
    ['document frequencies not one per term', (s: Record<string, unknown>) => (s['df'] as number[]).pop(), /at df: expected \d+ document frequencies/],
    ['a member of the wrong shape', (s: Record<string, unknown>) => ((s['stories'] as { members: unknown[] }[])[0]!.members[0] = [1, 'a']), /at stories\[0\]\.members\[0\]/],
    ['a story id that is not one', (s: Record<string, unknown>) => ((s['stories'] as { id: string }[])[1]!.id = '7'), /at stories\[1\]\.id: expected a story id/],
    [
      'two stories of one id',
      (s: Record<string, unknown>) => ((s['stories'] as { id: string }[])[1]!.id = (s['stories'] as { id: string }[])[0]!.id),
      /at stories\[1\]\.id: story id s[0-9a-f]{16} is held by two stories/,
    ],
    [
      'an outlet line count that is not a whole number',
      (s: Record<string, unknown>) => ((s['lines'] as { outlets: unknown[][][] }).outlets[0]![2]![1] = 0.5),
      /at lines\.outlets\[0\]\[2\]\[1\]: expected a whole number >= 0/,
    ],
    [
      'an outlet without a story per line',
      (s: Record<string, unknown>) => (s['lines'] as { outlets: number[][][] }).outlets[1]![4]!.pop(),
      /at lines\.outlets\[1\]\[4\]: expected one entry per line hash/,
    ],
  ])('refuses a malformed state (%s) with MALFORMED_STATE, naming where', (_, spoil, where) => {
    const s = saved(CLUSTER_FORMAT_VERSION);
    spoil(s);
    const e = refusal(s);
    expect(e.code).toBe('MALFORMED_STATE');
    expect(e.message).toMatch(where);
    expect(() => OnlineClusterer.fromState(s)).toThrow(where);
  });

  it('refuses a malformed state of an old format, naming the format', () => {
    const s = saved(2);
    (s['stories'] as { label: unknown }[])[0]!.label = 7;
    expect(refusal(s, legacyIds(s))).toEqual({ code: 'MALFORMED_STATE', message: expect.stringMatching(/\(format 2\) is malformed at stories\[0\]\.label: /) });
  });
});

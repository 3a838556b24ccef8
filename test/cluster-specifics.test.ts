import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterStream, DEFAULT_CLUSTER_PARAMS, OnlineClusterer } from '../src/cluster/online.js';
import { clusterParams } from '../src/cluster/params.js';
import { nameLink } from '../src/cluster/names.js';
import { AGE_LEAD_CHARS, agesConflict, extractAges, isPlaceName } from '../src/cluster/specifics.js';

// real reports from the ECB+ development data (test/fixtures/ecbplus): topic 21 holds two
// hit-and-run deaths (Bloomington 2008, Queens 2013), topic 34 two choices of a surgeon general
// (Sanjay Gupta, 39, in 2009; Regina Benjamin, 52, later that year), topic 1 an actress entering rehab
const fixtures = join(import.meta.dirname, 'fixtures');
const ecb = new Map(
  readFileSync(join(fixtures, 'ecbplus', 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; text: string })
    .map((r) => [r.id, r.text]),
);
const text = (id: string): string => ecb.get(id)!;
// format 6, written before the ages, nearBoost and namePerson parameters
const savedBefore = (): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, 'cluster-state', 'format-6.json'), 'utf8')) as Record<string, unknown>;

describe("the people's ages in a report", () => {
  it('reads "66-year-old Luann Johnson" and "Anthony Phillip LaSalle, 36, of Bloomington"', () => {
    expect(extractAges(text('21_6ecb'))).toEqual([36, 66]);
  });

  it('reads "A 59 - year - old mother" as tokenised text writes it, and "Vishwanand Subryan, 23, of"', () => {
    expect(extractAges(text('21_4ecbplus'))).toEqual([23, 59]);
  });

  it('reads "Reid, 33, was", "ages 16 and 17", "three-year-old", and not a date ("April 14, 2013") or a count', () => {
    expect(extractAges(text('1_18ecb'))).toEqual([33]);
    expect(extractAges('Two of the victims, ages 16 and 17, were released. A three-year-old was not hurt.')).toEqual([3, 16, 17]);
    expect(extractAges('Posted Sun Apr 14, 2013 10:26 PM. Police said 4 people were shot on April 14, 2013.')).toEqual([]);
    expect(extractAges(text('1_4ecb'))).toEqual([]);
  });

  it('reads only the lead: the ages further down are witnesses and neighbours', () => {
    const lead = 'A 19-year-old man was shot on Cedar Street.';
    expect(extractAges(`${lead}${' More.'.repeat(AGE_LEAD_CHARS / 6)} A neighbour, 45-year-old Ann Lee, heard it.`)).toEqual([19]);
  });

  it('conflicts when both sides give 1 to max ages and share none; a round-up of many ages never does', () => {
    expect(agesConflict([1, 2], [3], 4)).toBe(true);
    expect(agesConflict([1, 2], [2, 5], 4)).toBe(false);
    expect(agesConflict([], [3], 4)).toBe(false);
    expect(agesConflict([1, 2, 3, 4, 5], [6], 4)).toBe(false);
  });
});

describe('ages and time in the clusterer', () => {
  const dated = (id: string, published: string) => ({ id, text: text(id), published });
  const stories = (ids: [string, string], params = {}): number => new Set(clusterStream([dated(ids[0], '2015-03-01'), dated(ids[1], '2015-03-02')], params).map((a) => a.story)).size;

  it('keeps two choices of a surgeon general apart when their reports give other ages (a day apart, they met as one story)', () => {
    expect(stories(['34_12ecb', '34_10ecbplus'], { ageVeto: 1 })).toBe(1);
    expect(stories(['34_12ecb', '34_10ecbplus'])).toBe(2);
  });

  it('joins two reports of one event within graceDays that fall short without nearBoost', () => {
    expect(stories(['1_4ecb', '1_18ecb'], { nearBoost: 1 })).toBe(2);
    expect(stories(['1_4ecb', '1_18ecb'])).toBe(1);
  });

  it('refuses an age veto above 1 and a boost of 0', () => {
    expect(() => clusterParams({ ageVeto: 1.5 })).toThrow(/ageVeto/);
    expect(() => clusterParams({ nearBoost: 0 })).toThrow(/nearBoost/);
  });

  it('reads a saved state from before ages and nearBoost with their defaults, and keeps the values a state has', () => {
    const old = savedBefore();
    expect(Object.keys(old['params'] as object)).not.toContain('ageVeto');
    const c = OnlineClusterer.fromState(old);
    expect([c.params.ageMax, c.params.ageWeight, c.params.ageVeto, c.params.nearBoost]).toEqual([
      DEFAULT_CLUSTER_PARAMS.ageMax,
      DEFAULT_CLUSTER_PARAMS.ageWeight,
      DEFAULT_CLUSTER_PARAMS.ageVeto,
      DEFAULT_CLUSTER_PARAMS.nearBoost,
    ]);
    const mine = { ...old, params: { ...(old['params'] as object), ageVeto: 1, nearBoost: 1 } };
    const again = OnlineClusterer.fromState(OnlineClusterer.fromState(mine).toState());
    expect([again.params.ageVeto, again.params.nearBoost]).toEqual([1, 1]);
  });

  it('knows an age feature again after a reload, and forgets none that a story holds', () => {
    const c = new OnlineClusterer();
    c.add(dated('21_6ecb', '2015-03-01'));
    c.add(dated('34_12ecb', '2015-03-01'));
    const state = c.toState();
    expect(state.vocab.filter((t) => t !== null && /^n:\d+y$/.test(t)).sort()).toEqual(['n:36y', 'n:39y', 'n:66y']);
    // after a reload the other surgeon general's report is still vetoed: it starts a story of its own
    const d = OnlineClusterer.fromState(JSON.parse(JSON.stringify(state)) as unknown);
    expect(d.add(dated('34_10ecbplus', '2015-03-02')).created).toBe(true);
  });
});

describe('name links through places', () => {
  it("tells places and institutions from people's names", () => {
    // names as the features hold them (lower case), from the reports above and the gun-violence stream's wrong links
    for (const place of ['east flatbush', 'kings county hospital', 'liberty city', 'cactus road', 'phoenix police department', 'richmond hills', 'fort hood'])
      expect([place, isPlaceName(place)]).toEqual([place, true]);
    for (const person of ['anthony phillip lasalle', 'raj chohan', 'luann johnson', 'tara reid']) expect([person, isPlaceName(person)]).toEqual([person, false]);
  });

  it('needs a shared name that is not a place: two names of a neighbourhood link nothing', () => {
    const story = {
      centroid: [
        new Map(),
        new Map([
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
        new Map(),
      ] as [Map<number, number>, Map<number, number>, Map<number, number>],
    };
    const person = (id: number): boolean => id === 3;
    const link = (names: number[], who?: (id: number) => boolean) =>
      nameLink(
        new Map(names.map((k) => [k, 1])),
        [0],
        () => story,
        () => true,
        2,
        () => 0.5,
        0.3,
        who,
      );
    // 1 and 2 are places ("east flatbush", "kings county hospital"), 3 a victim's name
    expect(link([1, 2])?.story).toBe(0);
    expect(link([1, 2], person)).toBeNull();
    expect(link([1, 3], person)?.names).toEqual([1, 3]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterStream, DEFAULT_CLUSTER_PARAMS, OnlineClusterer } from '../src/cluster/online.js';
import { clusterParams } from '../src/cluster/params.js';
import { nameLink } from '../src/cluster/names.js';
import { AGE_LEAD_CHARS, agesConflict, extractAges, isPlaceName, isRoundUp } from '../src/cluster/specifics.js';

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
    expect(stories(['34_12ecb', '34_10ecbplus'], { ageVeto: 1, warmup: 0 })).toBe(1);
    expect(stories(['34_12ecb', '34_10ecbplus'], { warmup: 0 })).toBe(2);
  });

  it('joins two reports of one event within graceDays that fall short without nearBoost', () => {
    expect(stories(['1_4ecb', '1_18ecb'], { nearBoost: 1, warmup: 0 })).toBe(2);
    expect(stories(['1_4ecb', '1_18ecb'], { warmup: 0 })).toBe(1);
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
    // round-ups and the warm-up stay off for a state saved without them: its members were
    // folded at full weight, and a reload after a save keeps them off
    expect([c.params.roundUpPlaces, c.params.warmup]).toEqual([0, 0]);
    const reloaded = OnlineClusterer.fromState(JSON.parse(JSON.stringify(c.toState())) as unknown);
    expect([reloaded.params.roundUpPlaces, reloaded.params.warmup]).toEqual([0, 0]);
    expect(DEFAULT_CLUSTER_PARAMS.roundUpPlaces).toBeGreaterThan(0);
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

describe('the warm-up at the start of a stream', () => {
  const dated = (id: string, published: string) => ({ id, text: text(id), published });
  const pair = [dated('1_4ecb', '2015-03-01'), dated('1_18ecb', '2015-03-02')];
  const stories = (params = {}): number => new Set(clusterStream(pair, params).map((a) => a.story)).size;

  it('withholds nearBoost from the first `warmup` articles: two reports that join with it stay apart as a stream opens', () => {
    expect(stories({ warmup: 0 })).toBe(1);
    expect(stories()).toBe(2);
    // warmed up after one article, the second report is boosted again
    expect(stories({ warmup: 1 })).toBe(1);
  });

  it('weighs the IDF prior less while warming up, so the words the first reports share count less', () => {
    // two shootings in one town on one day, no boost either way: only the prior differs
    const town = (id: string, street: string, rest: string) => ({ id, published: '2016-01-02', text: `A man was shot on ${street} in Riverton on Saturday, police said. ${rest}` });
    const a = town('a', 'Maple Street', 'Officers found him near a barber shop with wounds to his chest. Customers described an argument over a haircut bill.');
    const b = town('b', 'Pine Road', 'The victim was slumped in a parked pickup truck beside a laundromat. Detectives collected shell casings from the gutter.');
    // the town's other shootings of the week, before them: the words every report carries
    const before = ['Oak Avenue', 'Elm Court', 'Birch Boulevard', 'Walnut Drive', 'Spruce Place', 'Hazel Street'].map((street, i) =>
      town(`w${i}`, street, `Witness ${i} told reporters about case ${i + 1}, one of several this month.`),
    );
    const second = (params: object): number => {
      const c = new OnlineClusterer(params);
      for (const x of [...before, a]) c.add(x);
      return c.add(b).similarity;
    };
    const cold = second({ nearBoost: 1 });
    const warm = second({ nearBoost: 1, warmup: 0 });
    expect(cold).toBeGreaterThan(0);
    expect(cold).toBeLessThan(warm - 0.02);
  });

  it('goes on alike from a state saved while warming up (the document count is saved)', () => {
    const c = new OnlineClusterer();
    const first = c.add(pair[0]!);
    const d = OnlineClusterer.fromState(JSON.parse(JSON.stringify(c.toState())) as unknown);
    const again = new OnlineClusterer();
    again.add(pair[0]!);
    expect(d.add(pair[1]!)).toEqual(again.add(pair[1]!));
    expect(first.created).toBe(true);
  });
});

describe('round-ups', () => {
  // a town's weekend: one report of a barber-shop shooting, then a round-up of eleven
  // shootings (that one among them), then a report of another of them
  const lines: [string, string][] = [
    ['Maple Street', 'Darnell Hughes, 24, was shot in the leg outside a barber shop on Maple Street.'],
    ['Pine Road', 'A teenager was wounded after a dice game turned violent near Pine Road.'],
    ['Cedar Lane', 'A woman was grazed by a stray bullet while sitting on her porch on Cedar Lane.'],
    ['Birch Boulevard', 'Two brothers were hit during a drive-by on Birch Boulevard.'],
    ['Elm Court', 'A delivery driver was robbed and shot on Elm Court.'],
    ['Walnut Drive', 'A man was found with a gunshot wound in a parked van on Walnut Drive.'],
    ['Spruce Place', 'Gunfire erupted at a birthday party on Spruce Place.'],
    ['Willow Parkway', 'A motorist was shot in a road-rage dispute on Willow Parkway.'],
    ['Chestnut Highway', 'A security guard exchanged fire with a robber on Chestnut Highway.'],
    ['Hazel Street', 'A man walking his dog was shot on Hazel Street.'],
    ['Aspen Avenue', 'A clerk was wounded in a liquor store holdup on Aspen Avenue.'],
  ];
  const roundUp = {
    id: 'roundup',
    published: '2016-03-07',
    title: 'Weekend violence: 11 shot across Riverton',
    text: `At least eleven people were shot across Riverton over the weekend, police said.\n${lines.map(([, l]) => l).join('\n')}`,
  };
  const barber1 = {
    id: 'barber1',
    published: '2016-03-06',
    title: 'Man shot outside barber shop',
    text: 'Darnell Hughes, 24, was shot in the leg outside a barber shop on Maple Street on Saturday. Detectives are looking for a grey sedan seen leaving. Hughes is in stable condition.',
  };
  const barber2 = {
    id: 'barber2',
    published: '2016-03-06',
    title: 'Barber shop shooting: victim named',
    text: 'The man shot outside a Maple Street barber shop was Darnell Hughes, 24. Detectives want to speak to the driver of a grey sedan. Hughes is stable.',
  };
  const dice = {
    id: 'dice',
    published: '2016-03-07',
    title: 'Teen wounded after dice game',
    text: 'A teenager was wounded on Sunday after a dice game turned violent near Pine Road. The teen walked to a friend’s house and called for help.',
  };

  it('tells a round-up by the places it names among its strongest names', () => {
    const places = new Set([1, 2, 3]);
    const names = new Map([
      [1, 0.5],
      [2, 0.4],
      [3, 0.1],
      [4, 0.3],
    ]);
    expect(isRoundUp(names, (id) => places.has(id), 3, 48)).toBe(true);
    // among the 3 strongest names only two are places
    expect(isRoundUp(names, (id) => places.has(id), 3, 3)).toBe(false);
    expect(isRoundUp(names, (id) => places.has(id), 0, 48)).toBe(false);
  });

  it('joins a story but pulls no other event into it', () => {
    const run = (params: object) => {
      const out = clusterStream([barber1, barber2, roundUp, dice], params);
      return out.map((a) => out.findIndex((b) => b.story === a.story));
    };
    // without round-ups the dice game joins the barber's story through the round-up
    expect(run({ roundUpPlaces: 0 })).toEqual([0, 0, 0, 0]);
    expect(run({})).toEqual([0, 0, 0, 3]);
  });

  it("makes no name link: months later, the people it names are several events' people", () => {
    const early = { ...barber1, published: '2015-11-02', text: `${barber1.text} His cousin Kenya Moore said he was walking home.` };
    const later = { ...roundUp, published: '2016-03-07', text: `${roundUp.text}\nKenya Moore, whose cousin was shot in November, organised a vigil.` };
    const run = (params: object) => clusterStream([early, later], params).map((a) => a.story);
    const [x, y] = run({ roundUpPlaces: 0 });
    expect(y).toBe(x);
    const [u, v] = run({});
    expect(v).not.toBe(u);
  });

  it('keeps a round-up a round-up through a saved state', () => {
    const c = new OnlineClusterer();
    for (const a of [barber1, barber2, roundUp]) c.add(a);
    const d = OnlineClusterer.fromState(JSON.parse(JSON.stringify(c.toState())) as unknown);
    expect(d.add(dice).created).toBe(true);
    expect(clusterParams({}).roundUpPlaces).toBeGreaterThan(0);
    expect(() => clusterParams({ roundUpWeight: 2 })).toThrow(/roundUpWeight/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { extractFeatures } from '../src/cluster/features.js';
import { CLUSTER_FORMAT_VERSION, type ClusterState, clusterStream, DEFAULT_CLUSTER_PARAMS, OnlineClusterer, prune, StoryTracker, strongest } from '../src/cluster/online.js';
import { type StoryId, storyIdOf } from '../src/domain/ids.js';
import { ClusterStage, STATE_FORMAT } from '../src/stages/cluster.js';
import { clusterInputOf as inputOf } from '../src/cluster/features.js';
import { scoreClustering } from '../src/eval/metrics.js';
import { readText } from '../src/ingest/text.js';
import { buildArticle } from '../src/ingest/build.js';
import { parseJsonlLine } from '../src/ingest/jsonl.js';
import { runCli } from './helpers/cli.js';
import { asPreviousRelease } from './helpers/cluster-legacy.js';
import { Engine } from '../src/engine/engine.js';
import { openEngine } from '../src/engine/pipeline.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-cluster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ecbLines = readFileSync(ECBPLUS, 'utf8').trim().split('\n');

describe('scoreClustering (hand-computed)', () => {
  it('matches values worked out by hand', () => {
    const s = scoreClustering(['a', 'a', 'a', 'b', 'b'], ['1', '1', '2', '2', '2']);
    expect(s.goldClusters).toBe(2);
    expect(s.predClusters).toBe(2);
    expect(s.bcubed.precision).toBeCloseTo(11 / 15, 10);
    expect(s.bcubed.recall).toBeCloseTo(11 / 15, 10);
    expect(s.pairwise).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s.ari).toBeCloseTo(1 / 6, 10);
    expect(s.vMeasure.homogeneity).toBeCloseTo(1 - 0.381908 / 0.673012, 5);
    expect(s.vMeasure.v).toBeCloseTo(1 - (0.2 * Math.log(3) + 0.4 * Math.log(1.5)) / (0.6 * Math.log(1 / 0.6) + 0.4 * Math.log(1 / 0.4)), 10);
  });
  it('is perfect for identical partitions and 0 ARI for a single cluster against singletons', () => {
    const p = scoreClustering(['x', 'x', 'y'], ['7', '7', '9']);
    expect([p.bcubed.f1, p.pairwise.f1, p.ari, p.vMeasure.v]).toEqual([1, 1, 1, 1]);
    const one = scoreClustering(['a', 'b', 'c', 'd'], ['1', '1', '1', '1']);
    expect(one.bcubed.precision).toBeCloseTo(0.25, 10);
    expect(one.bcubed.recall).toBe(1);
    expect(one.ari).toBe(0);
  });
});

describe('cluster features', () => {
  const names = (text: string) => [...extractFeatures({ id: 'x', text }).entities.keys()];
  it('reads names as runs of capitalised words, closed by punctuation, line breaks and sentence ends', () => {
    expect(names('Police arrested Tara Reid.')).toEqual(['tara reid', 'reid']);
    expect(names('Manchester United beat Real Madrid at Old Trafford on Sunday.')).toEqual(expect.arrayContaining(['manchester united', 'real madrid', 'old trafford']));
    expect(names('Yesterday Jean-Claude Juncker met Hewlett-Packard executives.')).toEqual(expect.arrayContaining(['jean claude juncker', 'hewlett packard']));
    expect(names('He visited St. Louis with George W. Bush.')).toEqual(expect.arrayContaining(['st louis', 'george w bush']));
    const belts = names('Klitschko kept the WBA, IBF and WBO belts.\nUpdated 10 PM ET\nWladimir Klitschko won.');
    expect(belts).toEqual(expect.arrayContaining(['wba', 'ibf', 'wbo', 'wladimir klitschko']));
    expect(belts.some((n) => n.includes(' et ') || n.startsWith('et ') || n.includes('wba ibf'))).toBe(false);
  });
  it('does not take a Title Case headline for a run of names, but keeps names the body confirms', () => {
    const n = names('Navy Foils Pirate Attack Off Gulf Of Aden\nThe Indian Navy said on Thursday that INS Sukanya stopped the attack in the Gulf of Aden.');
    expect(n).toEqual(expect.arrayContaining(['indian navy', 'ins sukanya']));
    expect(n.some((x) => x.includes('foils') || x.includes('pirate attack'))).toBe(false);
  });
});

describe('online clustering', () => {
  it('selects the strongest features as sorting would (ties to the smaller id), with ids and scores kept in step', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(2000), { maxLength: 300 }), fc.nat(40), fc.nat(1000), (idList, k, salt) => {
        const ids = Int32Array.from(idList);
        // few distinct scores, so that ties at the cut are common
        const scores = Float64Array.from(idList, (id) => ((id * 7 + salt) % 5) / 3);
        const expected = idList
          .map((id, i) => [id, scores[i]!] as const)
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, k)
          .map((e) => e[0])
          .sort((a, b) => a - b);
        const got = strongest(ids, scores, ids.length, k, new Float64Array(ids.length)).sort((a, b) => a - b);
        expect(got).toEqual(expected);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('refuses parameters that are not numbers, or not whole where a count is meant', () => {
    expect(() => new OnlineClusterer({ queryFeatures: 24.5 })).toThrow(/queryFeatures must be a whole number/);
    expect(() => new OnlineClusterer({ threshold: Number.NaN })).toThrow(/threshold must be a number/);
    expect(() => new OnlineClusterer({ adoptMax: -1 })).toThrow(/adoptMax/);
    expect(() => new OnlineClusterer({ adoptMax: 3, splitMinPart: 3 })).toThrow(/adoptMax \(3\) must be below splitMinPart/);
  });

  it('prunes a centroid to the same features as sorting would (strongest first, ties to the smaller id)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(500), fc.integer({ min: 0, max: 6 })), { maxLength: 300 }), fc.nat(320), (entries, keep) => {
        const v = new Map<number, number>();
        // few distinct weights, so that ties at the cut are common
        for (const [id, x] of entries) v.set(id, x / 4);
        const expected = [...v.entries()]
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, keep)
          .map((e) => e[0])
          .sort((a, b) => a - b);
        prune(v, keep);
        expect([...v.keys()].sort((a, b) => a - b)).toEqual(expected);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  const seedA = buildArticle(readText(readFileSync(SEED_A, 'utf8'), { source: 'a', fetchedAt: 'x' }));
  const seedB = buildArticle(readText(readFileSync(SEED_B, 'utf8'), { source: 'b', fetchedAt: 'x' }));
  const ecb = ecbLines.slice(0, 40).map((l) => {
    const r = JSON.parse(l) as { id: string; text: string };
    return { id: r.id, text: r.text };
  });

  it('puts the seed pair in one story and keeps an unrelated ECB+ article out', () => {
    const out = clusterStream([inputOf(seedA), ...ecb.slice(0, 5), inputOf(seedB)]);
    const story = (id: string) => out.find((o) => o.id === id)!.story;
    expect(story(seedA.id)).toBe(story(seedB.id));
    for (const e of ecb.slice(0, 5)) expect(story(e.id)).not.toBe(story(seedA.id));
  });

  it('is a deterministic partition for a given order (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(ecb, { minLength: 5, maxLength: 25 }), (items) => {
        const a = clusterStream(items);
        const b = clusterStream(items);
        expect(a).toEqual(b);
        expect(a.map((x) => x.id)).toEqual(items.map((x) => x.id));
        // labels are story ids: every article in exactly one story, each story named after its first article
        for (const x of a) expect(x.story).toMatch(/^s[0-9a-f]{16}$/);
      }),
      { numRuns: 20, seed: 7 },
    );
  });

  it('survives saves and loads of its state mid-stream: the same partition as one uninterrupted run, splits and late joins included', () => {
    // topics 7 and 9 split; topic 23 is joined late (its first reports start stories of their own)
    const stream = ecbLines.filter((l) => /"topic": (7|9|23),/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string });
    let c = new OnlineClusterer();
    const tracker = new StoryTracker();
    let splits = 0;
    let merges = 0;
    stream.forEach((e, i) => {
      const a = c.add(e);
      tracker.add(a);
      splits += a.splits.length;
      merges += a.merged.length;
      if (i % 7 === 6) c = OnlineClusterer.fromState(JSON.parse(JSON.stringify(c.toState())));
    });
    expect(splits).toBeGreaterThan(0);
    expect(merges).toBeGreaterThan(0);
    // the same stories, by the same ids, as without saving and reloading
    expect(tracker.result()).toEqual(clusterStream(stream));
  });

  it('saves and reloads to the same state, the features stories are looked up by included', () => {
    const stream = ecbLines.filter((l) => /"topic": (1|7|9|23),/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string });
    const c = new OnlineClusterer();
    stream.forEach((e, i) => {
      c.add(e);
      if (i % 5 === 4) {
        const saved = JSON.parse(JSON.stringify(c.toState())) as ClusterState;
        expect(OnlineClusterer.fromState(saved).toState()).toEqual(saved);
      }
    });
  });

  it('keeps only the live stories and the recent vocabulary: the saved state follows the active set, and reloads exactly', () => {
    // the ECB+ stream four times over, each round's names made new (as new events bring new
    // names); stories retire after 300 quiet arrivals, unused terms are forgotten after 400
    const rows = ecbLines.map((l) => JSON.parse(l) as { id: string; text: string });
    const round = (r: number) => rows.map((e) => ({ id: `${e.id}#${r}`, text: `Qarvin${r} ${e.text.replace(/\b([A-Z][a-z]{3,})\b/g, `$1x${r}`)}` }));
    const params = { activeArrivals: 300, forgetArrivals: 400 };
    const c = new OnlineClusterer(params);
    const keepAll = new OnlineClusterer({ ...params, forgetArrivals: 0 });
    const sizes: number[] = [];
    let resumed = new OnlineClusterer(params);
    const tracker = new StoryTracker();
    let arrivals = 0;
    for (let r = 0; r < 4; r++) {
      for (const e of round(r)) {
        c.add(e);
        keepAll.add(e);
        tracker.add(resumed.add(e));
        if (++arrivals % 250 === 0) {
          const saved = JSON.parse(JSON.stringify(resumed.toState())) as ClusterState;
          expect(OnlineClusterer.fromState(saved).toState()).toEqual(saved);
          resumed = OnlineClusterer.fromState(saved);
        }
      }
      sizes.push(JSON.stringify(c.toState()).length);
    }
    const state = c.toState();
    expect(state.stories.map((s) => s.id)).toEqual(c.liveStories());
    expect(state.stories.length).toBeLessThan(60);
    expect(new Set(tracker.result().map((x) => x.story)).size).toBeGreaterThan(200);
    // forgotten ids are reused, and the vocabulary stops growing with the stream
    const held = (s: ClusterState) => s.vocab.filter((t) => t !== null).length;
    expect(held(state)).toBeLessThan(0.6 * held(keepAll.toState()));
    expect(sizes[3]!).toBeLessThan(1.25 * sizes[1]!);
    // saving and reloading along the way (retirements and forgetting included) changed nothing
    expect(tracker.result()).toEqual(clusterStream([0, 1, 2, 3].flatMap(round), params));
  });

  it('split repair separates two events of one kind that one story absorbed', () => {
    // ECB+ topic files list all articles of one event before the other: the first article
    // of the second event joins the first story, and without repair its successors follow
    const rows = ecbLines.filter((l) => /"topic": (2|7|11|24),/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string; story: string });
    const gold = rows.map((r) => r.story);
    const score = (params: object) =>
      scoreClustering(
        gold,
        clusterStream(rows, params).map((x) => String(x.story)),
      ).bcubed;
    const without = score({ splitThreshold: 0, mergeThreshold: 0.35 });
    const withSplits = score({});
    expect(without.precision).toBeLessThan(0.6);
    expect(withSplits.precision).toBeGreaterThan(0.9);
    expect(withSplits.f1).toBeGreaterThan(without.f1 + 0.1);
  });

  it('reassigns an article that joined a story of the same kind to its own story once that exists (reassignment)', () => {
    // ECB+ topic 24 in file order: two reports of the 2008 Paris heist (robbers dressed as
    // women) arrive after the 2013 heist's story has formed and join it; the next reports
    // of 2013 reach both stories, and the two 2008 reports are closer to the 2008 story
    const rows = ecbLines.filter((l) => /"topic": 24,/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string; story: string });
    const gold = new Map(rows.map((r) => [r.id, r.story]));
    const c = new OnlineClusterer();
    const tracker = new StoryTracker();
    const moved: string[] = [];
    for (const r of rows) {
      const a = c.add(r);
      tracker.add(a);
      for (const mv of a.moves) {
        moved.push(...mv.ids);
        // a move goes between two existing stories, each keeping a member
        expect(mv.story).not.toBe(mv.from);
        expect(c.liveStories()).toEqual(expect.arrayContaining([mv.story, mv.from]));
      }
    }
    expect(moved.length).toBeGreaterThan(0);
    const final = tracker.result().map((x) => x.story);
    expect(final).toEqual(clusterStream(rows).map((x) => x.story));
    // every moved article now shares its story with articles of its own event only
    for (const id of moved) {
      const mine = final[rows.findIndex((r) => r.id === id)];
      const mates = rows.filter((_, i) => final[i] === mine).map((r) => gold.get(r.id));
      expect(new Set(mates)).toEqual(new Set([gold.get(id)]));
    }
    const score = (params: object) =>
      scoreClustering(
        rows.map((r) => r.story),
        clusterStream(rows, params).map((x) => String(x.story)),
      ).bcubed;
    const without = score({ moveMargin: -1 });
    const withMoves = score({});
    expect(withMoves.precision).toBeGreaterThan(without.precision + 0.05);
    expect(withMoves.f1).toBeGreaterThan(without.f1 + 0.05);
  });

  it('reassigns consistently along a shuffled stream: no article moves twice in one arrival, labels follow the members, saved and reloaded state decides alike', () => {
    // the whole ECB+ file in a seeded order with many reassignments (found in review: a move
    // left rounding crumbs of the moved article in its old story, which made a channel of
    // ~1e-7 count as real, moved articles back in the same arrival, and vanished on reload)
    const rows = ecbLines.map((l) => JSON.parse(l) as { id: string; text: string });
    let seed = 15;
    for (let i = rows.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const j = Math.floor((seed / 2 ** 32) * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    let c = new OnlineClusterer();
    const label = new Map(rows.map((r) => [r.id, r.text.split('\n', 1)[0]!.slice(0, 140)]));
    const tracker = new StoryTracker();
    let moves = 0;
    rows.forEach((r, i) => {
      const a = c.add(r);
      tracker.add(a);
      const movedNow = a.moves.flatMap((mv) => mv.ids);
      expect(new Set(movedNow).size).toBe(movedNow.length);
      moves += a.moves.length;
      if (i % 7 === 6) c = OnlineClusterer.fromState(JSON.parse(JSON.stringify(c.toState())));
    });
    expect(moves).toBeGreaterThan(3);
    const final = tracker.result().map((x) => x.story);
    expect(final).toEqual(clusterStream(rows).map((x) => x.story));
    // a live story is named after one of its own articles
    for (const id of c.liveStories()) {
      const own = rows.filter((_, i) => final[i] === id).map((r) => label.get(r.id));
      if (own.length > 0) expect(own).toContain(c.labelOf(id));
    }
  });

  it('keeps articles without names or numbers together: a missing channel counts against neither merge nor split', () => {
    const core = 'the river flooded the old town overnight and rescue crews evacuated residents from flooded homes near the bridge';
    const tails = [
      'volunteers filled sandbags along the embankment',
      'volunteers stacked sandbags by the embankment wall',
      'sandbags and volunteers held the embankment',
      'more volunteers brought sandbags to the embankment',
      'power lines came down and outages spread',
      'outages spread after power lines fell',
      'power outages hit thousands as lines fell',
      'crews restored power lines after outages',
    ];
    const out = clusterStream(tails.map((t, i) => ({ id: `a${i}`, text: `${core}. ${t}.` })));
    expect(new Set(out.map((x) => x.story)).size).toBe(1);
  });

  it('lets a short report join through the story member it is close to (nearest-member similarity)', () => {
    // ECB+ topic 23, the climber's event, is told in one-sentence articles: each is far from
    // the story's centroid, but close to one or two earlier reports
    const rows = ecbLines.filter((l) => /"topic": 23,/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string; story: string });
    const gold = rows.map((r) => r.story);
    // late joining and reassignment off, so that nearest-member matching is measured alone
    const score = (memberWeight: number) =>
      scoreClustering(
        gold,
        clusterStream(rows, { memberWeight, adoptThreshold: 0, moveMargin: -1 }).map((x) => String(x.story)),
      ).bcubed;
    const centroidOnly = score(0);
    const withMembers = score(1);
    expect(withMembers.recall).toBeGreaterThan(centroidOnly.recall);
    expect(withMembers.precision).toBe(1);
  });

  it('lets a grown story absorb the small stories its first reports started (late joining)', () => {
    // ECB+ topic 23 again: its first reports start stories of their own before the main
    // story exists; once it has grown, they reach it
    const rows = ecbLines.filter((l) => /"topic": 23,/.test(l)).map((l) => JSON.parse(l) as { id: string; text: string; story: string });
    const gold = rows.map((r) => r.story);
    const without = scoreClustering(
      gold,
      clusterStream(rows, { adoptThreshold: 0 }).map((x) => String(x.story)),
    ).bcubed;
    const c = new OnlineClusterer();
    const absorbed: string[] = [];
    const tracker = new StoryTracker();
    for (const r of rows) {
      const a = c.add(r);
      absorbed.push(...a.merged);
      tracker.add(a);
    }
    const withAdoption = scoreClustering(
      gold,
      tracker.result().map((x) => x.story),
    ).bcubed;
    expect(absorbed.length).toBeGreaterThan(0);
    // every absorbed story now resolves to a bigger one, and the clusterer no longer holds it
    for (const s of absorbed) {
      expect(tracker.resolve(s as StoryId)).not.toBe(s);
      expect(c.liveStories()).not.toContain(s);
    }
    expect(withAdoption.recall).toBeGreaterThan(without.recall + 0.05);
    expect(withAdoption.precision).toBe(1);
  });

  it('reads a format-2 state (split parameters of the old meaning) with the current split parameters', () => {
    const c = new OnlineClusterer();
    c.add({ id: 'a', text: 'The river flooded the old town overnight.' });
    // a format-2 state lists every story at its index, with mergedInto and active
    const now = c.toState();
    // (its story ids were saved beside it, by index)
    const old = { ...now, version: 2, params: { ...c.params, splitThreshold: 0.45 }, stories: now.stories.map(({ index: _, id: _id, ...st }) => ({ ...st, mergedInto: -1, active: true })) };
    const resumed = OnlineClusterer.fromState(JSON.parse(JSON.stringify(old)), new Map([[0, now.stories[0]!.id]]));
    expect(resumed.params.splitThreshold).toBe(DEFAULT_CLUSTER_PARAMS.splitThreshold);
    expect(resumed.add({ id: 'b', text: 'The river flooded the old town overnight, crews said.' }).story).toBe(storyIdOf({ kind: 'started', article: 'a' }));
  });

  it('refuses a saved state of another format version', () => {
    const s = { ...new OnlineClusterer().toState(), version: 99 };
    expect(() => OnlineClusterer.fromState(s)).toThrow(/format 99/);
  });
});

describe('parallax cluster and eval cluster', () => {
  it('ignores gold fields: changing story/topic labels changes nothing', async () => {
    const lines = ecbLines.slice(0, 60);
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, lines.join('\n'));
    writeFileSync(b, lines.map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), story: `shuffled-${i % 3}`, topic: 999, sentences: [] })).join('\n'));
    const ra = await runCli(['cluster', a]);
    const rb = await runCli(['cluster', b]);
    expect(ra.code).toBe(0);
    expect(ra.out).toBe(rb.out);
    expect(ra.out.trim().split('\n')).toHaveLength(60);
    expect(JSON.parse(ra.out.split('\n')[0]!)).toEqual({ id: '1_1ecb', inputId: '1_1ecb', articleId: expect.stringMatching(/^a[0-9a-f]{16}$/), story: expect.stringMatching(/^s[0-9a-f]{16}$/) });
  });

  it('takes clustering parameters on the command line, and names a bad one before reading anything', async () => {
    const input = join(dir, 'params.jsonl');
    writeFileSync(input, `${ecbLines.filter((l) => /"topic": (1|2),/.test(l)).join('\n')}\n`);
    const count = (out: string) =>
      new Set(
        out
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { story: string }).story),
      ).size;
    const base = await runCli(['cluster', input]);
    const strict = await runCli(['cluster', input, '--param', 'threshold=0.9', '--param', 'splitThreshold=0']);
    expect(strict.code).toBe(0);
    // a join threshold of 0.9 leaves nearly every article alone
    expect(count(strict.out)).toBeGreaterThan(count(base.out) * 3);
    const explicit = await runCli(['cluster', input, '--param', `threshold=${DEFAULT_CLUSTER_PARAMS.threshold}`]);
    expect(explicit.out).toBe(base.out);
    for (const [arg, says] of [
      ['bogus=1', /--param bogus=1: expected name=value, the name one of wWords, /],
      ['threshold=high', /threshold must be a number/],
      ['threshold', /expected name=value/],
      ['wWords=0.9', /channel weights must sum to 1/],
      ['centroidSize=2.5', /centroidSize must be a whole number/],
    ] as const) {
      const r = await runCli(['cluster', join(dir, 'no-such-file.jsonl'), '--param', arg]);
      expect(r.code, arg).not.toBe(0);
      expect(r.err).toMatch(says);
      expect(r.out).toBe('');
    }
  });

  it('scores a prediction file against the gold file', async () => {
    const pred = join(dir, 'pred.jsonl');
    const r = await runCli(['cluster', ECBPLUS]);
    writeFileSync(pred, r.out);
    const e = await runCli(['eval', 'cluster', '--gold', ECBPLUS, '--pred', pred, '--json']);
    expect(e.code).toBe(0);
    const s = JSON.parse(e.out) as { items: number; goldClusters: number; bcubed: { f1: number } };
    expect(s.items).toBe(772);
    expect(s.goldClusters).toBe(66);
    // regression floor, measured 0.843 on 2026-11-25 (see docs/benchmarks.md)
    expect(s.bcubed.f1).toBeGreaterThan(0.82);
    const text = await runCli(['eval', 'cluster', '--gold', ECBPLUS, '--pred', pred]);
    expect(text.out).toMatch(/^B-cubed +P 0\.\d{4} +R 0\.\d{4} +F1 0\.\d{4}$/m);
  });

  it('names ids missing on either side', async () => {
    const pred = join(dir, 'short.jsonl');
    writeFileSync(pred, '{"id": "1_1ecb", "story": "x"}\n');
    const e = await runCli(['eval', 'cluster', '--gold', ECBPLUS, '--pred', pred]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/id "1_2ecb" in .* has no prediction in .*short\.jsonl/);
  });
});

describe('stories in the store', () => {
  it('ingest assigns stories; stories lists and shows them', async () => {
    const db = join(dir, 'stories.db');
    const input = join(dir, 'two-topics.jsonl');
    writeFileSync(input, ecbLines.filter((l) => /"topic": (1|20),/.test(l)).join('\n'));
    expect((await runCli(['ingest', SEED_A, SEED_B, input, '--db', db])).code).toBe(0);
    const list = await runCli(['stories', '--db', db, '--json', '--sort', 'largest', '--limit', '100']);
    const stories = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; size: number; label: string; outlets: string[] });
    const total = stories.reduce((a, s) => a + s.size, 0);
    expect(total).toBeGreaterThan(40);
    const seed = stories.find((s) => s.outlets.includes('Gulf Times'))!;
    expect(seed.size).toBe(2);
    const show = await runCli(['stories', seed.id, '--db', db, '--json']);
    const detail = JSON.parse(show.out) as { articles: { source: string }[] };
    expect(detail.articles.map((a) => a.source.split('/').pop()).sort()).toEqual(['000_45cd25e784dd85d6.txt', '004_1a5de46adba00c4e.txt']);
    expect((await runCli(['stories', 's0000000000000000', '--db', db])).code).toBe(1);
  });

  it.each([
    [1, 'before split repair: no members'],
    [2, 'split parameters of the earlier meaning'],
  ])('reads a store whose clustering state is format %i (%s) and goes on clustering', async (version) => {
    const db = join(dir, `format${version}.db`);
    const first = join(dir, `format${version}-a.jsonl`);
    const second = join(dir, `format${version}-b.jsonl`);
    const lines = ecbLines.filter((l) => /"topic": 3,/.test(l));
    writeFileSync(first, lines.slice(0, 10).join('\n'));
    writeFileSync(second, lines.slice(10).join('\n'));
    expect((await runCli(['ingest', first, '--db', db])).code).toBe(0);
    // rewrite the saved state as an earlier release wrote it
    const sql = new Database(db);
    const row = sql.prepare("SELECT data FROM stage_state WHERE key = 'cluster'").get() as { data: Buffer };
    type Saved = { index?: number; id?: string; members?: unknown; mergedInto?: number; active?: boolean };
    const state = JSON.parse(row.data.toString('utf8')) as {
      clusterer: { version: number; params: Record<string, number>; stories: Saved[]; created?: number; seen?: number[] };
      storyIds?: unknown[];
    };
    // before format 4: every story at its index (retired and merged ones too, with empty
    // centroids), mergedInto and active on each, and the id of every story by index
    const cl = state.clusterer;
    const all: Saved[] = Array.from({ length: cl.created! }, () => ({
      mergedInto: -1,
      size: 0,
      label: '',
      centroid: [
        [[], []],
        [[], []],
        [[], []],
      ],
      firstDay: null,
      lastDay: null,
      lastArrival: 0,
      active: false,
      members: null,
    }));
    // (the stories gone since are listed as merged into nothing: retired, which is what the
    // old releases made of them too)
    const ids: string[] = all.map((_, i) => `s${String(i).padStart(16, '0')}`);
    for (const { index, id, ...st } of cl.stories) {
      all[index!] = { ...st, mergedInto: -1, active: true };
      ids[index!] = id!;
    }
    cl.stories = all;
    state.storyIds = ids;
    delete cl.created;
    delete cl.seen;
    cl.version = version;
    if (version === 1) for (const st of cl.stories) delete st.members;
    delete cl.params['memberWeight'];
    delete cl.params['forgetArrivals'];
    cl.params['splitThreshold'] = 0.45;
    sql.prepare("UPDATE stage_state SET format_version = ?, data = ? WHERE key = 'cluster'").run(version, Buffer.from(JSON.stringify(state)));
    sql.close();
    const r = await runCli(['ingest', second, '--db', db]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const list = await runCli(['stories', '--db', db, '--json', '--limit', '1000']);
    const stories = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { size: number });
    expect(stories.reduce((a, s) => a + s.size, 0)).toBe(lines.length);
    // the stories read from the old state go on growing: the second file's articles join them
    // as in one uninterrupted run (format 2 holds members, so that run is matched exactly)
    const whole = join(dir, `format${version}-whole.db`);
    expect((await runCli(['ingest', first, '--db', whole])).code).toBe(0);
    expect((await runCli(['ingest', second, '--db', whole])).code).toBe(0);
    const sizes = (out: string): number[] =>
      out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { size: number }).size)
        .sort((x, y) => y - x);
    const uninterrupted = sizes((await runCli(['stories', '--db', whole, '--json', '--limit', '1000'])).out);
    if (version === 2) expect(sizes(list.out)).toEqual(uninterrupted);
    else expect(sizes(list.out)[0]).toBeGreaterThan(10);
    // saved back in the current format, with the current split parameters
    const after = new Database(db, { readonly: true });
    const saved = after.prepare("SELECT format_version AS v, data FROM stage_state WHERE key = 'cluster'").get() as { v: number; data: Buffer };
    after.close();
    expect(saved.v).toBe(STATE_FORMAT);
    const resaved = JSON.parse(saved.data.toString('utf8')) as { clusterer: { version: number; params: { splitThreshold: number } } };
    expect(resaved.clusterer.version).toBe(CLUSTER_FORMAT_VERSION);
    expect(resaved.clusterer.params.splitThreshold).toBe(DEFAULT_CLUSTER_PARAMS.splitThreshold);
  });

  it('saves its state now and then, and after a crash replays what was stored since, to the same stories as one uninterrupted run', async () => {
    const lines = ecbLines
      .filter((l) => /"topic": (1|2|3|4|5|6|7|8|9|10),/.test(l))
      .map((l) => {
        const { topic: _t, story: _s, ...rest } = JSON.parse(l) as Record<string, unknown>;
        // known by URL, so that the same URL with another text is a new version
        return JSON.stringify({ ...rest, url: `https://news.example/${String(rest.id)}` });
      });
    const cut = Math.floor(lines.length / 2);
    const first = join(dir, 'replay-1.jsonl');
    const updates = join(dir, 'replay-u.jsonl');
    const second = join(dir, 'replay-2.jsonl');
    writeFileSync(first, `${lines.slice(0, cut).join('\n')}\n`);
    // new versions of five articles stored after the last saved state, with another topic's
    // text added (a version keeps some of its text; one sharing none would be another article):
    // they keep their stories, and the replay meets them as first stored
    const other = JSON.parse(lines.at(-1)!) as { text: string };
    writeFileSync(
      updates,
      `${[cut - 5, cut - 10, cut - 15, cut - 20, cut - 25]
        .map((i) => {
          const r = JSON.parse(lines[i]!) as { text: string };
          return JSON.stringify({ ...r, text: `${r.text}\n${other.text}` });
        })
        .join('\n')}\n`,
    );
    writeFileSync(second, `${lines.slice(cut).join('\n')}\n`);
    const memberships = (db: string): string[] => {
      const d = new Database(db, { readonly: true });
      const rows = d.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all() as { article_id: string; story_id: string }[];
      const stories = d.prepare('SELECT id, size FROM stories ORDER BY id').all();
      d.close();
      return [...rows.map((r) => `${r.article_id}>${r.story_id}`), JSON.stringify(stories)];
    };
    const savedState = (db: string): { through: string | null; count: number } => {
      const d = new Database(db, { readonly: true });
      const row = d.prepare("SELECT data FROM stage_state WHERE key = 'cluster'").get() as { data: Buffer };
      const through = (JSON.parse(row.data.toString('utf8')) as { through: string | null }).through;
      const count = (d.prepare('SELECT count(*) AS n FROM articles WHERE seq > (SELECT seq FROM articles WHERE id = ?)').get(through) as { n: number }).n;
      d.close();
      return { through, count };
    };
    // uninterrupted, the state saved with every batch (as before snapshots)
    const whole = join(dir, 'replay-whole.db');
    for (const f of [first, updates, second]) {
      const engine = new Engine({ store: SqliteStore.open({ path: whole }), stages: [new ClusterStage({ snapshotEvery: 1 })], batchSize: 25 });
      expect((await engine.ingest([f])).failed).toEqual([]);
      await engine.close();
    }
    // saved every 60 articles, and the first run "crashes": its store is closed without the
    // engine, so what came after the last saved state exists only as stored memberships
    const crashed = join(dir, 'replay-crashed.db');
    const store = SqliteStore.open({ path: crashed });
    const engine = new Engine({ store, stages: [new ClusterStage({ snapshotEvery: 60 })], batchSize: 25 });
    expect((await engine.ingest([first])).failed).toEqual([]);
    const behind = savedState(crashed);
    expect(behind.count).toBeGreaterThan(5);
    expect(behind.count).toBeLessThan(60 + 25);
    // the updates do not save the state: the articles they change come after it, and stay to
    // be replayed as they were first stored
    expect((await engine.ingest([updates])).updated).toBe(5);
    expect(savedState(crashed).count).toBe(behind.count);
    await store.close();
    const resumed = new Engine({ store: SqliteStore.open({ path: crashed }), stages: [new ClusterStage({ snapshotEvery: 60 })], batchSize: 25 });
    expect((await resumed.ingest([second])).failed).toEqual([]);
    await resumed.close();
    // closing saved a state that holds every article
    expect(savedState(crashed).count).toBe(0);
    expect(memberships(crashed)).toEqual(memberships(whole));
  });

  it('replays once for concurrent requests after a crash, and goes on from a state saved by an older Parallax', async () => {
    const lines = ecbLines.filter((l) => /"topic": (11|12|13|14|15),/.test(l));
    const q = Math.floor(lines.length / 4);
    const parts = [0, 1, 2, 3].map((k) => {
      const f = join(dir, `concurrent-${k}.jsonl`);
      writeFileSync(f, `${lines.slice(k * q, k === 3 ? lines.length : (k + 1) * q).join('\n')}\n`);
      return f;
    });
    const held = (db: string): { docs: number; articles: number; format: number } => {
      const d = new Database(db, { readonly: true });
      const row = d.prepare("SELECT format_version AS v, data FROM stage_state WHERE key = 'cluster'").get() as { v: number; data: Buffer };
      const articles = (d.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
      d.close();
      return { docs: (JSON.parse(row.data.toString('utf8')) as { clusterer: { docs: number } }).clusterer.docs, articles, format: row.v };
    };
    const stage = () => new ClusterStage({ snapshotEvery: 1_000_000 });
    const db = join(dir, 'concurrent.db');
    // an older Parallax saved its state with every batch, in format 4, without `through`
    const old = new Engine({ store: SqliteStore.open({ path: db }), stages: [new ClusterStage({ snapshotEvery: 1 })], batchSize: 20 });
    expect((await old.ingest([parts[0]!])).failed).toEqual([]);
    await old.close();
    const raw = new Database(db);
    const saved = raw.prepare("SELECT data FROM stage_state WHERE key = 'cluster'").get() as { data: Buffer };
    raw.prepare("UPDATE stage_state SET format_version = 4, data = ? WHERE key = 'cluster'").run(asPreviousRelease(saved.data, 4));
    raw.close();
    // this Parallax goes on from it and crashes: its first batch saved a state it can replay from
    const store = SqliteStore.open({ path: db });
    const upgraded = new Engine({ store, stages: [stage()], batchSize: 20 });
    expect((await upgraded.ingest([parts[1]!])).failed).toEqual([]);
    await store.close();
    expect(held(db).format).toBe(STATE_FORMAT);
    expect(held(db).docs).toBeLessThan(held(db).articles);
    // a pipeline without the cluster stage stores more than a replay page (1,000) of others:
    // they are not clustered, and the replay passes over them
    const extra = join(dir, 'concurrent-extra.jsonl');
    writeFileSync(
      extra,
      `${Array.from({ length: 1005 }, (_, i) => JSON.stringify({ id: `note${i}`, text: `Notice ${i}: the reading room closes early on day ${i} of the inventory.` })).join('\n')}\n`,
    );
    const plain = new Engine({ store: SqliteStore.open({ path: db }), stages: [], batchSize: 500 });
    const unclustered = (await plain.ingest([extra])).new;
    expect(unclustered).toBe(1005);
    await plain.close();
    // restarted, two requests at once: the replay is done once, and every article held once
    const server = new Engine({ store: SqliteStore.open({ path: db }), stages: [stage()], batchSize: 20 });
    const reports = await Promise.all([server.ingest([parts[2]!]), server.ingest([parts[3]!])]);
    expect(reports.map((r) => r.failed)).toEqual([[], []]);
    await server.close();
    const end = held(db);
    expect(end.articles - unclustered).toBeGreaterThan(lines.length * 0.95);
    expect(end.docs).toBe(end.articles - unclustered);
  });

  it('gives two writers sharing one store the stories one writer would make: each catches up on what the other committed', async () => {
    // known by URL, so that the same URL with another text is a new version
    const lines = ecbLines.filter((l) => /"topic": (1|2|3|4|5|6),/.test(l)).map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), url: `https://news.example.org/w/${i}` }));
    const write = (name: string, ls: string[]): string => {
      const f = join(dir, `writers-${name}.jsonl`);
      writeFileSync(f, `${ls.join('\n')}\n`);
      return f;
    };
    const groups = [0, 1, 2, 3, 4, 5].map((k) => lines.filter((_, i) => i % 6 === k));
    // after its second part, the second writer stores new versions of five of its articles
    // with another topic's texts: the first writer, catching up, must fold them in as they
    // were first stored (as they were clustered), not as they are now
    const other = ecbLines.filter((l) => /"topic": 7,/.test(l)).map((l) => (JSON.parse(l) as { text: string }).text);
    const updates = groups[1]!.slice(0, 5).map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), text: other[i]! }));
    const parts = [write('0', groups[0]!), write('1', groups[1]!), write('1u', updates), ...groups.slice(2).map((g, k) => write(String(k + 2), g))];
    // the first writer takes parts 0, 2 (after the updates), 4; the second 1, the updates, 3, 5
    const turns = [0, 1, 1, 0, 1, 0, 1];
    const stored = (db: string): string[] => {
      const d = new Database(db, { readonly: true });
      const rows = d.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all() as { article_id: string; story_id: string }[];
      const stories = d.prepare('SELECT id, size FROM stories ORDER BY id').all();
      const links = d.prepare('SELECT a, b, class FROM reuse_links ORDER BY a, b').all();
      d.close();
      return [...rows.map((r) => `${r.article_id}>${r.story_id}`), JSON.stringify(stories), JSON.stringify(links)];
    };
    const engineOn = (db: string) => openEngine(SqliteStore.open({ path: db }), { batchSize: 15 });
    // one writer, the parts in order
    const single = join(dir, 'writers-single.db');
    const one = engineOn(single);
    for (const f of parts) expect((await one.ingest([f])).failed).toEqual([]);
    await one.close();
    // two writers (two connections, as two processes would have) taking turns: each must fold in
    // what the other stored since its own last commit before clustering its next batch
    const shared = join(dir, 'writers-shared.db');
    const a = engineOn(shared);
    const b = engineOn(shared);
    for (let k = 0; k < parts.length; k++) expect((await (turns[k] === 0 ? a : b).ingest([parts[k]!])).failed).toEqual([]);
    await a.close();
    await b.close();
    const got = stored(shared);
    expect(got.length).toBeGreaterThan(lines.length);
    expect(got).toEqual(stored(single));
  });

  it('drops what the stages hold of a batch whose COMMIT fails (a full disk), so a retry clusters it once', async () => {
    const lines = ecbLines.filter((l) => /"topic": (1|2|3),/.test(l));
    const parts = [0, 1, 2].map((k) => {
      const f = join(dir, `commit-fail-${k}.jsonl`);
      writeFileSync(f, `${lines.filter((_, i) => i % 3 === k).join('\n')}\n`);
      return f;
    });
    const members = (db: string): string[] => {
      const d = new Database(db, { readonly: true });
      const rows = d.prepare('SELECT article_id, story_id FROM story_members ORDER BY article_id').all() as { article_id: string; story_id: string }[];
      d.close();
      return rows.map((r) => `${r.article_id}>${r.story_id}`);
    };
    const single = join(dir, 'commit-fail-single.db');
    const one = openEngine(SqliteStore.open({ path: single }), { batchSize: 1000 });
    for (const f of parts) await one.ingest([f]);
    await one.close();
    const db = join(dir, 'commit-fail.db');
    const store = SqliteStore.open({ path: db });
    const engine = openEngine(store, { batchSize: 1000 });
    await engine.ingest([parts[0]!]);
    // the next COMMIT fails as SQLite reports a full disk (after rolling back)
    const raw = (store as unknown as { db: Database.Database }).db;
    const exec = raw.exec.bind(raw);
    let fail = true;
    raw.exec = (sql: string) => {
      if (sql === 'COMMIT' && fail) {
        fail = false;
        exec('ROLLBACK');
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      return exec(sql);
    };
    await expect(engine.ingest([parts[1]!])).rejects.toMatchObject({ code: 'DB_FAILED' });
    expect((await engine.ingest([parts[1]!])).new).toBe(lines.filter((_, i) => i % 3 === 1).length);
    await engine.ingest([parts[2]!]);
    await engine.close();
    expect(members(db)).toEqual(members(single));
  });

  it('announces stories once their batch is committed: a listener that throws stops neither the ingest nor the other listeners', async () => {
    const f = join(dir, 'listener.jsonl');
    writeFileSync(f, `${ecbLines.slice(0, 60).join('\n')}\n`);
    const store = SqliteStore.open({ path: join(dir, 'listener.db') });
    const engine = openEngine(store, { batchSize: 20 });
    let heard = 0;
    let created = 0;
    let added = 0;
    engine.events.on('story.created', () => {
      heard++;
      if (heard === 1) throw new Error('listener bug');
    });
    engine.events.on('story.created', () => void created++);
    engine.events.on('article.added', () => void added++);
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on('warning', onWarning);
    const report = await engine.ingest([f]);
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(report.new).toBe(60);
    expect(await store.countArticles()).toBe(60);
    expect(added).toBe(60);
    expect(created).toBe(heard);
    expect(created).toBeGreaterThan(1);
    expect(warnings.map((w) => w.message)).toEqual(['a listener of story.created threw: listener bug']);
    await engine.close();
  });

  it('keeps the stories in the store equal to the partition of the clusterer when splits and reassignments move stored articles, batch after batch', async () => {
    const db = join(dir, 'splits.db');
    // topics 7 and 9 split; in topic 24 two articles are reassigned to another story
    const lines = ecbLines.filter((l) => /"topic": (7|9|24),/.test(l));
    const input = join(dir, 'splits.jsonl');
    writeFileSync(input, lines.join('\n'));
    // small batches: splits move articles stored by earlier transactions
    expect((await runCli(['ingest', input, '--db', db, '--batch-size', '5'])).code).toBe(0);
    const list = await runCli(['stories', '--db', db, '--json', '--limit', '1000']);
    const stories = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; size: number });
    const stored = new Map<string, string>();
    for (const s of stories) {
      const detail = JSON.parse((await runCli(['stories', s.id, '--db', db, '--json'])).out) as { articles: { id: string }[] };
      // the size kept at write time agrees with the members
      expect(detail.articles).toHaveLength(s.size);
      for (const a of detail.articles) stored.set(a.id, s.id);
    }
    const articles = lines.map((l, i) => buildArticle(parseJsonlLine(l, i + 1, input, '2026-11-25T00:00:00Z')!));
    expect(stored.size).toBe(articles.length);
    const c = new OnlineClusterer();
    let splits = 0;
    let moves = 0;
    for (const a of articles) {
      const assigned = c.add(inputOf(a));
      splits += assigned.splits.length;
      moves += assigned.moves.length;
    }
    expect(splits).toBeGreaterThan(0);
    expect(moves).toBeGreaterThan(0);
    const expected = clusterStream(articles.map(inputOf)).map((x) => String(x.story));
    const agreement = scoreClustering(
      expected,
      articles.map((a) => stored.get(a.id)!),
    );
    expect(agreement.bcubed.f1).toBe(1);
    expect(new Set(expected).size).toBeGreaterThan(2);
  });
});

describe('text in a script written without spaces', () => {
  // the fixture's report and a rewrite of it in other words, against a market report: before the
  // tokeniser cut Chinese into words, each clause was one token and no two reports shared any
  const quake = readFileSync(new URL('./fixtures/zh-quake.txt', import.meta.url), 'utf8');
  const rewrite =
    '雅安芦山县强烈地震 死亡人数升至156人\n据中国地震台网测定，四川雅安芦山县20日上午发生7.0级强烈地震。\n截至当天傍晚，地震共造成156人遇难，五千多人受伤。\n消防官兵和搜救犬已进入龙门乡等重灾区搜寻被困群众，部分道路因山体滑坡中断。';
  const market =
    '上海股市周一收高 银行股领涨\n上海证券交易所综合指数周一上涨百分之一点二，收于2250点。\n银行股和保险股表现强劲，投资者对经济前景感到乐观。\n分析人士预计，央行可能在下月进一步放宽货币政策。';
  const input = (id: string, text: string) => ({ ...inputOf(buildArticle(parseJsonlLine(JSON.stringify({ id, text }), 1, 'zh', '2026-11-26T00:00:00Z')!)), id });
  const ecb = ecbLines.slice(0, 3).map((l) => JSON.parse(l) as { id: string; text: string });

  it('puts two Chinese reports of one earthquake in one story, and a market report and English articles apart', () => {
    const out = clusterStream([...ecb, input('quake', quake), input('market', market), input('rewrite', rewrite)]);
    const story = (id: string) => out.find((o) => o.id === id)!.story;
    expect(story('rewrite')).toBe(story('quake'));
    expect(story('market')).not.toBe(story('quake'));
    for (const e of ecb) expect(story(e.id)).not.toBe(story('quake'));
  });

  it('does not join unrelated Japanese or Thai reports through their grammar words', () => {
    // hiragana endings (ます, した) and Thai function words (ที่, และ) are in every report of
    // those languages; before they were stop words, all four Japanese reports made one story
    const ja = [
      [
        'quake1',
        '能登半島で震度6強の地震\n石川県能登地方で震度6強の地震が発生しました。気象庁によりますと、震源の深さは10キロ、地震の規模はマグニチュード6.5です。輪島市では住宅が倒壊し、3人がけがをしました。',
      ],
      ['yen', '円相場が下落\n円相場が大きく下落しました。日銀によりますと、市場は不安定です。多くの投資家が様子を見ています。財務省は対応を検討しています。'],
      ['quake2', '石川・能登で震度6強\n気象庁は、石川県能登地方を震源とするマグニチュード6.5の地震で、震度6強を観測したと発表しました。輪島市内では家屋の倒壊が相次ぎ、けが人が出ています。'],
      ['baseball', '巨人が優勝\n読売巨人軍がリーグ優勝を決めました。監督によりますと、選手たちは最後まで戦いました。多くのファンが球場に集まっています。球団は祝賀会を予定しています。'],
    ];
    const th = [
      ['thquake', 'แผ่นดินไหวที่เชียงราย\nเกิดแผ่นดินไหวขนาด 6.1 ที่จังหวัดเชียงราย เจ้าหน้าที่กล่าวว่ามีผู้ได้รับบาดเจ็บหลายคน และบ้านเรือนได้รับความเสียหายเป็นจำนวนมาก'],
      ['baht', 'ค่าเงินบาทอ่อนค่า\nค่าเงินบาทอ่อนค่าลงในวันนี้ นักวิเคราะห์กล่าวว่านักลงทุนมีความกังวลเกี่ยวกับเศรษฐกิจ และธนาคารแห่งประเทศไทยได้ติดตามสถานการณ์อย่างใกล้ชิด'],
      ['football', 'ทีมชาติไทยชนะเวียดนาม\nทีมชาติไทยเอาชนะเวียดนามได้ในการแข่งขันฟุตบอลเมื่อคืนนี้ โค้ชกล่าวว่านักเตะทุกคนเล่นได้ดีมาก และแฟนบอลจำนวนมากได้มาให้กำลังใจที่สนาม'],
    ];
    const out = clusterStream([...ecb, ...[...ja, ...th].map(([id, text]) => input(id!, text!))]);
    const story = (id: string) => out.find((o) => o.id === id)!.story;
    expect(story('quake2')).toBe(story('quake1'));
    expect(new Set(['quake1', 'yen', 'baseball'].map(story)).size).toBe(3);
    expect(new Set(['thquake', 'baht', 'football'].map(story)).size).toBe(3);
  });
});

/**
 * Clusters hand-written reports in one language (each built as an article, so its language is
 * detected) and returns each one's story; checks the language was detected as `language`.
 */
function storiesOfReports(arts: [string, string][], language: string): (id: string) => string {
  const inputs = arts.map(([id, text]) => ({ ...inputOf(buildArticle(parseJsonlLine(JSON.stringify({ id, text }), 1, language, '2026-11-26T00:00:00Z')!)), id }));
  for (const x of inputs) expect(x.language).toBe(language);
  const out = clusterStream(inputs);
  return (id) => out.find((o) => o.id === id)!.story;
}

describe('German, where every noun is capitalised', () => {
  it('reads names only from runs of capitalised words, not from every noun', () => {
    const text =
      'Ein Erdbeben der Stärke 6,8 hat am Freitag die Provinz Elazig im Osten der Türkei erschüttert. Olaf Scholz sagte Anfang März, die Corona-Pandemie habe viele Menschen getroffen. ' +
      'Am Abend spielte Borussia Dortmund, und Kanzler Olaf Scholz sah zu. Schweres Erdbeben auch in Kroatien.';
    const f = extractFeatures({ id: 'x', text, language: 'de' });
    expect([...f.entities.keys()]).toEqual(expect.arrayContaining(['provinz elazig', 'borussia dortmund', 'olaf scholz']));
    for (const notName of ['erdbeben', 'stärke', 'ein erdbeben', 'osten', 'anfang märz', 'corona-pandemie', 'corona', 'pandemie', 'schweres erdbeben']) expect(f.entities.has(notName)).toBe(false);
    // nouns stay content words, German function words do not
    for (const w of ['erdbeben', 'mensch', 'pandemi']) expect([...f.words.keys()].some((k) => k.startsWith(w))).toBe(true);
    for (const w of ['der', 'die', 'und', 'hat']) expect(f.words.has(w)).toBe(false);
  });
  it("applies another language's rules only to texts long enough to trust its detection", () => {
    const short = extractFeatures({ id: 'x', text: 'Vincent Gigante dies in Hollywood.', language: 'de' });
    expect(short.entities.has('vincent gigante')).toBe(true);
    expect(short.words.has('di')).toBe(true); // "dies", a German function word, kept in English
  });
  it('keeps two earthquakes in two countries apart, and two reports of one match together', () => {
    const arts: [string, string][] = [
      [
        'q1',
        'Schweres Erdbeben erschüttert Osten der Türkei\nEin Erdbeben der Stärke 6,8 hat am Freitagabend die Provinz Elazig im Osten der Türkei erschüttert. Nach Angaben der Katastrophenschutzbehörde Afad kamen mindestens 18 Menschen ums Leben, mehr als 500 wurden verletzt. Rettungskräfte suchen in den Trümmern eingestürzter Gebäude nach Verschütteten.',
      ],
      [
        'b1',
        'Bundesliga: Bayern gewinnt gegen Dortmund\nDer FC Bayern München hat das Spitzenspiel der Bundesliga gegen Borussia Dortmund mit 4:0 gewonnen. Robert Lewandowski traf zweimal. Die Münchner bauen ihren Vorsprung in der Tabelle damit auf sieben Punkte aus.',
      ],
      [
        'q2',
        'Türkei: Zahl der Erdbebentoten steigt auf 22\nNach dem Erdbeben in der osttürkischen Provinz Elazig ist die Zahl der Toten auf 22 gestiegen. Die Katastrophenschutzbehörde Afad teilte mit, mehr als 1000 Menschen seien verletzt worden. Das Beben der Stärke 6,8 hatte am Freitagabend zahlreiche Gebäude zum Einsturz gebracht.',
      ],
      [
        'e1',
        'Erdbeben in Kroatien: Stadt Petrinja schwer beschädigt\nEin Erdbeben der Stärke 6,4 hat Kroatien erschüttert. In der Stadt Petrinja südlich von Zagreb stürzten zahlreiche Gebäude ein, mindestens sieben Menschen kamen ums Leben. Rettungskräfte suchen nach Verschütteten.',
      ],
      [
        'b2',
        'Dortmund verliert in München deutlich\nBorussia Dortmund hat beim FC Bayern München mit 0:4 verloren. Doppelpacker Lewandowski führte die Bayern zum Sieg im Spitzenspiel der Bundesliga.',
      ],
    ];
    const story = storiesOfReports(arts, 'de');
    expect(story('q2')).toBe(story('q1'));
    expect(story('b2')).toBe(story('b1'));
    expect(story('e1')).not.toBe(story('q1'));
    expect(story('b1')).not.toBe(story('q1'));
  });
});

describe('other languages written like English', () => {
  it("reads the word after an elided French or Italian article (l'attentat is attentat)", () => {
    const fr = extractFeatures({
      id: 'fr',
      language: 'fr',
      text: "L'attentat a fait au moins douze morts mardi à Paris, selon le ministère de l'Intérieur. Un attentat d'une telle ampleur n'avait pas frappé la capitale depuis des années, a déclaré le président, qui s'est rendu sur place.",
    });
    expect(fr.words.get('attentat')).toBe(4);
    for (const k of fr.words.keys()) expect(k.includes("'")).toBe(false);
    const ita = extractFeatures({
      id: 'it',
      language: 'it',
      text: "Un terremoto di magnitudo 6,1 ha colpito l'Abruzzo nella notte. Dell'entità dei danni si saprà di più all'alba, ha detto il capo della protezione civile, che ha raggiunto l'area del terremoto con i soccorritori e i vigili del fuoco.",
    });
    expect(ita.words.has('abruzzo')).toBe(true);
    expect(ita.words.get('terremoto')).toBe(4);
  });
  it('does not join two unrelated Spanish reports through their function words at the start of a stream', () => {
    // before its IDF has learnt that "los", "del" and "por" are everywhere, the football report
    // joined the stock-market one (both also name Madrid)
    const arts: [string, string][] = [
      [
        'q1',
        'Un fuerte terremoto sacude el este de Turquía\nUn terremoto de magnitud 6,8 sacudió el viernes por la noche la provincia de Elazig, en el este de Turquía. Según la agencia de emergencias Afad, al menos 18 personas murieron y más de 500 resultaron heridas. Los rescatistas buscan entre los escombros de los edificios derrumbados.',
      ],
      [
        'm1',
        'La Bolsa de Madrid cierra al alza\nLa Bolsa de Madrid cerró la sesión del lunes con una subida del 1,2 %, impulsada por los valores bancarios. Los inversores se muestran optimistas sobre las perspectivas de la economía europea, según los analistas.',
      ],
      [
        'q2',
        'Turquía: el balance del terremoto asciende a 22 muertos\nEl balance del terremoto que sacudió la provincia de Elazig, en el este de Turquía, ascendió a 22 muertos, informó Afad. Más de 1000 personas resultaron heridas en el sismo de magnitud 6,8.',
      ],
      [
        'e1',
        'Terremoto en Croacia: la ciudad de Petrinja devastada\nUn terremoto de magnitud 6,4 sacudió Croacia. En la ciudad de Petrinja, al sur de Zagreb, numerosos edificios se derrumbaron y al menos siete personas murieron. Los rescatistas buscan entre los escombros.',
      ],
      [
        'f1',
        'El Real Madrid vence al Barcelona\nEl Real Madrid venció 3-0 al FC Barcelona el domingo por la noche en el Santiago Bernabéu. Vinícius Júnior marcó dos goles y los blancos consolidan su liderato en la liga.',
      ],
    ];
    const story = storiesOfReports(arts, 'es');
    expect(story('q2')).toBe(story('q1'));
    expect(new Set(['q1', 'm1', 'e1', 'f1'].map(story)).size).toBe(4);
  });
});

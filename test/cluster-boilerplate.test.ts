import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { lineKey, linesOf, OutletLines, OUTLET_LINES_FORMAT, withoutBoilerplate } from '../src/cluster/boilerplate.js';
import { extractFeatures, type ClusterInput } from '../src/cluster/features.js';
import { CLUSTER_FORMAT_VERSION, clusterStream, OnlineClusterer, type ClusterState } from '../src/cluster/online.js';

// Two shootings reported by one station a week apart, each page framed by the station's
// headline suffix, promo lines and a dated "Posted" line; and a report of the second from
// another site. Hand-written: the only thing the station's two reports share is its framing.
const FRAME_TOP = 'Posted: Friday, March 6, 2015 9:14 PM EST';
const FRAME_BOTTOM = [
  'Join the conversation on the Channel Nine Eyewitness Facebook page.',
  'Copyright 2015 WKRN Channel Nine Eyewitness News Springfield Ohio. Follow Channel Nine Eyewitness on Twitter.',
];
const station = (id: string, title: string, body: string, published: string, posted = FRAME_TOP): ClusterInput => ({
  id,
  title: `${title} - Channel Nine Eyewitness News - Springfield, Ohio`,
  text: [posted, body, ...FRAME_BOTTOM].join('\n'),
  published,
  outlet: 'wkrn9.example',
});
const A = station(
  'a1',
  'Two wounded in Maple Grove shooting',
  'Two men were wounded late Thursday outside a bar on Lincoln Road in Maple Grove. Detective Laura Benning said the gunman fled on foot. The victims, Darnell Hicks and Marcus Tate, were taken to Saint Anne Medical Center.',
  '2015-03-06',
);
const B = station(
  'b1',
  'Teen hurt by stray bullet in Riverside',
  'A 15-year-old girl was struck by a stray bullet on Cedar Street in Riverside on Friday. Sergeant Paul Okafor said officers recovered nine shell casings. Kayla Mendez was in stable condition at Mercy Children Hospital.',
  '2015-03-13',
  'Posted: Friday, March 13, 2015 10:02 PM EDT',
);
// a third report of the station's, on another event
const D = station(
  'd1',
  'Driver hurt as police chase ends in crash',
  'A driver fleeing deputies crashed into a utility pole on Route 4 near Oakdale. Deputy Gina Ferraro said the driver was taken to Saint Anne Medical Center.',
  '2015-03-09',
  'Posted: Monday, March 9, 2015 7:40 AM EDT',
);
const C: ClusterInput = {
  id: 'c1',
  title: 'Riverside girl, 15, struck by stray bullet',
  text: 'Kayla Mendez, 15, was hit by a stray bullet on Cedar Street in Riverside, Sergeant Paul Okafor said. Officers found nine shell casings near the corner.',
  published: '2015-03-13',
  outlet: 'riverside-courier.example',
};

describe('an outlet’s boilerplate, learnt from its articles', () => {
  it('knows a headline part once an earlier article of the same outlet carried it, and a line (digits aside) once articles of two stories did', () => {
    const lines = new OutletLines(1);
    expect(lines.known(A)).toEqual({ title: [], lines: [] });
    lines.learn(A, 1, 0);
    let known = lines.known(B);
    // the headline's own words stay; the station's name and city go
    expect(linesOf(B).title.filter((_, i) => known.title.includes(i))).toEqual(['Channel Nine Eyewitness News', 'Springfield, Ohio']);
    // lines of one story may be its background, repeated by a follow-up: not yet boilerplate
    expect(known.lines).toEqual([]);
    const followUp: ClusterInput = { ...A, id: 'a2', text: A.text.replace('late Thursday', 'on Thursday') };
    lines.learn(followUp, 2, 0);
    expect(lines.known(B).lines).toEqual([]);
    lines.learn(D, 3, 1);
    known = lines.known(B);
    // the Posted line recurs with other digits but a different day name, so only the promo lines are known
    expect(linesOf(B).lines.filter((_, i) => known.lines.includes(i))).toEqual(FRAME_BOTTOM);
    expect(lineKey('Posted:  10:02 PM')).toBe(lineKey('posted: 9:14 pm'));
    // another outlet, or no outlet, has learnt nothing
    expect(lines.known({ ...B, outlet: 'other.example' })).toEqual({ title: [], lines: [] });
    expect(lines.known({ ...B, outlet: null })).toEqual({ title: [], lines: [] });
  });

  it('needs minArticles earlier articles', () => {
    const lines = new OutletLines(2);
    lines.learn(A, 1, 0);
    expect(lines.known(B).title).toEqual([]);
    lines.learn(D, 2, 1);
    expect(lines.known(B).title).toHaveLength(2);
    expect(lines.known(B).lines).toHaveLength(2);
    expect(() => new OutletLines(0)).toThrow(/whole number of articles >= 1/);
  });

  it('compares a copy of an earlier article whole: known lines that are most of it are not boilerplate', () => {
    const lines = new OutletLines(1);
    lines.learn(A, 1, 0);
    const copy: ClusterInput = { ...A, id: 'a-copy' };
    // a copy that started a story of its own: every line of A is now carried by two stories
    lines.learn(copy, 2, 1);
    const filler = 'The council met on Tuesday to discuss the budget for parks, roads and schools. '.repeat(30);
    expect(lines.known({ ...B, text: `${B.text}\n${A.text}\n${filler}` }).lines).toHaveLength(2 + A.text.split('\n').length);
    expect(lines.known(copy).lines).toEqual([]);
  });

  it('leaves the known parts out of the features: the station’s name and city, not the article’s names', () => {
    const lines = new OutletLines(1);
    lines.learn(A, 1, 0);
    lines.learn(D, 2, 1);
    const before = extractFeatures(B);
    const after = extractFeatures(withoutBoilerplate(B, lines.known(B)));
    expect([...before.entities.keys()]).toEqual(expect.arrayContaining(['channel nine eyewitness', 'springfield', 'kayla mendez']));
    expect([...after.entities.keys()].filter((k) => /channel|springfield|facebook|twitter|wkrn/.test(k))).toEqual([]);
    expect([...after.entities.keys()]).toEqual(expect.arrayContaining(['kayla mendez', 'cedar street', 'riverside', 'sergeant paul okafor']));
  });

  it('keeps one station’s two shootings apart, which its framing alone joined, and still joins the other site’s report', () => {
    // the station's frame pulls its first reports into one story until it is learnt: from the
    // fourth report on (three of one story), or once a report went elsewhere, it is left out
    const E = station(
      'e1',
      'Man shot in leg during robbery on Elm Avenue',
      'A 34-year-old man was shot in the leg during a robbery on Elm Avenue in Northfield. Lieutenant Omar Haddad said two suspects fled in a silver sedan.',
      '2015-03-11',
      'Posted: Wednesday, March 11, 2015 6:05 PM EDT',
    );
    const stories = (p: object) => clusterStream([A, D, E, B, C], p).map((x) => x.story);
    const [a, d, e, b, c] = stories({ boilerplateArticles: 0 });
    expect(new Set([a, d, e, b]).size).toBe(1);
    expect(c).toBe(b);
    const [a1, , , b1, c1] = stories({});
    expect(b1).not.toBe(a1);
    expect(c1).toBe(b1);
  });

  it('saves its table with the clusterer state (hashes, no text) and goes on alike after a reload', () => {
    const c = new OnlineClusterer();
    c.add(A);
    const state = JSON.parse(JSON.stringify(c.toState())) as ClusterState;
    expect(state.version).toBe(CLUSTER_FORMAT_VERSION);
    expect(state.lines?.version).toBe(OUTLET_LINES_FORMAT);
    expect(JSON.stringify(state.lines)).not.toMatch(/Eyewitness|facebook/i);
    const again = OnlineClusterer.fromState(state);
    const one = [c.add(B), c.add(C)].map((x) => x.story);
    expect([again.add(B), again.add(C)].map((x) => x.story)).toEqual(one);
    expect(again.toState().lines).toEqual(c.toState().lines);
  });

  it('reads a state saved before outlets’ lines were learnt, starting with an empty table', () => {
    const c = new OnlineClusterer();
    c.add(A);
    // format 4 kept the merges as index pairs, and the story ids beside the state
    const { lines: _none, ...old } = c.toState();
    const again = OnlineClusterer.fromState({ ...old, version: 4, merges: [], stories: old.stories.map(({ id: _id, ...st }) => st) }, new Map(old.stories.map((st) => [st.index, st.id])));
    expect(again.toState().lines).toEqual({ version: OUTLET_LINES_FORMAT, minArticles: 1, outlets: [] });
    expect(() => OutletLines.fromState({ version: 99, minArticles: 1, outlets: [] })).toThrow(/format 99/);
    expect(() => OutletLines.fromState({ version: OUTLET_LINES_FORMAT, minArticles: 1, outlets: [['x', [1], [1, 2], [3]]] })).toThrow(/malformed/);
  });

  it('stays bounded: outlets and lines per outlet are capped, the least recently seen going first', () => {
    const lines = new OutletLines(1);
    for (let i = 0; i < 1500; i++) lines.learn({ title: null, text: `story line ${i} of many\nshared line of outlet ${i % 2000}`, outlet: `o${i % 1100}.example` }, i + 1, i);
    const { outlets } = lines.size();
    expect(outlets).toBe(1024);
    const one = new OutletLines(1);
    for (let i = 0; i < 400; i++)
      one.learn({ title: null, text: `unique line number ${'x'.repeat(i % 7)} ${String.fromCharCode(97 + (i % 26))}${i}\nthe footer line`, outlet: 'one.example' }, i + 1, i);
    expect(one.size().lines).toBeLessThanOrEqual(256);
    // the line every article carried survives every eviction
    expect(one.known({ title: null, text: 'a new line\nthe footer line\nand a third one to keep it short of a copy', outlet: 'one.example' }).lines).toEqual([1]);
  });
});

describe('the why evidence names the outlet boilerplate left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-boilerplate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists, for an article of a station, the station’s headline parts the comparison left out (CLI, real SQLite)', async () => {
    const db = join(dir, 'why.db');
    const input = join(dir, 'in.jsonl');
    const row = (x: ClusterInput, url: string | null) => JSON.stringify({ id: x.id, title: x.title, text: x.text, published: x.published, url });
    writeFileSync(
      input,
      `${[row(A, 'https://www.wkrn9.example/news/maple-grove'), row(B, 'https://www.wkrn9.example/news/riverside'), row(C, 'https://riverside-courier.example/stray-bullet')].join('\n')}\n`,
    );
    expect((await runCli(['ingest', input, '--db', db])).code).toBe(0);
    const list = (await runCli(['stories', '--db', db, '--json'])).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; size: number });
    expect(list.map((s) => s.size).sort()).toEqual([1, 2]);
    const pair = list.find((s) => s.size === 2)!.id;
    const why = JSON.parse((await runCli(['stories', pair, '--why', '--json', '--db', db])).out) as { members: { title: string; boilerplate: string[]; names: string[] }[] };
    const station = why.members.find((m) => m.title.startsWith('Teen hurt'))!;
    expect(station.boilerplate).toEqual(expect.arrayContaining(['Channel Nine Eyewitness News', 'Springfield, Ohio']));
    expect(station.names).toEqual(expect.arrayContaining(['kayla mendez']));
    expect(why.members.find((m) => m.title.startsWith('Riverside girl'))!.boilerplate).toEqual([]);
    const text = await runCli(['stories', pair, '--why', '--db', db]);
    expect(text.out).toMatch(/outlet boilerplate left out: .*Channel Nine Eyewitness News/);
  });
});

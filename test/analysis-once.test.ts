import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { DedupStage } from '../src/stages/dedup.js';
import { ClusterStage } from '../src/stages/cluster.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { emptyDraft, type Draft } from '../src/ingest/draft.js';
import type { InputItem } from '../src/ingest/read.js';
import { buildArticle } from '../src/ingest/build.js';
import { prepareDraft } from '../src/stages/prepare.js';
import { makeParams } from '../src/dedup/signature.js';
import { clusterStream } from '../src/cluster/online.js';
import { clusterInputOf } from '../src/cluster/features.js';
import { compareArticles } from '../src/compare/compare.js';
import { ECBPLUS } from './helpers/paths.js';

/**
 * Each text is analysed once per process (tokenised, split into sentences): the tokeniser and
 * the sentence splitter are wrapped here to record what they are given, and the ingest
 * pipeline (reprints and stories, in this thread), the clusterer over an outlet's boilerplate
 * and the comparison are run over real articles.
 */
const seen = vi.hoisted(() => ({ tokenized: [] as string[], split: [] as string[], joined: 0 }));

vi.mock('../src/text/tokens.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/text/tokens.js')>();
  return { ...m, tokenize: (text: string, options?: { flags?: boolean }) => (seen.tokenized.push(text), m.tokenize(text, options)) };
});
vi.mock('../src/text/sentences.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/text/sentences.js')>();
  return { ...m, splitSentences: (text: string) => (seen.split.push(text), m.splitSentences(text)) };
});
vi.mock('../src/text/analyse.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/text/analyse.js')>();
  return { ...m, analyseJoined: (pieces: Parameters<typeof m.analyseJoined>[0]) => (seen.joined++, m.analyseJoined(pieces)) };
});

beforeEach(() => {
  seen.tokenized.length = 0;
  seen.split.length = 0;
  seen.joined = 0;
});

const count = (xs: readonly string[], x: string): number => xs.filter((y) => y === x).length;
/** the text clustering reads: the headline first when the text does not open with it */
const featuresText = (a: { readonly title?: string | null; readonly text: string }): string => (a.title && !a.text.startsWith(a.title) ? `${a.title}\n${a.text}` : a.text);

const ecb = readFileSync(ECBPLUS, 'utf8')
  .trim()
  .split('\n')
  .slice(0, 60)
  .map((l) => JSON.parse(l) as { id: string; title?: string; text: string; url?: string; published?: string });
const drafts: Draft[] = ecb.map((r) => ({
  ...emptyDraft(`ecb:${r.id}`, r.text, '2026-12-01T00:00:00.000Z'),
  url: r.url ?? null,
  externalId: r.id,
  title: r.title ? { value: r.title, evidence: { source: 'jsonl', detail: 'title' } } : null,
}));

// one outlet's reports of three unrelated events, framed by the outlet's own lines: the
// clusterer learns the frame and leaves it out of the later reports
const FRAME = ['Join the conversation on the Channel Nine Eyewitness Facebook page.', 'Copyright 2015 WKRN Channel Nine Eyewitness News Springfield Ohio.'];
const station = (n: number, title: string, body: string): Draft => ({
  ...emptyDraft(`station:${n}`, [`Posted: March ${n}, 2015`, body, ...FRAME].join('\n'), '2026-12-01T00:00:00.000Z'),
  url: `https://www.wkrn9.com/news/story-${n}`,
  title: { value: `${title} - Channel Nine Eyewitness News - Springfield, Ohio`, evidence: { source: 'jsonl', detail: 'title' } },
});
const stations = [
  station(6, 'Two wounded in Maple Grove shooting', 'Two men were wounded late Thursday outside a bar on Lincoln Road in Maple Grove. Detective Laura Benning said the gunman fled on foot.'),
  station(9, 'Driver hurt as police chase ends in crash', 'A driver fleeing deputies crashed into a utility pole on Route 4 near Oakdale. Deputy Gina Ferraro said the driver was taken to hospital.'),
  station(
    13,
    'Teen hurt by stray bullet in Riverside',
    'A 15-year-old girl was struck by a stray bullet on Cedar Street in Riverside on Friday. Sergeant Paul Okafor said officers found nine casings.',
  ),
  station(20, 'Fire destroys Elm Street bakery', 'A fire destroyed a bakery on Elm Street early Sunday. Fire Chief Dana Whitlock said nobody was inside when the blaze began.'),
  station(24, 'School board approves new budget', 'The Springfield school board approved a budget of 41 million dollars on Tuesday after a two-hour public hearing.'),
];

describe('each text is analysed once per process', () => {
  it('ingest with reprints and stories, in this thread: each new text tokenised once, its sentences split once (when it is built)', async () => {
    const all = [...drafts, ...stations];
    const articles = all.map((d) => buildArticle(d));
    seen.tokenized.length = 0;
    seen.split.length = 0;
    const engine = new Engine({ store: new MemoryStore(), stages: [new DedupStage(), new ClusterStage()], batchSize: 25 });
    const report = await engine.ingestItems(
      all.map((draft): InputItem => ({ ok: true, draft })),
      { workers: 0 },
    );
    expect(report.failed).toEqual([]);
    expect(report.new).toBe(all.length);
    for (const a of articles) {
      // the text (after its headline, when it does not open with it) once, for every stage
      expect(count(seen.tokenized, featuresText(a))).toBe(1);
      expect(seen.tokenized.filter((t) => t !== featuresText(a) && t.includes(a.text))).toEqual([]);
      // sentences: split once when the article is built; then only its headline, apart
      expect(count(seen.split, a.text)).toBe(1);
      expect(seen.split.filter((t) => t !== a.text && t.includes(a.text))).toEqual([]);
    }
    // the station's later reports were compared without its frame, put together from their
    // analyses; all else tokenised is a headline rebuilt without the station's name
    expect(seen.joined).toBeGreaterThan(0);
    const features = new Set(articles.map(featuresText));
    const others = seen.tokenized.filter((t) => !features.has(t));
    expect(others.length).toBeLessThanOrEqual(seen.joined);
    for (const t of others) expect(stations.map((s) => s.title!.value).some((title) => title.startsWith(t))).toBe(true);
  });

  it('preparing an article for both stages (in a worker thread or not) tokenises its text once', () => {
    const params = makeParams();
    for (const d of drafts.slice(0, 20)) {
      seen.tokenized.length = 0;
      const p = prepareDraft(d, { lean: false, features: true, print: params });
      expect(p.analysis.features).toBeDefined();
      expect(p.analysis.print).toBeDefined();
      expect(seen.tokenized).toEqual([featuresText(p.article)]);
    }
  });

  it('the clusterer over plain inputs analyses each text once, its outlet’s frame left out or not', () => {
    const inputs = stations.map((d) => clusterInputOf(buildArticle(d)));
    seen.tokenized.length = 0;
    seen.split.length = 0;
    clusterStream(inputs);
    expect(seen.joined).toBeGreaterThan(0);
    for (const i of inputs) expect(count(seen.tokenized, featuresText(i))).toBe(1);
    expect(seen.tokenized.filter((t) => t.includes('\n') && !inputs.some((i) => featuresText(i) === t))).toEqual([]);
    for (const i of inputs) expect(seen.split.filter((t) => t.includes(i.text))).toEqual([]);
  });

  it('compare: each article tokenised once', () => {
    const articles = drafts.slice(0, 3).map((d) => buildArticle(d));
    seen.tokenized.length = 0;
    seen.split.length = 0;
    compareArticles(articles);
    for (const a of articles) expect(count(seen.tokenized, a.text)).toBe(1);
    expect(seen.split.filter((t) => articles.some((a) => t.includes(a.text)))).toEqual([]);
  });
});

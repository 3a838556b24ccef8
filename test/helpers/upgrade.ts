import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCorrection } from '../../src/stages/corrections.js';
import { openEngine } from '../../src/engine/pipeline.js';
import type { Store } from '../../src/store/store.js';
import { FIXTURES } from './paths.js';

/**
 * For the upgrade tests: a store filled through the engine with a bit of everything (articles
 * and a later version, stories, a correction, reprint links, stage states, a source and its
 * items), and everything its article store and repositories answer, to compare before and
 * after an upgrade.
 */
const dir = mkdtempSync(join(tmpdir(), 'parallax-upgrade-'));
const lines = readFileSync(join(FIXTURES, 'ecbplus-topic14.jsonl'), 'utf8').trim().split('\n');

function file(name: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

/** The first part of the stream, a later version of one article, a correction, a source; closes the store. */
export async function populate(store: Store): Promise<void> {
  const engine = openEngine(store, { batchSize: 5 });
  await engine.ingest([file('first.jsonl', lines.slice(0, 14))]);
  await engine.ingest([file('v1.jsonl', [JSON.stringify({ url: 'https://news.example.org/fire', text: 'Fire crews fought the blaze at the supermarket for six hours.' })])]);
  await engine.ingest([file('v2.jsonl', [JSON.stringify({ url: 'https://news.example.org/fire', text: 'Fire crews fought the blaze at the supermarket for seven hours.' })])]);
  const largest = (await store.stories.list({ limit: 1, sort: 'largest' })).items[0]!;
  await applyCorrection(engine, { kind: 'move', article: largest.articles[0]!.id, to: null });
  const { source } = await store.sources.add({
    url: 'https://feeds.example.org/rss',
    siteUrl: null,
    title: 'Feed',
    kind: 'feed',
    format: 'rss',
    intervalSeconds: 900,
    allowPrivate: false,
    follow: 'auto',
    addedAt: '2026-12-01T00:00:00.000Z',
  });
  await store.sources.markSeen(source.id, [{ key: 'item-1', articleId: largest.articles[0]!.id, status: 'page', error: null, seenAt: '2026-12-01T01:00:00.000Z' }]);
  await engine.close();
}

/** The rest of the stream, ingested into an upgraded store and into the original alike; closes the store. */
export async function ingestRest(store: Store): Promise<void> {
  const engine = openEngine(store, { batchSize: 5 });
  await engine.ingest([file('rest.jsonl', lines.slice(14))]);
  await engine.close();
}

/** A snapshot without the times of reading (two ingests of the same files read them at other times). */
export function withoutReadTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'fetchedAt' || k === 'lastIngested' ? '-' : v)));
}

/** What the store answers, whole. */
export async function snapshot(store: Store): Promise<unknown> {
  const articles = await store.articlesStoredAfter(null, 10_000);
  const stories = (await store.stories.list({ limit: 1000, sort: 'largest' })).items;
  return {
    articles,
    versions: await Promise.all(articles.map((a) => store.getVersions(a.id))),
    listed: await store.listArticles({ limit: 1000 }),
    search: await store.search('fire', { limit: 100 }),
    stories,
    members: await Promise.all(stories.map((s) => store.stories.get(s.id))),
    storyOf: await Promise.all(articles.map((a) => store.stories.storyOf(a.id))),
    links: await store.reuse.list({ limit: 1000 }),
    signatures: await store.reuse.loadSignatures(),
    cursor: await store.reuse.signatureCursor(),
    cluster: await store.states.get('cluster'),
    corrections: await store.states.get('cluster.corrections'),
    sources: await store.sources.list(),
    items: await store.sources.itemErrors(1, 10),
  };
}

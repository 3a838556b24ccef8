import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { openStore } from '../src/store/open.js';
import { runAllConformance } from './conformance/store.case.js';
import { runSourceRepositoryConformance } from './conformance/sources.case.js';
import { join } from 'node:path';
import { openEngine } from '../src/engine/pipeline.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { REPO } from './helpers/paths.js';
import { readInputs } from '../src/ingest/read.js';
import { leanArticle, reprintInput } from '../src/ingest/lean.js';

runAllConformance('memory', () => MemoryStore.open());
// articles and signatures kept as given (parallax dupes on files): the same answers
runAllConformance('memory, kept as given', () => MemoryStore.open({ asGiven: true }));
runSourceRepositoryConformance('memory', async () => {
  const store = MemoryStore.open();
  return { repo: store.sources, close: () => store.close() };
});

describe('MemoryStore specifics', () => {
  it('keeps articles as given when asked: a lean article is stored without reading its title, date or credits', async () => {
    const drafts = [];
    for await (const item of readInputs([join(REPO, 'test/fixtures/ecbplus-topic14.jsonl')])) if (item.ok) drafts.push(item.draft);
    const articles = drafts.slice(0, 5).map((d) => leanArticle(reprintInput(d)));
    let reads = 0;
    const counted = articles.map((a) => {
      const meta = a.meta;
      const watched = Object.create(meta, { title: { get: () => (reads++, Reflect.get(Object.getPrototypeOf(meta) as object, 'title', meta)) } });
      return Object.create(a, { meta: { value: watched } }) as typeof a;
    });
    const store = MemoryStore.open({ asGiven: true });
    await store.transaction((tx) => store.put(tx, counted));
    expect(reads).toBe(0);
    const back = await store.getArticles(counted.map((a) => a.id));
    expect(back).toEqual(counted);
    expect(back[0]).toBe(counted[0]);
    // copied (the default), every field is read
    const copying = MemoryStore.open();
    await copying.transaction((tx) => copying.put(tx, counted));
    expect(reads).toBeGreaterThan(0);
    await store.close();
    await copying.close();
  });

  it('is chosen by openStore for memory:', async () => {
    const store = openStore('memory:');
    expect(store.kind).toBe('memory');
    await store.close();
  });

  it('gives the engine the stories, labels and reprint links the SQLite store gives it', async () => {
    const run = async (store: Store) => {
      const engine = openEngine(store, { batchSize: 7 });
      const report = await engine.ingest([join(REPO, 'test/fixtures/ecbplus-topic14.jsonl')]);
      const stories = (await store.stories.list({ limit: 1000, sort: 'largest' })).items.map((s) => [s.id, s.label, s.size, s.articles.map((a) => a.id)]);
      const links = (await store.reuse.list({ limit: 1000 })).items;
      const hits = (await store.search('police', { limit: 100 })).map((h) => h.id).sort();
      await engine.close();
      return { counts: [report.new, report.unchanged, report.updated], stories, links, hits };
    };
    const memory = await run(MemoryStore.open());
    const sqlite = await run(SqliteStore.open({ path: ':memory:' }));
    expect(memory.stories.length).toBeGreaterThan(1);
    expect(memory).toEqual(sqlite);
  });
});

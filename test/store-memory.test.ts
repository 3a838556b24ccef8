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

runAllConformance('memory', () => MemoryStore.open());
runSourceRepositoryConformance('memory', async () => {
  const store = MemoryStore.open();
  return { repo: store.sources, close: () => store.close() };
});

describe('MemoryStore specifics', () => {
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

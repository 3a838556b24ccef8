import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { SOURCE_MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { SPLIT_MARK } from '../src/store/tracks.js';
import { runSourceRepositoryConformance } from './conformance/sources.case.js';
import { articleFrom } from './helpers/articles.js';
import { makeLegacySqlite } from './helpers/legacy-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'parallax-sources-repo-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runSourceRepositoryConformance('sqlite file', async () => {
  const store = SqliteStore.open({ path: join(dir, `r${n++}.db`) });
  return { repo: store.sources, close: () => store.close() };
});
runSourceRepositoryConformance('sqlite :memory:', async () => {
  const store = SqliteStore.open({ path: ':memory:' });
  return { repo: store.sources, close: () => store.close() };
});

describe('SqliteSourceRepository specifics', () => {
  it("has its own migration track beside the article store's, applied once", async () => {
    const path = join(dir, 'track.db');
    const store = SqliteStore.open({ path });
    await store.close();
    await SqliteStore.open({ path }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SPLIT_MARK);
    expect(db.prepare("SELECT version FROM repository_migrations WHERE repository = 'sources'").all()).toEqual(SOURCE_MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });

  it('reads as empty from a read-only store that never had sources, and refuses writes', async () => {
    const path = join(dir, 'ro.db');
    makeLegacySqlite(path, 6, false);
    const store = SqliteStore.open({ path, readonly: true });
    const repo = store.sources;
    expect(await repo.list()).toEqual([]);
    await expect(
      repo.add({ url: 'https://a.example/', siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 900, allowPrivate: false, follow: 'auto', addedAt: '2026-12-01T00:00:00Z' }),
    ).rejects.toMatchObject({ code: 'DB_READONLY' });
    await store.close();
  });

  it("writes queue behind the engine's commits on the same store (no lock against itself)", async () => {
    const store = SqliteStore.open({ path: join(dir, 'queue.db') });
    const engine = new Engine({ store });
    const repo = store.sources;
    const texts = Array.from({ length: 30 }, (_, i) => articleFrom(`Report number ${i} on the flooding of the river Elbe near Dresden, with ${i * 7} homes evacuated.`));
    const adds = texts.map((_, i) =>
      repo.add({ url: `https://a.example/${i}`, siteUrl: null, title: null, kind: 'feed', format: null, intervalSeconds: 900, allowPrivate: false, follow: 'auto', addedAt: '2026-12-01T00:00:00Z' }),
    );
    const ingests = texts.map((a) =>
      engine.ingestItems([
        {
          ok: true,
          draft: {
            source: a.source,
            url: null,
            externalId: null,
            text: a.text,
            title: null,
            published: null,
            outlet: null,
            syndicator: null,
            byline: null,
            credits: [],
            languageHint: null,
            fetchedAt: a.fetchedAt,
          },
        },
      ]),
    );
    await Promise.all([...adds, ...ingests]);
    expect(await repo.list()).toHaveLength(30);
    expect(await store.countArticles()).toBe(30);
    await engine.close();
  });
});

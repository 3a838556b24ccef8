import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleId } from '../../src/domain/ids.js';
import type { Store } from '../../src/store/store.js';
import { articleFrom } from '../helpers/articles.js';

/**
 * The one conformance suite every Store implementation runs (SQLite now, PostgreSQL
 * later). `make` returns a fresh, empty store.
 */
export function runStoreConformance(name: string, make: () => Promise<Store> | Store): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    const a1 = articleFrom('Gaza truce talks were underway in Paris on Friday.\n\nMediators met in Cairo.', { url: 'https://example.com/a?utm_source=x' });
    const a1changed = articleFrom('Gaza truce talks were underway in Paris on Friday.\n\nMediators met in Cairo and Doha.', { url: 'https://www.example.com/a' });
    const b = articleFrom('An earthquake of magnitude 5.9 shook southern Iran on Sunday, flattening seven villages.');

    it('stores new articles and reads them back unchanged', async () => {
      const out = await store.write({ articles: [a1, b] });
      expect(out.map((o) => o.status)).toEqual(['new', 'new']);
      const got = await store.getArticle(a1.id);
      expect(got).toEqual({ ...a1, version: 1 });
      expect(await store.countArticles()).toBe(2);
      expect((await store.getArticles([b.id, a1.id])).map((a) => a.id)).toEqual([b.id, a1.id]);
    });

    it('re-ingesting identical content is a no-op', async () => {
      await store.write({ articles: [a1] });
      const out = await store.write({ articles: [a1] });
      expect(out).toEqual([{ id: a1.id, status: 'unchanged', version: 1, source: a1.source }]);
      expect(await store.getVersions(a1.id)).toHaveLength(1);
      expect(await store.classify([a1, b])).toEqual(['unchanged', 'new']);
    });

    it('changed content at the same URL becomes a new version and keeps the old one', async () => {
      expect(a1changed.id).toBe(a1.id); // same canonical URL, same id
      await store.write({ articles: [a1] });
      const out = await store.write({ articles: [a1changed] });
      expect(out[0]).toMatchObject({ status: 'updated', version: 2 });
      const versions = await store.getVersions(a1.id);
      expect(versions.map((v) => [v.version, v.contentHash])).toEqual([
        [1, a1.contentHash],
        [2, a1changed.contentHash],
      ]);
      expect(versions[0]!.text).toBe(a1.text);
      expect((await store.getArticle(a1.id))!.text).toBe(a1changed.text);
      // full-text search sees the new text only
      expect((await store.search('Doha', { limit: 10 })).map((h) => h.id)).toEqual([a1.id]);
    });

    it('returns null or empty for unknown ids', async () => {
      expect(await store.getArticle('a0000000000000000' as ArticleId)).toBeNull();
      expect(await store.getVersions('a0000000000000000' as ArticleId)).toEqual([]);
    });

    it('lists with filters and pagination', async () => {
      const dated = articleFrom('Police said the fire at the supermarket may have been arson.', { published: '2013-07-21' });
      await store.write({ articles: [a1, b, dated] });
      const all = await store.listArticles({ limit: 2 });
      expect(all.total).toBe(3);
      expect(all.items).toHaveLength(2);
      const rest = await store.listArticles({ limit: 2, offset: 2 });
      expect(rest.items).toHaveLength(1);
      const since = await store.listArticles({ limit: 10, since: '2013-01-01' });
      expect(since.items.map((i) => i.id)).toEqual([dated.id]);
      expect(since.items[0]!.sentenceCount).toBe(1);
    });

    it('searches the full text, with prefixes, ignoring query syntax', async () => {
      await store.write({ articles: [a1, b] });
      expect((await store.search('earthquak', { limit: 5 })).map((h) => h.id)).toEqual([b.id]);
      const hits = await store.search('truce "AND OR NOT* (', { limit: 5 });
      expect(hits.map((h) => h.id)).toEqual([]);
      const [hit] = await store.search('Paris', { limit: 5 });
      expect(hit?.snippet).toContain('[Paris]');
      expect(await store.search('   ', { limit: 5 })).toEqual([]);
    });

    it('a failed batch writes nothing', async () => {
      await store.write({ articles: [b] });
      const broken = { ...a1, sentences: [{ start: 0, end: 1e9 }] };
      // a state with a non-binary payload makes the driver throw inside the transaction
      const bad = { key: 'x', formatVersion: 1, data: 'not bytes' as unknown as Uint8Array };
      await expect(store.write({ articles: [broken, a1changed], states: [bad] })).rejects.toThrow();
      expect(await store.countArticles()).toBe(1);
      expect(await store.getArticle(a1.id)).toBeNull();
    });

    it('changes its change token on every commit', async () => {
      const t0 = await store.changeToken();
      expect(await store.changeToken()).toBe(t0);
      await store.write({ articles: [a1] });
      const t1 = await store.changeToken();
      expect(t1).not.toBe(t0);
      await store.getArticle(a1.id);
      expect(await store.changeToken()).toBe(t1);
    });

    it('keeps stage state with its format version', async () => {
      expect(await store.getState('dedup')).toBeNull();
      await store.write({ articles: [], states: [{ key: 'dedup', formatVersion: 3, data: new Uint8Array([1, 2, 3]) }] });
      const s = await store.getState('dedup');
      expect(s?.formatVersion).toBe(3);
      expect(Array.from(s!.data)).toEqual([1, 2, 3]);
    });
  });
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.js';
import type { ArticleId, StoryId } from '../../src/domain/ids.js';
import type { ReuseLink } from '../../src/domain/reuse.js';
import type { Store, StoryQuery, UnitOfWork } from '../../src/store/store.js';
import { write } from '../helpers/write.js';
import { articleFrom } from '../helpers/articles.js';
import { identityKey } from '../../src/domain/identity.js';

/**
 * The conformance suites every Store implementation runs (SQLite, PostgreSQL, memory): one
 * for the article store and its transactions, one per repository. `make` returns a fresh,
 * empty store; `another`, where the store can be shared, opens a second writer on the same
 * store (as a second process would). runAllConformance runs them all.
 */
const withOutlet = (a: Article, outlet: string): Article => ({ ...a, meta: { ...a.meta, outlet: { value: outlet, evidence: { source: 'input', detail: 'test' } } } });

export function runStoreConformance(name: string, make: () => Promise<Store> | Store, another?: (store: Store) => Promise<Store> | Store): void {
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
      const out = await write(store, { articles: [a1, b] });
      expect(out.map((o) => o.status)).toEqual(['new', 'new']);
      const got = await store.getArticle(a1.id);
      expect(got).toEqual({ ...a1, version: 1 });
      expect(await store.countArticles()).toBe(2);
      expect((await store.getArticles([b.id, a1.id])).map((a) => a.id)).toEqual([b.id, a1.id]);
    });

    it('re-ingesting identical content is a no-op', async () => {
      await write(store, { articles: [a1] });
      const out = await write(store, { articles: [a1] });
      expect(out).toEqual([{ id: a1.id, status: 'unchanged', version: 1, source: a1.source }]);
      expect(await store.getVersions(a1.id)).toHaveLength(1);
      expect(await store.classify([a1, b])).toEqual(['unchanged', 'new']);
    });

    it('changed content at the same URL becomes a new version and keeps the old one', async () => {
      expect(a1changed.id).toBe(a1.id); // same canonical URL, same id
      await write(store, { articles: [a1] });
      const out = await write(store, { articles: [a1changed] });
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

    it('finds the articles stored under an identity key, with the texts of all their versions', async () => {
      const key = identityKey(a1);
      expect(await store.identityMatches([key])).toEqual([]);
      await write(store, { articles: [a1, b] });
      await write(store, { articles: [a1changed] });
      // another article at the same URL, under an id of its own
      const third = { ...articleFrom('A different report posted later at the same address.', { url: 'https://example.com/a' }), id: 'a00000000000000ff' as ArticleId };
      await write(store, { articles: [third] });
      expect(await store.identityMatches([key, key, 'url:nowhere.example/x'])).toEqual([
        { key, id: a1.id, version: 2, title: a1changed.title, texts: [a1.text, a1changed.text] },
        { key, id: third.id, version: 1, title: third.title, texts: [third.text] },
      ]);
      expect((await store.identityMatches([identityKey(b)])).map((m) => m.id)).toEqual([b.id]);
    });

    it('returns null or empty for unknown ids', async () => {
      expect(await store.getArticle('a0000000000000000' as ArticleId)).toBeNull();
      expect(await store.getVersions('a0000000000000000' as ArticleId)).toEqual([]);
    });

    it('lists with filters and pagination', async () => {
      const dated = articleFrom('Police said the fire at the supermarket may have been arson.', { published: '2013-07-21' });
      await write(store, { articles: [a1, b, dated] });
      const all = await store.listArticles({ limit: 2 });
      expect(all.total).toBe(3);
      expect(all.items).toHaveLength(2);
      const rest = await store.listArticles({ limit: 2, offset: 2 });
      expect(rest.items).toHaveLength(1);
      const outlet = articleFrom('The mayor opened the new bridge over the river.', { url: 'https://www.reuters.com/bridge' });
      await write(store, { articles: [withOutlet(outlet, 'Reuters')] });
      expect((await store.listArticles({ limit: 10, outlet: 'reuters' })).items.map((i) => i.id)).toEqual([outlet.id]);
      const since = await store.listArticles({ limit: 10, since: '2013-01-01' });
      expect(since.items.map((i) => i.id)).toEqual([dated.id]);
      expect(since.items[0]!.sentenceCount).toBe(1);
    });

    it('searches the full text, with prefixes, ignoring query syntax', async () => {
      await write(store, { articles: [a1, b] });
      expect((await store.search('earthquak', { limit: 5 })).map((h) => h.id)).toEqual([b.id]);
      const hits = await store.search('truce "AND OR NOT* (', { limit: 5 });
      expect(hits.map((h) => h.id)).toEqual([]);
      const [hit] = await store.search('Paris', { limit: 5 });
      // plain text with the match as offsets: no markup to escape or strip
      expect(hit?.snippet).toContain('underway in Paris on Friday');
      expect(hit?.highlights.map((r) => hit.snippet.slice(r.start, r.end))).toEqual(['Paris']);
      expect(await store.search('   ', { limit: 5 })).toEqual([]);
      expect(await store.countMatches('truce OR')).toBe(0);
      // diacritics fold both ways, and the snippet shows the text as written
      const accented = articleFrom('Talks resumed in Zürich and São Paulo on Friday, said the café owner.');
      await write(store, { articles: [accented] });
      for (const q of ['zurich', 'Zürich', 'sao paulo', 'CAFÉ', 'cafe'])
        expect(
          (await store.search(q, { limit: 5 })).map((h) => h.id),
          q,
        ).toEqual([accented.id]);
      const [z] = await store.search('zurich', { limit: 5 });
      expect(z?.highlights.map((r) => z.snippet.slice(r.start, r.end))).toEqual(['Zürich']);
      expect(await store.countMatches('sao')).toBe(1);
      expect(await store.countMatches('e')).toBe(1);
      expect(await store.countMatches('   ')).toBe(0);
    });

    it('a failed batch writes nothing', async () => {
      await write(store, { articles: [b] });
      const broken = { ...a1, sentences: [{ start: 0, end: 1e9 }] };
      // a state with a non-binary payload makes the driver throw inside the transaction
      const bad = { key: 'x', formatVersion: 1, data: 'not bytes' as unknown as Uint8Array };
      await expect(write(store, { articles: [broken, a1changed], states: [bad] })).rejects.toThrow();
      expect(await store.countArticles()).toBe(1);
      expect(await store.getArticle(a1.id)).toBeNull();
    });

    it('changes its change token on every commit', async () => {
      const t0 = await store.changeToken();
      expect(await store.changeToken()).toBe(t0);
      await write(store, { articles: [a1] });
      const t1 = await store.changeToken();
      expect(t1).not.toBe(t0);
      await store.getArticle(a1.id);
      expect(await store.changeToken()).toBe(t1);
    });

    it('lists articles in the order they were first stored, after a given one, new versions in their first place', async () => {
      const texts = ['Zebra crossing closed after the storm.', 'Apple harvest falls by a third.', 'Mango prices rise at the market.', 'Kiwi growers meet in the capital.'];
      const arts = texts.map((t, i) => articleFrom(t, { url: `https://example.org/after/${i}` }));
      for (const art of arts) await write(store, { articles: [art] });
      const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
      expect(ids(await store.articlesStoredAfter(null, 10))).toEqual(ids(arts));
      expect(ids(await store.articlesStoredAfter(arts[1]!.id, 10))).toEqual(ids(arts.slice(2)));
      expect(ids(await store.articlesStoredAfter(null, 2))).toEqual(ids(arts.slice(0, 2)));
      expect(await store.articlesStoredAfter(arts[3]!.id, 10)).toEqual([]);
      // a new version stays where its article was first stored, and is returned whole
      const changed = articleFrom('Apple harvest falls by a third, growers say.', { url: 'https://example.org/after/1' });
      expect(changed.id).toBe(arts[1]!.id);
      await write(store, { articles: [changed] });
      const got = await store.articlesStoredAfter(arts[0]!.id, 1);
      expect(got[0]!.text).toBe(changed.text);
      // or as first stored, which is how stages met it
      const first = await store.articlesStoredAfter(arts[0]!.id, 2, { firstVersions: true });
      expect(first.map((a) => [a.id, a.version, a.text])).toEqual([
        [arts[1]!.id, 1, arts[1]!.text],
        [arts[2]!.id, 1, arts[2]!.text],
      ]);
      expect(first[0]).toEqual({ ...arts[1]!, version: 1 });
      await expect(store.articlesStoredAfter('a0000000000000000' as ArticleId, 10)).rejects.toMatchObject({ code: 'DB_INCOMPATIBLE' });
    });

    it('runs exclusive calls one after another, says when others wrote, and rolls back a call that throws', async () => {
      const order: string[] = [];
      const first = store.exclusive(async (others) => {
        order.push(`first ${others}`);
        await new Promise((r) => setTimeout(r, 20));
        await write(store, { articles: [a1] });
        order.push('first wrote');
      });
      const second = store.exclusive(async (others) => {
        order.push(`second ${others}`);
        await write(store, { articles: [b] });
        throw new Error('stage bug');
      });
      await first;
      // the error of the call, as it was
      await expect(second).rejects.toThrow('stage bug');
      // its own writes never count as another writer's
      expect(order).toEqual(['first true', 'first wrote', 'second false']);
      expect(await store.getArticle(b.id)).toBeNull();
      expect(await store.countArticles()).toBe(1);
      expect(await store.exclusive(async (others) => others)).toBe(false);
    });

    if (another) {
      it('makes a second writer on the same store wait for the first, and each learns that the other wrote', async () => {
        const other = await another(store);
        try {
          expect(await store.exclusive(async (others) => others)).toBe(true);
          expect(await other.exclusive(async (others) => others)).toBe(true);
          expect(await store.exclusive(async (others) => others)).toBe(false);
          const order: string[] = [];
          let release!: () => void;
          const held = new Promise<void>((r) => (release = r));
          const one = store.exclusive(async () => {
            order.push('one in');
            await held;
            await write(store, { articles: [a1] });
            order.push('one out');
          });
          await new Promise((r) => setTimeout(r, 20));
          const two = other.exclusive(async (others) => {
            order.push(`two in ${others}`);
            // what the first committed is there
            order.push(`two sees ${(await other.getArticle(a1.id)) !== null}`);
          });
          await new Promise((r) => setTimeout(r, 50));
          release();
          await Promise.all([one, two]);
          expect(order).toEqual(['one in', 'one out', 'two in true', 'two sees true']);
          await other.exclusive(async () => void (await write(other, { articles: [b] })));
          expect(await store.exclusive(async (others) => others)).toBe(true);
        } finally {
          await other.close();
        }
      });
    }

    it('commits the writes of one transaction across repositories together, or none of them', async () => {
      const s1 = 's0000000000000c01' as StoryId;
      // the stories repository fails after the articles were put: nothing of the batch stays
      await expect(
        store.transaction(async (tx) => {
          await store.put(tx, [a1]);
          await store.states.write(tx, [{ key: 'k', formatVersion: 1, data: new Uint8Array([1]) }]);
          await store.stories.write(tx, { stories: [{ id: s1, label: 'Talks' }], memberships: [{ article: a1.id, story: s1, similarity: 0 }], storyMerges: [] });
          throw new Error('a later step failed');
        }),
      ).rejects.toThrow('a later step failed');
      expect(await store.getArticle(a1.id)).toBeNull();
      expect(await store.states.get('k')).toBeNull();
      expect(await store.stories.storyOf(a1.id)).toBeNull();
      expect((await store.stories.list({ limit: 10 })).total).toBe(0);
      // and together when it resolves
      await store.transaction(async (tx) => {
        await store.put(tx, [a1]);
        await store.stories.write(tx, { stories: [{ id: s1, label: 'Talks' }], memberships: [{ article: a1.id, story: s1, similarity: 0 }], storyMerges: [] });
      });
      expect(await store.stories.storyOf(a1.id)).toBe(s1);
    });

    it('nests a transaction inside exclusive: one that throws is rolled back alone', async () => {
      await store.exclusive(async () => {
        await store.transaction((tx) => store.put(tx, [a1]));
        await expect(
          store.transaction(async (tx) => {
            await store.put(tx, [b]);
            throw new Error('second failed');
          }),
        ).rejects.toThrow('second failed');
      });
      expect(await store.getArticle(a1.id)).not.toBeNull();
      expect(await store.getArticle(b.id)).toBeNull();
    });

    it('refuses a transaction handle once its transaction settled', async () => {
      let kept!: UnitOfWork;
      await store.transaction(async (tx) => {
        kept = tx;
      });
      await expect(store.put(kept, [a1])).rejects.toThrow(/not open/);
      await expect(store.states.write(kept, [{ key: 'k', formatVersion: 1, data: new Uint8Array([1]) }])).rejects.toThrow(/not open/);
      expect(await store.countArticles()).toBe(0);
    });
  });
}

export function runStoryRepositoryConformance(name: string, make: () => Promise<Store> | Store): void {
  describe(`StoryRepository conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    const a1 = articleFrom('Gaza truce talks were underway in Paris on Friday.\n\nMediators met in Cairo.', { url: 'https://example.com/a?utm_source=x' });
    const b = articleFrom('An earthquake of magnitude 5.9 shook southern Iran on Sunday, flattening seven villages.');

    it('writes stories, memberships and merges with the articles, and keeps their statistics', async () => {
      const dated = articleFrom('Police said the fire at the supermarket may have been arson.', { published: '2013-07-21' });
      const s1 = 's0000000000000001' as StoryId;
      const s2 = 's0000000000000002' as StoryId;
      await write(store, {
        articles: [a1, b],
        stories: [
          { id: s1, label: 'Talks' },
          { id: s2, label: 'Quake' },
        ],
        memberships: [
          { article: a1.id, story: s1, similarity: 0 },
          { article: b.id, story: s2, similarity: 0 },
        ],
      });
      expect(await store.stories.storyOf(a1.id)).toBe(s1);
      await write(store, { articles: [dated], memberships: [{ article: dated.id, story: s1, similarity: 0.4 }] });
      const largest = await store.stories.list({ limit: 10, sort: 'largest' });
      expect(largest.total).toBe(2);
      expect(largest.items.map((x) => [x.id, x.size])).toEqual([
        [s1, 2],
        [s2, 1],
      ]);
      expect(largest.items[0]!.firstSeen).toBe('2013-07-21');
      const one = await store.stories.get(s1);
      expect(one?.members.map((m) => m.id).sort()).toEqual([a1.id, dated.id].sort());
      await write(store, { articles: [], storyMerges: [{ from: s2, into: s1 }] });
      expect(await store.stories.get(s2)).toBeNull();
      expect((await store.stories.get(s1))?.size).toBe(3);
      expect(await store.stories.storyOf(b.id)).toBe(s1);
    });

    it('filters stories by words, outlet, dates, size and outlets, counting what matches', async () => {
      const mk = (text: string, outlet: string, published: string) =>
        withOutlet(articleFrom(text, { published, url: `https://${outlet.toLowerCase().replace(/\W/g, '')}.example/${published}/${text.length}` }), outlet);
      const q1 = mk('An earthquake shook the coast of Chile on Monday.', 'Reuters', '2024-03-04');
      const q2 = mk('The Chilean earthquake left thousands without power.', 'AP News', '2024-03-05');
      const q3 = mk('Rescuers searched for survivors of the earthquake in Chile.', 'Reuters', '2024-03-06');
      const f1 = mk('The final ended in a draw after extra time.', 'BBC', '2023-06-10');
      const [sq, sf] = ['s00000000000000b1' as StoryId, 's00000000000000b2' as StoryId];
      await write(store, {
        articles: [q1, q2, q3, f1],
        stories: [
          { id: sq, label: 'Quake' },
          { id: sf, label: 'Final' },
        ],
        memberships: [...[q1, q2, q3].map((a) => ({ article: a.id, story: sq, similarity: 0.5 })), { article: f1.id, story: sf, similarity: 0 }],
      });
      const ids = async (q: Omit<StoryQuery, 'limit'>) => {
        const r = await store.stories.list({ limit: 10, ...q });
        expect(r.total).toBe(r.items.length);
        return r.items.map((s) => s.id);
      };
      expect(await ids({})).toEqual([sq, sf]);
      expect(await ids({ search: 'survivor' })).toEqual([sq]);
      expect(await ids({ search: 'draw extra' })).toEqual([sf]);
      expect(await ids({ search: 'draw earthquake' })).toEqual([]);
      expect(await ids({ search: '"(' })).toEqual([]);
      expect(await ids({ outlet: 'ap news' })).toEqual([sq]);
      expect(await ids({ outlet: 'bbc' })).toEqual([sf]);
      expect(await ids({ since: '2024-01-01' })).toEqual([sq]);
      expect(await ids({ until: '2024-01-01' })).toEqual([sf]);
      // a story is in a range it overlaps: the quake ran from the 4th to the 6th
      expect(await ids({ since: '2024-03-05', until: '2024-03-06' })).toEqual([sq]);
      expect(await ids({ since: '2024-03-07' })).toEqual([]);
      expect(await ids({ minArticles: 2 })).toEqual([sq]);
      expect(await ids({ minOutlets: 2 })).toEqual([sq]);
      expect(await ids({ minOutlets: 3 })).toEqual([]);
      expect(await ids({ minArticles: 1, outlet: 'Reuters', search: 'chile', sort: 'largest' })).toEqual([sq]);
      const page = await store.stories.list({ limit: 1, offset: 1 });
      expect([page.total, page.items.map((s) => s.id)]).toEqual([2, [sf]]);
    });

    it('lists a large story with an even sample of its articles, counting them all', async () => {
      const s1 = 's00000000000000aa' as StoryId;
      const arts = Array.from({ length: 450 }, (_, i) =>
        articleFrom(`Report number ${i} on the flood in the river valley.`, {
          url: `https://outlet${i % 7}.example/flood/${i}`,
          published: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
        }),
      );
      await write(store, { articles: arts, stories: [{ id: s1, label: 'Flood' }], memberships: arts.map((a) => ({ article: a.id, story: s1, similarity: 0.5 })) });
      const [listed] = (await store.stories.list({ limit: 1 })).items;
      expect(listed!.size).toBe(450);
      expect(listed!.outlets).toHaveLength(7);
      expect(listed!.articles).toHaveLength(200);
      // in publication order, first and last included
      const published = listed!.articles.map((a) => a.published!);
      expect([...published].sort()).toEqual(published);
      expect(published[0]).toBe(arts[0]!.meta.published!.value);
      expect(published.at(-1)).toBe(arts[449]!.meta.published!.value);
      expect(new Set(listed!.articles.map((a) => a.id)).size).toBe(200);
      // one story's page has them all
      expect((await store.stories.get(s1))!.members).toHaveLength(450);
    });
  });
}

export function runReuseRepositoryConformance(name: string, make: () => Promise<Store> | Store): void {
  describe(`ReuseRepository conformance: ${name}`, () => {
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

    it('stores signatures and reuse links; a changed article drops its old links', async () => {
      const link: ReuseLink = {
        a: a1.id < b.id ? a1.id : b.id,
        b: a1.id < b.id ? b.id : a1.id,
        class: 'partial-reuse',
        estimatedJaccard: 0.2,
        jaccard: 0.21,
        containment: { aInB: 0.3, bInA: 0.4 },
        passages: [{ a: { start: 0, end: 10 }, b: { start: 5, end: 15 }, words: 55 }],
        original: b.id,
        reason: 'published earlier',
      };
      await write(store, { articles: [a1, b], signatures: [{ article: a1.id, params: 'p1', signature: new Uint8Array([1, 2, 3, 4]), anchors: new Uint8Array([5, 6, 7, 8]) }], reuseLinks: [link] });
      const sigs = await store.reuse.loadSignatures();
      expect(sigs.map((x) => [x.article, x.params, Array.from(x.signature), Array.from(x.anchors)])).toEqual([[a1.id, 'p1', [1, 2, 3, 4], [5, 6, 7, 8]]]);
      expect(await store.reuse.linksOf(a1.id)).toEqual([link]);
      expect(await store.reuse.linksOf(b.id)).toEqual([link]);
      expect(await store.reuse.linksAmong([a1.id, b.id])).toEqual([link]);
      expect(await store.reuse.linksAmong([a1.id])).toEqual([]);
      expect((await store.reuse.list({ limit: 10 })).total).toBe(1);
      await write(store, { articles: [a1changed], relinked: [a1.id] });
      expect(await store.reuse.linksOf(b.id)).toEqual([]);
    });

    it('returns signatures in the order their articles were first stored, updates included', async () => {
      const texts = ['Zebra crossing closed after the storm.', 'Apple harvest falls by a third.', 'Mango prices rise at the market.', 'Kiwi growers meet in the capital.'];
      // stored in descending id order, which is not the ids' order
      const arts = texts.map((t) => articleFrom(t)).sort((x, y) => (x.id < y.id ? 1 : -1));
      const sig = (article: ArticleId, x: number) => ({ article, params: 'p1', signature: new Uint8Array([x, 0, 0, 0]), anchors: new Uint8Array(0) });
      // stored one by one in an order that is not the ids' order
      for (const [i, art] of arts.entries()) await write(store, { articles: [art], signatures: [sig(art.id, i)] });
      const stored = arts.map((x) => x.id);
      expect([...stored].sort()).not.toEqual(stored);
      expect((await store.reuse.loadSignatures()).map((x) => x.article)).toEqual(stored);
      // a new version of the first article, re-signed: it keeps its place
      expect(a1changed.id).toBe(a1.id);
      await write(store, { articles: [a1], signatures: [sig(a1.id, 9)] });
      await write(store, { articles: [a1changed], signatures: [sig(a1.id, 10)] });
      expect((await store.reuse.loadSignatures()).map((x) => x.article)).toEqual([...stored, a1.id]);
      await write(store, { articles: [], signatures: [sig(arts[0]!.id, 11)] });
      expect((await store.reuse.loadSignatures()).map((x) => x.article)).toEqual([...stored, a1.id]);
    });

    it('returns the signatures written after a position, in the order they were written, replacements included', async () => {
      expect(await store.reuse.signatureCursor()).toBe(0);
      expect(await store.reuse.signaturesWrittenAfter(0, 10)).toEqual({ signatures: [], cursor: 0 });
      const arts = ['Quince jam wins the county fair.', 'Pear orchards flood in the valley.', 'Plum blossom festival is cancelled.'].map((t) => articleFrom(t));
      const sig = (article: ArticleId, x: number) => ({ article, params: 'p1', signature: new Uint8Array([x, 0, 0, 0]), anchors: new Uint8Array([x, 1, 0, 0]) });
      await write(store, { articles: [arts[0]!, arts[1]!], signatures: [sig(arts[1]!.id, 1), sig(arts[0]!.id, 2)] });
      const mark = await store.reuse.signatureCursor();
      expect(mark).toBeGreaterThan(0);
      await write(store, { articles: [arts[2]!], signatures: [sig(arts[2]!.id, 3)] });
      // re-signed (a new version): it is written again, after the others
      await write(store, { articles: [], signatures: [sig(arts[1]!.id, 4)] });
      const after = await store.reuse.signaturesWrittenAfter(mark, 10);
      expect(after.signatures.map((x) => [x.article, x.signature[0], x.anchors[0]])).toEqual([
        [arts[2]!.id, 3, 3],
        [arts[1]!.id, 4, 4],
      ]);
      // with their articles' first-stored order: the re-signed one was stored before the other
      expect(after.signatures[1]!.stored).toBeLessThan(after.signatures[0]!.stored);
      expect(after.cursor).toBe(await store.reuse.signatureCursor());
      // paged by the cursor it returns
      const first = await store.reuse.signaturesWrittenAfter(0, 2);
      expect(first.signatures.map((x) => x.signature[0])).toEqual([2, 3]);
      const rest = await store.reuse.signaturesWrittenAfter(first.cursor, 2);
      expect(rest.signatures.map((x) => x.signature[0])).toEqual([4]);
      expect(await store.reuse.signaturesWrittenAfter(rest.cursor, 2)).toEqual({ signatures: [], cursor: rest.cursor });
    });
  });
}

export function runStateRepositoryConformance(name: string, make: () => Promise<Store> | Store): void {
  describe(`StateRepository conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps stage state with its format version', async () => {
      expect(await store.states.get('dedup')).toBeNull();
      await write(store, { articles: [], states: [{ key: 'dedup', formatVersion: 3, data: new Uint8Array([1, 2, 3]) }] });
      const s = await store.states.get('dedup');
      expect(s?.formatVersion).toBe(3);
      expect(Array.from(s!.data)).toEqual([1, 2, 3]);
    });
  });
}

/** Every suite above, on one kind of store. */
export function runAllConformance(name: string, make: () => Promise<Store> | Store, another?: (store: Store) => Promise<Store> | Store): void {
  runStoreConformance(name, make, another);
  runStoryRepositoryConformance(name, make);
  runReuseRepositoryConformance(name, make);
  runStateRepositoryConformance(name, make);
}

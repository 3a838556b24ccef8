import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceRepository } from '../../src/store/sources.js';
import type { NewSource } from '../../src/sources/types.js';

/**
 * The conformance suite every SourceRepository implementation runs (SQLite, PostgreSQL,
 * memory). `make` returns a fresh, empty repository and a function that closes it.
 */
export function runSourceRepositoryConformance(name: string, make: () => Promise<{ repo: SourceRepository; close: () => Promise<void> }>): void {
  describe(`SourceRepository conformance: ${name}`, () => {
    let repo: SourceRepository;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ repo, close } = await make());
    });
    afterEach(async () => {
      await close();
    });

    const feed = (url: string, extra: Partial<NewSource> = {}): NewSource => ({
      url,
      siteUrl: null,
      title: null,
      kind: 'feed',
      format: null,
      intervalSeconds: 900,
      allowPrivate: false,
      follow: 'auto',
      addedAt: '2026-12-01T10:00:00.000Z',
      ...extra,
    });

    it('adds a list in one transaction: all of it, or none when one fails', async () => {
      const known = await repo.add(feed('https://a.example/feed.xml'));
      const added = await repo.addAll([feed('https://b.example/feed.xml'), feed('https://a.example/feed.xml'), feed('https://c.example/feed.xml')]);
      expect(added.map((r) => [r.source.url, r.created])).toEqual([
        ['https://b.example/feed.xml', true],
        ['https://a.example/feed.xml', false],
        ['https://c.example/feed.xml', true],
      ]);
      expect(added[1]!.source.id).toBe(known.source.id);
      // the third entry cannot be read: the two before it must not stay
      const broken = Object.defineProperty(feed('https://f.example/feed.xml'), 'url', {
        get: () => {
          throw new Error('unreadable entry');
        },
      });
      await expect(repo.addAll([feed('https://d.example/feed.xml'), feed('https://e.example/feed.xml'), broken])).rejects.toThrow('unreadable entry');
      expect((await repo.list()).map((s) => s.url)).toEqual(['https://a.example/feed.xml', 'https://b.example/feed.xml', 'https://c.example/feed.xml']);
      // a later add goes on (PostgreSQL's sequences may leave a gap in the ids: never a repeat)
      const next = await repo.add(feed('https://g.example/feed.xml'));
      expect(next.source.id).toBeGreaterThan(added[2]!.source.id);
    });

    it('adds a source once per URL and reads it back with empty health', async () => {
      const a = await repo.add(feed('https://a.example/feed.xml', { title: 'A', format: 'rss' }));
      expect(a.created).toBe(true);
      expect(a.source).toMatchObject({ url: 'https://a.example/feed.xml', title: 'A', kind: 'feed', format: 'rss', intervalSeconds: 900, follow: 'auto', allowPrivate: false });
      expect(a.source).toMatchObject({
        etag: null,
        lastModified: null,
        lastFetchAt: null,
        lastStatus: null,
        lastError: null,
        consecutiveFailures: 0,
        articles: 0,
        nextDueAt: '2026-12-01T10:00:00.000Z',
      });
      const again = await repo.add(feed('https://a.example/feed.xml', { title: 'other' }));
      expect(again).toEqual({ source: a.source, created: false });
      const site = await repo.add(feed('https://b.example/rss', { kind: 'site', siteUrl: 'https://b.example/', allowPrivate: true, follow: 'always' }));
      expect((await repo.list()).map((s) => s.id)).toEqual([a.source.id, site.source.id]);
      expect(await repo.find(a.source.id)).toEqual(a.source);
      expect((await repo.find('https://b.example/'))?.id).toBe(site.source.id);
      expect((await repo.find('https://b.example/rss'))?.follow).toBe('always');
      expect(await repo.find('https://nowhere.example/')).toBeNull();
      expect(await repo.find(999_999)).toBeNull();
    });

    it('records polls: success resets failures and keeps validators, failure counts and keeps the old ones', async () => {
      const { source } = await repo.add(feed('https://a.example/feed.xml'));
      await repo.recordPoll(source.id, {
        fetchedAt: '2026-12-01T10:01:00.000Z',
        status: 200,
        error: null,
        nextDueAt: '2026-12-01T10:16:00.000Z',
        etag: '"v1"',
        lastModified: 'Tue, 01 Dec 2026 09:00:00 GMT',
        title: 'Feed A',
        format: 'atom',
      });
      let s = (await repo.find(source.id))!;
      expect(s).toMatchObject({
        lastStatus: 200,
        lastError: null,
        consecutiveFailures: 0,
        etag: '"v1"',
        lastModified: 'Tue, 01 Dec 2026 09:00:00 GMT',
        title: 'Feed A',
        format: 'atom',
        nextDueAt: '2026-12-01T10:16:00.000Z',
      });
      await repo.recordPoll(source.id, { fetchedAt: '2026-12-01T10:16:00.000Z', status: 500, error: 'HTTP 500', nextDueAt: '2026-12-01T10:31:00.000Z' });
      await repo.recordPoll(source.id, { fetchedAt: '2026-12-01T10:31:00.000Z', status: null, error: 'timeout', nextDueAt: '2026-12-01T11:01:00.000Z' });
      s = (await repo.find(source.id))!;
      expect(s).toMatchObject({ lastStatus: null, lastError: 'timeout', consecutiveFailures: 2, etag: '"v1"', title: 'Feed A', format: 'atom', lastFetchAt: '2026-12-01T10:31:00.000Z' });
      await repo.recordPoll(source.id, { fetchedAt: '2026-12-01T11:01:00.000Z', status: 200, error: null, nextDueAt: '2026-12-01T11:16:00.000Z', etag: null, lastModified: null });
      s = (await repo.find(source.id))!;
      expect(s).toMatchObject({ consecutiveFailures: 0, lastError: null, etag: null, lastModified: null });
      // a source removed while its poll was under way: the record is dropped
      await repo.recordPoll(424_242, { fetchedAt: '2026-12-01T11:01:00.000Z', status: 200, error: null, nextDueAt: '2026-12-01T11:16:00.000Z' });
    });

    it('lists due sources earliest first, and the next due time', async () => {
      const a = (await repo.add(feed('https://a.example/1'))).source;
      const b = (await repo.add(feed('https://a.example/2'))).source;
      const c = (await repo.add(feed('https://a.example/3'))).source;
      await repo.recordPoll(a.id, { fetchedAt: '2026-12-01T10:00:00.000Z', status: 200, error: null, nextDueAt: '2026-12-01T10:30:00.000Z' });
      await repo.recordPoll(b.id, { fetchedAt: '2026-12-01T10:00:00.000Z', status: 200, error: null, nextDueAt: '2026-12-01T10:10:00.000Z' });
      await repo.recordPoll(c.id, { fetchedAt: '2026-12-01T10:00:00.000Z', status: 200, error: null, nextDueAt: '2026-12-01T12:00:00.000Z' });
      expect((await repo.due('2026-12-01T10:30:00.000Z')).map((s) => s.id)).toEqual([b.id, a.id]);
      expect(await repo.due('2026-12-01T10:00:00.000Z')).toEqual([]);
      expect(await repo.nextDue()).toBe('2026-12-01T10:10:00.000Z');
    });

    it('remembers items seen (first write wins) and counts the articles stored, per day', async () => {
      const { source } = await repo.add(feed('https://a.example/feed.xml'));
      const other = (await repo.add(feed('https://b.example/feed.xml'))).source;
      await repo.markSeen(source.id, [
        { key: 'guid:1', articleId: 'a0000000000000001', status: 'page', error: null, seenAt: '2026-11-30T08:00:00.000Z' },
        { key: 'guid:2', articleId: 'a0000000000000002', status: 'summary', error: 'page: HTTP 404', seenAt: '2026-12-01T08:00:00.000Z' },
        { key: 'guid:3', articleId: null, status: 'failed', error: 'no text', seenAt: '2026-12-01T09:00:00.000Z' },
      ]);
      await repo.markSeen(source.id, [{ key: 'guid:1', articleId: null, status: 'failed', error: 'later', seenAt: '2026-12-01T10:00:00.000Z' }]);
      expect(await repo.seenKeys(source.id, ['guid:1', 'guid:3', 'guid:4'])).toEqual(new Set(['guid:1', 'guid:3']));
      expect(await repo.seenKeys(other.id, ['guid:1'])).toEqual(new Set());
      expect((await repo.find(source.id))!.articles).toBe(2);
      expect(await repo.articlesPerDay(source.id, 3, '2026-12-01')).toEqual([
        { day: '2026-11-29', articles: 0 },
        { day: '2026-11-30', articles: 1 },
        { day: '2026-12-01', articles: 1 },
      ]);
      expect((await repo.itemErrors(source.id, 10)).map((e) => [e.key, e.status, e.error])).toEqual([
        ['guid:3', 'failed', 'no text'],
        ['guid:2', 'summary', 'page: HTTP 404'],
      ]);
    });

    it('removes a source with its seen items; others stay', async () => {
      const a = (await repo.add(feed('https://a.example/feed.xml'))).source;
      const b = (await repo.add(feed('https://b.example/feed.xml'))).source;
      await repo.markSeen(a.id, [{ key: 'k', articleId: 'a0000000000000001', status: 'feed', error: null, seenAt: '2026-12-01T08:00:00.000Z' }]);
      expect(await repo.remove(a.id)).toBe(true);
      expect(await repo.remove(a.id)).toBe(false);
      expect((await repo.list()).map((s) => s.id)).toEqual([b.id]);
      // re-added, it starts afresh: its items are new again
      const again = (await repo.add(feed('https://a.example/feed.xml'))).source;
      expect(await repo.seenKeys(again.id, ['k'])).toEqual(new Set());
      await repo.markSeen(a.id, [{ key: 'x', articleId: null, status: 'failed', error: 'gone', seenAt: '2026-12-01T08:00:00.000Z' }]);
    });
  });
}

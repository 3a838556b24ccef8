import type { NewSource, PollRecord, SeenItem, Source } from '../../domain/source.js';
import type { SourceRepository } from '../sources.js';
import type { MemoryDb } from './db.js';

type SourceRecord = Omit<Source, 'articles'>;

interface ItemRecord {
  readonly key: string;
  readonly articleId: string | null;
  readonly status: string;
  readonly error: string | null;
  readonly seenAt: string;
}

/** The memory SourceRepository: statement for statement ../sqlite/sources.ts, over maps. */
export class MemorySourceRepository implements SourceRepository {
  private readonly sources = new Map<number, SourceRecord>();
  private readonly items = new Map<number, Map<string, ItemRecord>>();
  private nextId = 0;

  /** `write`: runs a change as the store's only writer, in a transaction */
  constructor(
    private readonly db: MemoryDb,
    private readonly write: <T>(fn: () => T) => Promise<T>,
  ) {}

  private toSource(r: SourceRecord): Source {
    let articles = 0;
    for (const it of this.items.get(r.id)?.values() ?? []) if (it.articleId !== null) articles++;
    return { ...r, articles };
  }

  add(s: NewSource): Promise<{ source: Source; created: boolean }> {
    return this.write(() => this.insert(s));
  }

  addAll(list: readonly NewSource[]): Promise<Array<{ source: Source; created: boolean }>> {
    return this.write(() => list.map((s) => this.insert(s)));
  }

  private insert(s: NewSource): { source: Source; created: boolean } {
    for (const r of this.sources.values()) if (r.url === s.url) return { source: this.toSource(r), created: false };
    const id = ++this.nextId;
    this.db.undo(() => this.nextId--);
    const r: SourceRecord = {
      id,
      url: s.url,
      siteUrl: s.siteUrl,
      title: s.title,
      kind: s.kind,
      format: s.format,
      intervalSeconds: s.intervalSeconds,
      allowPrivate: s.allowPrivate,
      follow: s.follow,
      addedAt: s.addedAt,
      etag: null,
      lastModified: null,
      lastFetchAt: null,
      lastStatus: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: s.addedAt,
    };
    this.db.set(this.sources, id, r);
    this.db.set(this.items, id, new Map());
    return { source: this.toSource(r), created: true };
  }

  private sorted(): SourceRecord[] {
    return [...this.sources.values()].sort((x, y) => x.id - y.id);
  }

  find(idOrUrl: number | string): Promise<Source | null> {
    return this.db.read(() => {
      const r = typeof idOrUrl === 'number' ? this.sources.get(idOrUrl) : this.sorted().find((s) => s.url === idOrUrl || s.siteUrl === idOrUrl);
      return r ? this.toSource(r) : null;
    });
  }

  list(): Promise<Source[]> {
    return this.db.read(() => this.sorted().map((r) => this.toSource(r)));
  }

  due(now: string): Promise<Source[]> {
    return this.db.read(() =>
      this.sorted()
        .filter((r) => r.nextDueAt <= now)
        .sort((x, y) => (x.nextDueAt < y.nextDueAt ? -1 : x.nextDueAt > y.nextDueAt ? 1 : x.id - y.id))
        .map((r) => this.toSource(r)),
    );
  }

  nextDue(): Promise<string | null> {
    return this.db.read(() => {
      let t: string | null = null;
      for (const r of this.sources.values()) if (t === null || r.nextDueAt < t) t = r.nextDueAt;
      return t;
    });
  }

  remove(id: number): Promise<boolean> {
    return this.write(() => {
      this.db.delete(this.items, id);
      return this.db.delete(this.sources, id);
    });
  }

  recordPoll(id: number, r: PollRecord): Promise<void> {
    return this.write(() => {
      const s = this.sources.get(id);
      if (!s) return;
      this.db.set(this.sources, id, {
        ...s,
        lastFetchAt: r.fetchedAt,
        lastStatus: r.status,
        lastError: r.error,
        nextDueAt: r.nextDueAt,
        consecutiveFailures: r.error !== null ? s.consecutiveFailures + 1 : 0,
        etag: r.etag !== undefined ? r.etag : s.etag,
        lastModified: r.lastModified !== undefined ? r.lastModified : s.lastModified,
        title: r.title ?? s.title,
        format: r.format ?? s.format,
      });
    });
  }

  seenKeys(id: number, keys: readonly string[]): Promise<Set<string>> {
    return this.db.read(() => {
      const items = this.items.get(id);
      return new Set(keys.filter((k) => items?.has(k)));
    });
  }

  markSeen(id: number, items: readonly SeenItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.write(() => {
      const seen = this.items.get(id);
      if (!seen) return;
      for (const it of items) if (!seen.has(it.key)) this.db.set(seen, it.key, { key: it.key, articleId: it.articleId, status: it.status, error: it.error, seenAt: it.seenAt });
    });
  }

  articlesPerDay(id: number, days: number, today: string): Promise<Array<{ day: string; articles: number }>> {
    const end = Date.parse(`${today}T00:00:00Z`);
    const list: Array<{ day: string; articles: number }> = [];
    for (let i = days - 1; i >= 0; i--) list.push({ day: new Date(end - i * 86_400_000).toISOString().slice(0, 10), articles: 0 });
    if (list.length === 0) return Promise.resolve(list);
    return this.db.read(() => {
      const [from, to] = [list[0]!.day, new Date(end + 86_400_000).toISOString().slice(0, 10)];
      const at = new Map(list.map((d, i) => [d.day, i]));
      for (const it of this.items.get(id)?.values() ?? []) {
        if (it.articleId === null || it.seenAt < from || it.seenAt >= to) continue;
        const i = at.get(it.seenAt.slice(0, 10));
        if (i !== undefined) list[i] = { day: list[i]!.day, articles: list[i]!.articles + 1 };
      }
      return list;
    });
  }

  itemErrors(id: number, limit: number): Promise<Array<{ key: string; status: string; error: string; seenAt: string }>> {
    return this.db.read(() =>
      [...(this.items.get(id)?.values() ?? [])]
        .filter((it): it is ItemRecord & { error: string } => it.error !== null)
        .sort((x, y) => (x.seenAt > y.seenAt ? -1 : x.seenAt < y.seenAt ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
        .slice(0, Math.max(0, limit))
        .map((it) => ({ key: it.key, status: it.status, error: it.error, seenAt: it.seenAt })),
    );
  }
}

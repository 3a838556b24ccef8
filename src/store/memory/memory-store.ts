import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId } from '../../domain/ids.js';
import { createError } from '../../errors.js';
import { identityKey } from '../../domain/identity.js';
import type { ArticleQuery, ArticleSummary, IdentityMatch, PutOutcome, PutStatus, SearchHit, Store, UnitOfWork } from '../store.js';
import { type ArticleRecord, MemoryDb } from './db.js';
import { queryTerms, score, snippetOf } from './search.js';
import { MemoryStoryRepository } from './stories.js';
import { MemoryReuseRepository } from './reuse.js';
import { MemoryStateRepository } from './states.js';
import { MemorySourceRepository } from './sources.js';

/** An article as the SQL stores return it: the stored fields only, metadata as parsed JSON. */
function stored(a: Article, version: number): Article {
  return {
    id: a.id,
    version,
    url: a.url,
    externalId: a.externalId,
    title: a.title,
    text: a.text,
    sentences: a.sentences.map((s) => ({ start: s.start, end: s.end })),
    meta: JSON.parse(JSON.stringify(a.meta)) as Article['meta'],
    fetchedAt: a.fetchedAt,
    contentHash: a.contentHash,
    source: a.source,
  };
}

export interface MemoryStoreOptions {
  /**
   * Keep the articles and signatures written as they are given, not copies of them. For a
   * one-off run over files whose one writer (the engine) never changes what it has written:
   * copying reads every field of every article, and a lean article (ingest/lean.ts) reads
   * its title, date and credits from its text when asked, which `parallax dupes` needs for
   * the related articles only (on 21,000 articles, the copies and those reads were a fifth of
   * the command's CPU time). Readers get what was written, so they must not change it either.
   */
  readonly asGiven?: boolean;
}

/** The article given, under its version (as given when it has it already: a new article is version 1). */
function withVersion(a: Article, version: number): Article {
  // a lean article's fields are getters on its prototype: a spread would read them, Object.create keeps them lazy
  return a.version === version ? a : (Object.create(a, { version: { value: version, enumerable: true } }) as Article);
}

/**
 * The in-memory store: the article store and every repository over plain maps, with
 * transactions (a journal of undos) and the same answers as the SQL stores (it runs their
 * conformance suites). For the commands that read files and keep nothing (`cluster`, `dupes`,
 * `compare` without --db) and for tests. One process, one writer: `exclusive` only queues.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  private readonly db = new MemoryDb();
  readonly stories: MemoryStoryRepository;
  readonly reuse: MemoryReuseRepository;
  readonly states: MemoryStateRepository;
  readonly sources: MemorySourceRepository;
  private lockQueue: Promise<unknown> = Promise.resolve();
  private held = false;
  private first = true;
  private readonly asGiven: boolean;

  constructor(options: MemoryStoreOptions = {}) {
    this.asGiven = options.asGiven === true;
    this.stories = new MemoryStoryRepository(this.db, (id) => this.summaryOf(this.db.articles.get(id)!));
    this.reuse = new MemoryReuseRepository(this.db, this.asGiven);
    this.states = new MemoryStateRepository(this.db);
    this.sources = new MemorySourceRepository(this.db, (fn) => this.exclusive(() => Promise.resolve(fn())));
  }

  static open(options: MemoryStoreOptions = {}): MemoryStore {
    return new MemoryStore(options);
  }

  private check(): void {
    if (this.db.closed) throw createError('DB_FAILED', 'store: the memory store is closed', { subject: 'memory' });
  }

  exclusive<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    const run = this.lockQueue.then(async () => {
      this.check();
      // no other writer can reach it: only the first hold is told others may have written
      const others = this.first;
      this.first = false;
      this.held = true;
      try {
        return await this.db.transaction(() => fn(others));
      } finally {
        this.held = false;
      }
    });
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  transaction<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    if (this.held) return this.db.transaction(fn);
    const run = this.lockQueue.then(() => {
      this.check();
      return this.db.transaction(fn);
    });
    this.lockQueue = run.catch(() => undefined);
    return run;
  }

  private statusOf(a: Article): { status: PutStatus; version: number } {
    const r = this.db.articles.get(a.id);
    if (!r) return { status: 'new', version: 1 };
    if (r.article.contentHash === a.contentHash) return { status: 'unchanged', version: r.article.version };
    return { status: 'updated', version: r.article.version + 1 };
  }

  put(tx: UnitOfWork, articles: readonly Article[]): Promise<PutOutcome[]> {
    const db = this.db;
    return db.write(tx, () => {
      // encoded as the SQL stores encode them first, so a bad article fails the batch as there
      const rows = articles.map((a) => ({ a, key: identityKey(a), copy: this.asGiven ? null : stored(a, 0) }));
      for (const { a } of rows)
        for (const s of a.sentences)
          if (s.start < 0 || s.end > a.text.length || s.start > s.end) throw createError('DB_INCOMPATIBLE', `store: article ${a.id} has a sentence offset out of range`, { subject: a.id });
      const out: PutOutcome[] = [];
      for (const { a, key, copy } of rows) {
        const { status, version } = this.statusOf(a);
        const article = copy ? { ...copy, version } : withVersion(a, version);
        if (status === 'new') {
          const record: ArticleRecord = { seq: db.order.length + 1, article, identityKey: key, older: [] };
          db.set(db.articles, a.id, record);
          db.order.push(a.id);
          db.undo(() => db.order.pop());
          this.index(key, a.id, true);
        } else if (status === 'updated') {
          const r = db.articles.get(a.id)!;
          const [before, beforeKey] = [r.article, r.identityKey];
          r.older.push(before);
          r.article = article;
          if (key !== beforeKey) {
            this.index(beforeKey, a.id, false);
            this.index(key, a.id, true);
          }
          r.identityKey = key;
          db.undo(() => {
            r.older.pop();
            r.article = before;
            r.identityKey = beforeKey;
          });
        }
        out.push({ id: a.id, status, version, source: a.source });
      }
      return out;
    });
  }

  /** Adds or removes an article under an identity key, keeping the ids in first-stored order. */
  private index(key: string, id: string, add: boolean): void {
    const before = this.db.byIdentity.get(key) ?? [];
    const seq = (x: string): number => this.db.articles.get(x)!.seq;
    const after = add ? [...before, id].sort((x, y) => seq(x) - seq(y)) : before.filter((x) => x !== id);
    this.db.set(this.db.byIdentity, key, after);
  }

  classify(articles: readonly Article[]): Promise<PutStatus[]> {
    return this.db.read(() => articles.map((a) => this.statusOf(a).status));
  }

  identityMatches(keys: readonly string[]): Promise<IdentityMatch[]> {
    return this.db.read(() => {
      const out: IdentityMatch[] = [];
      for (const key of new Set(keys)) {
        for (const id of this.db.byIdentity.get(key) ?? []) {
          const r = this.db.articles.get(id)!;
          out.push({ key, id: id as ArticleId, version: r.article.version, title: r.article.title, texts: [...r.older.map((v) => v.text), r.article.text] });
        }
      }
      return out;
    });
  }

  getArticle(id: ArticleId): Promise<Article | null> {
    return this.db.read(() => this.db.articles.get(id)?.article ?? null);
  }

  getArticles(ids: readonly ArticleId[]): Promise<Article[]> {
    return this.db.read(() => ids.map((id) => this.db.articles.get(id)?.article).filter((a): a is Article => a !== undefined));
  }

  articlesStoredAfter(after: ArticleId | null, limit: number, options: { readonly firstVersions?: boolean } = {}): Promise<Article[]> {
    return this.db.read(() => {
      let seq = 0;
      if (after !== null) {
        const r = this.db.articles.get(after);
        if (!r) throw createError('DB_INCOMPATIBLE', `store: article ${after} is not stored (a stage state refers to it)`, { subject: after });
        seq = r.seq;
      }
      return this.db.order.slice(seq, seq + Math.max(0, Math.floor(limit))).map((id) => {
        const r = this.db.articles.get(id)!;
        const first = r.older[0];
        if (!options.firstVersions || !first) return r.article;
        // url and external id are the current ones, as the SQL stores keep them
        return { ...first, url: r.article.url, externalId: r.article.externalId, version: 1 };
      });
    });
  }

  getVersions(id: ArticleId): Promise<ArticleVersion[]> {
    return this.db.read(() => {
      const r = this.db.articles.get(id);
      if (!r) return [];
      return [...r.older, r.article].map((v): ArticleVersion => ({
        id,
        version: v.version,
        contentHash: v.contentHash,
        title: v.title,
        text: v.text,
        fetchedAt: v.fetchedAt,
        published: v.meta.published?.value ?? null,
        source: v.source,
      }));
    });
  }

  private summaryOf(r: ArticleRecord): ArticleSummary {
    const a = r.article;
    return {
      id: a.id,
      version: a.version,
      title: a.title,
      url: a.url,
      externalId: a.externalId,
      outlet: a.meta.outlet?.value ?? null,
      published: a.meta.published?.value ?? null,
      language: a.meta.language.value,
      fetchedAt: a.fetchedAt,
      sentenceCount: a.sentences.length,
      source: a.source,
      story: this.stories.storyOfNow(a.id),
    };
  }

  listArticles(query: ArticleQuery): Promise<{ items: ArticleSummary[]; total: number }> {
    return this.db.read(() => {
      const outlet = query.outlet?.toLowerCase();
      const rows = [...this.db.articles.values()].filter((r) => {
        const m = r.article.meta;
        const published = m.published?.value ?? null;
        if (outlet !== undefined && m.outlet?.value.toLowerCase() !== outlet) return false;
        if (query.since !== undefined && (published === null || published < query.since)) return false;
        if (query.until !== undefined && (published === null || published >= query.until)) return false;
        if (query.language !== undefined && m.language.value !== query.language) return false;
        return true;
      });
      // newest publication first, the undated last; then the last stored first
      const pub = (r: ArticleRecord): string | null => r.article.meta.published?.value ?? null;
      rows.sort((x, y) => {
        const [px, py] = [pub(x), pub(y)];
        if ((px === null) !== (py === null)) return px === null ? 1 : -1;
        if (px !== py) return px! < py! ? 1 : -1;
        return y.seq - x.seq;
      });
      const offset = query.offset ?? 0;
      return { items: rows.slice(offset, offset + query.limit).map((r) => this.summaryOf(r)), total: rows.length };
    });
  }

  /** Articles matching the words, best first (ties in stored order), with their scores. */
  private matching(text: string): { terms: string[]; hits: { r: ArticleRecord; n: number }[] } | null {
    const terms = queryTerms(text);
    if (terms === null) return null;
    const hits: { r: ArticleRecord; n: number }[] = [];
    for (const r of this.db.articles.values()) {
      const n = score(terms, r.article.title, r.article.text);
      if (n > 0) hits.push({ r, n });
    }
    hits.sort((x, y) => y.n - x.n || x.r.seq - y.r.seq);
    return { terms, hits };
  }

  search(text: string, options: { limit: number; offset?: number }): Promise<SearchHit[]> {
    return this.db.read(() => {
      const found = this.matching(text);
      if (!found) return [];
      const offset = options.offset ?? 0;
      return found.hits.slice(offset, offset + options.limit).map(({ r, n }) => ({ ...this.summaryOf(r), ...snippetOf(found.terms, r.article.text), rank: -n }));
    });
  }

  countMatches(text: string): Promise<number> {
    return this.db.read(() => this.matching(text)?.hits.length ?? 0);
  }

  countArticles(): Promise<number> {
    return this.db.read(() => this.db.articles.size);
  }

  changeToken(): Promise<string> {
    return this.db.read(() => String(this.db.commits));
  }

  async close(): Promise<void> {
    await this.lockQueue;
    this.db.closed = true;
  }
}

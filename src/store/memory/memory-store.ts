import type { Article, ArticleVersion } from '../../domain/article.js';
import type { ArticleId, StoryId } from '../../domain/ids.js';
import { identityKey } from '../../domain/identity.js';
import type { ReuseLink } from '../../domain/reuse.js';
import { createError } from '../../errors.js';
import type {
  ArticleQuery,
  ArticleSummary,
  IdentityMatch,
  PutOutcome,
  PutStatus,
  SearchHit,
  StageState,
  Store,
  StoredSignature,
  StoryQuery,
  StorySummary,
  WriteBatch,
} from '../store.js';

/**
 * A store in memory, for the commands that run the pipeline over files without a database
 * (`parallax cluster`, `dupes`, `compare` on files): what the engine and the stages read and
 * write, held in maps for one process. Nothing is kept. It answers what those commands ask;
 * the listing and searching a server needs (search, stories) are refused (USAGE). Articles
 * are held as given (a lean article keeps its lazy fields).
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  /** every version of each article, oldest first, in first-stored order */
  private readonly articles = new Map<ArticleId, Article[]>();
  private readonly byKey = new Map<string, ArticleId[]>();
  private readonly states = new Map<string, StageState>();
  private readonly storyOfArticle = new Map<ArticleId, StoryId>();
  private readonly storyLabels = new Map<StoryId, string>();
  private readonly signatures = new Map<ArticleId, StoredSignature & { written: number }>();
  private written = 0;
  private links: ReuseLink[] = [];
  private commits = 0;
  private held = false;
  private lock: Promise<unknown> = Promise.resolve();

  async write(batch: WriteBatch): Promise<PutOutcome[]> {
    const outcomes: PutOutcome[] = [];
    for (const a of batch.articles) {
      const versions = this.articles.get(a.id);
      if (!versions) {
        this.articles.set(a.id, [a.version === 1 ? a : withVersion(a, 1)]);
        const key = identityKey(a);
        const ids = this.byKey.get(key);
        if (ids) ids.push(a.id);
        else this.byKey.set(key, [a.id]);
        outcomes.push({ id: a.id, status: 'new', version: 1, source: a.source });
        continue;
      }
      const last = versions[versions.length - 1]!;
      if (last.contentHash === a.contentHash) {
        outcomes.push({ id: a.id, status: 'unchanged', version: last.version, source: a.source });
        continue;
      }
      const version = last.version + 1;
      versions.push(withVersion(a, version));
      outcomes.push({ id: a.id, status: 'updated', version, source: a.source });
    }
    for (const s of batch.states ?? []) this.states.set(s.key, s);
    for (const s of batch.stories ?? []) this.storyLabels.set(s.id, s.label);
    for (const m of batch.memberships ?? []) this.storyOfArticle.set(m.article, m.story);
    for (const m of batch.storyMerges ?? []) {
      for (const [article, story] of this.storyOfArticle) if (story === m.from) this.storyOfArticle.set(article, m.into);
      this.storyLabels.delete(m.from);
    }
    if ((batch.relinked ?? []).length > 0) {
      const relinked = new Set<string>(batch.relinked);
      this.links = this.links.filter((l) => !relinked.has(l.a) && !relinked.has(l.b));
    }
    for (const s of batch.signatures ?? []) {
      // a replaced signature moves to the end, as it was written last
      this.signatures.delete(s.article);
      this.signatures.set(s.article, { article: s.article, params: s.params, signature: s.signature, anchors: s.anchors, written: ++this.written });
    }
    this.links.push(...(batch.reuseLinks ?? []));
    this.commits++;
    return outcomes;
  }

  async exclusive<T>(fn: (othersWrote: boolean) => Promise<T>): Promise<T> {
    // one process, one writer: calls run one after another; the first sees "others wrote"
    // (nothing is known yet), as with a store opened afresh
    const run = this.lock.then(() => {
      const first = !this.held;
      this.held = true;
      return fn(first);
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  async identityMatches(keys: readonly string[]): Promise<IdentityMatch[]> {
    const out: IdentityMatch[] = [];
    for (const key of new Set(keys)) {
      for (const id of this.byKey.get(key) ?? []) {
        const versions = this.articles.get(id)!;
        const last = versions[versions.length - 1]!;
        out.push({ key, id, version: last.version, title: last.title, texts: versions.map((v) => v.text) });
      }
    }
    return out;
  }

  async classify(articles: readonly Article[]): Promise<PutStatus[]> {
    return articles.map((a) => {
      const versions = this.articles.get(a.id);
      if (!versions) return 'new';
      return versions[versions.length - 1]!.contentHash === a.contentHash ? 'unchanged' : 'updated';
    });
  }

  async getArticle(id: ArticleId): Promise<Article | null> {
    const versions = this.articles.get(id);
    return versions ? versions[versions.length - 1]! : null;
  }

  async getArticles(ids: readonly ArticleId[]): Promise<Article[]> {
    const out: Article[] = [];
    for (const id of ids) {
      const versions = this.articles.get(id);
      if (versions) out.push(versions[versions.length - 1]!);
    }
    return out;
  }

  async articlesStoredAfter(after: ArticleId | null, limit: number, options: { readonly firstVersions?: boolean } = {}): Promise<Article[]> {
    const ids = [...this.articles.keys()];
    const start = after === null ? 0 : ids.indexOf(after) + 1;
    if (after !== null && start === 0) throw createError('DB_INCOMPATIBLE', `the store holds no article ${after}`, { subject: after });
    return ids.slice(start, start + limit).map((id) => {
      const versions = this.articles.get(id)!;
      return options.firstVersions ? versions[0]! : versions[versions.length - 1]!;
    });
  }

  async getVersions(id: ArticleId): Promise<ArticleVersion[]> {
    return (this.articles.get(id) ?? []).map((a) => ({ id: a.id, version: a.version, contentHash: a.contentHash, title: a.title, text: a.text, fetchedAt: a.fetchedAt, published: a.meta.published?.value ?? null, source: a.source }));
  }

  async listArticles(query: ArticleQuery): Promise<{ items: ArticleSummary[]; total: number }> {
    const all = [...this.articles.values()].map((v) => v[v.length - 1]!);
    const offset = query.offset ?? 0;
    return { items: all.slice(offset, offset + query.limit).map((a) => this.summary(a)), total: all.length };
  }

  search(): Promise<SearchHit[]> {
    return Promise.reject(unsupported('search'));
  }

  countMatches(): Promise<number> {
    return Promise.reject(unsupported('search'));
  }

  async countArticles(): Promise<number> {
    return this.articles.size;
  }

  async changeToken(): Promise<string> {
    return String(this.commits);
  }

  async getState(key: string): Promise<StageState | null> {
    return this.states.get(key) ?? null;
  }

  listStories(_query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return Promise.reject(unsupported('listing stories'));
  }

  getStory(_id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return Promise.reject(unsupported('story summaries'));
  }

  async storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.storyOfArticle.get(article) ?? null;
  }

  async loadSignatures(): Promise<StoredSignature[]> {
    const order = new Map([...this.articles.keys()].map((id, i) => [id, i]));
    return [...this.signatures.values()].sort((a, b) => (order.get(a.article) ?? -1) - (order.get(b.article) ?? -1)).map(({ written: _, ...s }) => s);
  }

  async signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    const order = new Map([...this.articles.keys()].map((id, i) => [id, i]));
    const page = [...this.signatures.values()].filter((s) => s.written > cursor).slice(0, limit);
    return { signatures: page.map(({ written: _, ...s }) => ({ ...s, stored: order.get(s.article) ?? -1 })), cursor: page.length > 0 ? page[page.length - 1]!.written : cursor };
  }

  async signatureCursor(): Promise<number> {
    return this.written;
  }

  async reuseLinksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.links.filter((l) => l.a === article || l.b === article);
  }

  async reuseLinksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    const set = new Set<string>(articles);
    return this.links.filter((l) => set.has(l.a) && set.has(l.b));
  }

  /** In the order they were found. */
  async listReuseLinks(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    const offset = query.offset ?? 0;
    return { items: this.links.slice(offset, offset + query.limit), total: this.links.length };
  }

  async close(): Promise<void> {}

  private summary(a: Article): ArticleSummary {
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
      story: this.storyOfArticle.get(a.id) ?? null,
    };
  }
}

/** The article as version `version`; one whose fields are read lazily (a lean article) keeps them so. */
function withVersion(a: Article, version: number): Article {
  return Object.getPrototypeOf(a) === Object.prototype ? { ...a, version } : (Object.create(a, { version: { value: version, enumerable: true } }) as Article);
}

function unsupported(what: string): Error {
  return createError('USAGE', `the in-memory store of a command over files does not support ${what}`, { subject: 'memory' });
}

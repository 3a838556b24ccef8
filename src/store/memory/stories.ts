import { bestLabel } from '../../domain/headline.js';
import type { ArticleId, StoryId } from '../../domain/ids.js';
import type { ArticleSummary, UnitOfWork } from '../store.js';
import type { StoryChanges, StoryQuery, StoryRepository, StorySummary } from '../stories.js';
import { LISTED_ARTICLES } from '../sqlite/stories.js';
import type { ArticleRecord, MemoryDb } from './db.js';
import { queryTerms, score } from './search.js';

interface StoryRecord {
  readonly id: string;
  label: string;
  readonly createdSeq: number;
  size: number;
  outletCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Articles read from each end of a large story to choose its label (as the SQLite store). */
const LABEL_SAMPLE = 150;

const published = (r: ArticleRecord): string | null => r.article.meta.published?.value ?? null;

/** The memory StoryRepository: statement for statement ../sqlite/stories.ts, over maps. */
export class MemoryStoryRepository implements StoryRepository {
  private readonly stories = new Map<string, StoryRecord>();
  /** article id -> story id and similarity */
  private readonly members = new Map<string, { story: string; similarity: number }>();
  /** story id -> its article ids */
  private readonly byStory = new Map<string, Set<string>>();
  private createdSeq = 0;

  constructor(
    private readonly db: MemoryDb,
    private readonly summaryOf: (id: string) => ArticleSummary,
  ) {}

  private join(article: string, story: string, similarity: number): void {
    const db = this.db;
    const before = this.members.get(article);
    if (before) this.leave(article, before.story);
    db.set(this.members, article, { story, similarity });
    let set = this.byStory.get(story);
    if (!set) db.set(this.byStory, story, (set = new Set()));
    const s = set;
    s.add(article);
    db.undo(() => s.delete(article));
  }

  private leave(article: string, story: string): void {
    const set = this.byStory.get(story);
    if (set?.delete(article)) this.db.undo(() => set.add(article));
  }

  /** The stored articles of a story, in the order they were stored. */
  private articlesOf(story: string): ArticleRecord[] {
    const out: ArticleRecord[] = [];
    for (const id of this.byStory.get(story) ?? []) {
      const r = this.db.articles.get(id);
      if (r) out.push(r);
    }
    return out.sort((x, y) => x.seq - y.seq);
  }

  write(tx: UnitOfWork, changes: StoryChanges): Promise<void> {
    const db = this.db;
    return db.write(tx, () => {
      const { stories, memberships, storyMerges } = changes;
      if (stories.length === 0 && memberships.length === 0 && storyMerges.length === 0) return;
      for (const s of stories) {
        const r = this.stories.get(s.id);
        if (r) this.relabel(r, s.label);
        else {
          db.set(this.stories, s.id, { id: s.id, label: s.label, createdSeq: ++this.createdSeq, size: 0, outletCount: 0, firstSeen: null, lastSeen: null });
          db.undo(() => this.createdSeq--);
        }
      }
      for (const m of memberships) this.join(m.article, m.story, m.similarity);
      for (const m of storyMerges) {
        for (const article of [...(this.byStory.get(m.from) ?? [])]) this.join(article, m.into, this.members.get(article)!.similarity);
        db.delete(this.stories, m.from);
      }
      const touched = new Set<string>([...stories.map((s) => s.id), ...memberships.map((m) => m.story), ...storyMerges.map((m) => m.into)]);
      for (const id of touched) {
        const r = this.stories.get(id);
        if (!r) continue;
        const all = this.articlesOf(id);
        const dates = all
          .map(published)
          .filter((p): p is string => p !== null)
          .sort();
        const before = { size: r.size, outletCount: r.outletCount, firstSeen: r.firstSeen, lastSeen: r.lastSeen };
        Object.assign(r, {
          size: all.length,
          outletCount: new Set(all.map((a) => a.article.meta.outlet?.value ?? null).filter((o) => o !== null)).size,
          firstSeen: dates[0] ?? null,
          lastSeen: dates.at(-1) ?? null,
        });
        db.undo(() => Object.assign(r, before));
        // the label follows the story as it grows: the best headline among its first and latest articles
        const sample = all.length <= 2 * LABEL_SAMPLE ? all : [...all.slice(0, LABEL_SAMPLE), ...all.slice(-LABEL_SAMPLE)];
        if (sample.length === 0) continue;
        const label = bestLabel(sample.map((a) => ({ title: a.article.title, lead: a.article.text.slice(0, 400), outlet: a.article.meta.outlet?.value ?? null, fallback: a.article.externalId })));
        if (label !== '') this.relabel(r, label);
      }
    });
  }

  private relabel(r: StoryRecord, label: string): void {
    const before = r.label;
    r.label = label;
    this.db.undo(() => (r.label = before));
  }

  private summarize(r: StoryRecord, sample = Infinity): StorySummary {
    // publication order, the undated after the dated in the order they were stored
    const all = this.articlesOf(r.id).sort((x, y) => {
      const [px, py] = [published(x), published(y)];
      if ((px === null) !== (py === null)) return px === null ? 1 : -1;
      if (px !== py) return px! < py! ? -1 : 1;
      return x.seq - y.seq;
    });
    const list = all.map((a) => ({ id: a.article.id, outlet: a.article.meta.outlet?.value ?? null, published: published(a) }));
    const outlets = [...new Set(list.map((a) => a.outlet).filter((o): o is string => o !== null))];
    const articles = list.length <= sample ? list : Array.from({ length: sample }, (_, i) => list[Math.round((i * (list.length - 1)) / (sample - 1))]!);
    let lastIngested: string | null = null;
    for (const a of all) if (a.article.fetchedAt > (lastIngested ?? '')) lastIngested = a.article.fetchedAt;
    return {
      id: r.id as StoryId,
      label: r.label,
      size: r.size,
      outlets,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      undated: list.filter((a) => a.published === null).length,
      lastIngested,
      articles,
    };
  }

  list(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return this.db.read(() => {
      const terms = query.search !== undefined ? queryTerms(query.search) : null;
      const outlet = query.outlet?.toLowerCase();
      const found = [...this.stories.values()].filter((s) => {
        if (s.size <= 0) return false;
        if (query.search !== undefined && (terms === null || !this.articlesOf(s.id).some((a) => score(terms, a.article.title, a.article.text) > 0))) return false;
        if (outlet !== undefined && !this.articlesOf(s.id).some((a) => a.article.meta.outlet?.value.toLowerCase() === outlet)) return false;
        if (query.since !== undefined && (s.lastSeen === null || s.lastSeen < query.since)) return false;
        if (query.until !== undefined && (s.firstSeen === null || s.firstSeen >= query.until)) return false;
        if (query.minArticles !== undefined && s.size < query.minArticles) return false;
        if (query.minOutlets !== undefined && s.outletCount < query.minOutlets) return false;
        return true;
      });
      // dates descending with the undated last, as the SQL stores' NULLS LAST
      const byLast = (x: StoryRecord, y: StoryRecord): number => {
        if ((x.lastSeen === null) !== (y.lastSeen === null)) return x.lastSeen === null ? 1 : -1;
        return x.lastSeen === y.lastSeen ? 0 : x.lastSeen! < y.lastSeen! ? 1 : -1;
      };
      const created = (x: StoryRecord, y: StoryRecord): number => y.createdSeq - x.createdSeq;
      const sort = query.sort ?? 'newest';
      found.sort((x, y) =>
        sort === 'newest' ? byLast(x, y) || created(x, y) : sort === 'largest' ? y.size - x.size || byLast(x, y) || created(x, y) : y.outletCount - x.outletCount || y.size - x.size || created(x, y),
      );
      const offset = query.offset ?? 0;
      return { items: found.slice(offset, offset + query.limit).map((s) => this.summarize(s, LISTED_ARTICLES)), total: found.length };
    });
  }

  get(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return this.db.read(() => {
      const r = this.stories.get(id);
      if (!r || r.size <= 0) return null;
      const story = this.summarize(r);
      return { ...story, members: story.articles.map((a) => this.summaryOf(a.id)) };
    });
  }

  storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.db.read(() => this.storyOfNow(article));
  }

  /** The story of an article, synchronously (for the article summaries). */
  storyOfNow(article: string): StoryId | null {
    return (this.members.get(article)?.story ?? null) as StoryId | null;
  }
}

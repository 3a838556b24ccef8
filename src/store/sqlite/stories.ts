import type Database from 'better-sqlite3';
import type { ArticleId, StoryId } from '../../domain/ids.js';
import { bestLabel } from '../../domain/headline.js';
import { ftsQuery } from './fts.js';
import type { StoryChanges, StoryMembership, StoryMerge, StoryQuery, StoryRepository, StorySummary, StoryUpsert } from '../stories.js';
import type { ArticleSummary, UnitOfWork } from '../store.js';
import { type SummaryRow, toSummary } from '../rows.js';
import type { SqliteHost } from './host.js';
import { SUMMARY_COLUMNS } from './columns.js';

/** SQL for stories, kept apart from the article store; every function takes the open database. */

export function writeStories(db: Database.Database, stories: readonly StoryUpsert[], members: readonly StoryMembership[], merges: readonly StoryMerge[]): void {
  if (stories.length === 0 && members.length === 0 && merges.length === 0) return;
  const upsert = db.prepare(
    `INSERT INTO stories (id, label, created_seq) VALUES (?, ?, (SELECT coalesce(max(created_seq), 0) + 1 FROM stories))
     ON CONFLICT(id) DO UPDATE SET label = excluded.label`,
  );
  for (const s of stories) upsert.run(s.id, s.label);
  const member = db.prepare(
    `INSERT INTO story_members (article_id, story_id, similarity) VALUES (?, ?, ?)
     ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, similarity = excluded.similarity`,
  );
  for (const m of members) member.run(m.article, m.story, m.similarity);
  const move = db.prepare('UPDATE story_members SET story_id = ? WHERE story_id = ?');
  const drop = db.prepare('DELETE FROM stories WHERE id = ?');
  for (const m of merges) {
    move.run(m.into, m.from);
    drop.run(m.from);
  }
  const touched = new Set<string>([...stories.map((s) => s.id), ...members.map((m) => m.story), ...merges.map((m) => m.into)]);
  const stats = db.prepare(
    `UPDATE stories SET (size, outlet_count, first_seen, last_seen) = (
       SELECT count(*), count(DISTINCT a.outlet), min(a.published), max(a.published)
       FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id)
     WHERE id = ?`,
  );
  for (const id of touched) stats.run(id);
  // the label follows the story as it grows: the best headline among its articles (a large
  // story's first and latest LABEL_SAMPLE, so a batch touching it reads a bounded number)
  const heads = db.prepare(
    `SELECT title, lead, outlet, external_id FROM (
       SELECT * FROM (SELECT a.seq, a.title, substr(a.text, 1, 400) AS lead, a.outlet, a.external_id FROM story_members m JOIN articles a ON a.id = m.article_id
         WHERE m.story_id = @id ORDER BY a.seq LIMIT @n)
       UNION
       SELECT * FROM (SELECT a.seq, a.title, substr(a.text, 1, 400) AS lead, a.outlet, a.external_id FROM story_members m JOIN articles a ON a.id = m.article_id
         WHERE m.story_id = @id ORDER BY a.seq DESC LIMIT @n))
     ORDER BY seq`,
  );
  const relabel = db.prepare('UPDATE stories SET label = ? WHERE id = ? AND label <> ?');
  for (const id of touched) {
    const rows = heads.all({ id, n: LABEL_SAMPLE }) as { title: string | null; lead: string; outlet: string | null; external_id: string | null }[];
    if (rows.length === 0) continue;
    const label = bestLabel(rows.map((r) => ({ title: r.title, lead: r.lead, outlet: r.outlet, fallback: r.external_id })));
    if (label !== '') relabel.run(label, id, label);
  }
}

interface StoryRow {
  id: string;
  label: string;
  size: number;
  first_seen: string | null;
  last_seen: string | null;
}

const ORDER: Record<NonNullable<StoryQuery['sort']>, string> = {
  // first_seen/last_seen are publication dates: stories with no dated article come after
  // the dated ones, most recently created first (ingest time is not a publication date)
  newest: 'last_seen DESC NULLS LAST, created_seq DESC',
  largest: 'size DESC, last_seen DESC NULLS LAST, created_seq DESC',
  outlets: 'outlet_count DESC, size DESC, created_seq DESC',
};

const COLUMNS = 'id, label, size, first_seen, last_seen';

/** Articles read from each end of a large story to choose its label. */
const LABEL_SAMPLE = 150;

/** A story's articles in publication order, the undated after the dated in the order they were stored. */
export const MEMBER_ORDER = 'a.published IS NULL, a.published, a.seq';

/**
 * A listed story carries at most this many of its articles (for the coverage bar: one segment
 * each, in publication order), evenly spaced over the story when it has more; `size` and
 * `outlets` still count them all. A page of stories with thousands of articles each was
 * megabytes of JSON for a bar a thousand pixels wide.
 */
export const LISTED_ARTICLES = 200;

function withMembers(db: Database.Database, rows: StoryRow[], sample = Infinity): StorySummary[] {
  if (rows.length === 0) return [];
  const placeholders = rows.map(() => '?').join(',');
  const members = db
    .prepare(
      `SELECT m.story_id, a.id, a.outlet, a.published, a.fetched_at FROM story_members m JOIN articles a ON a.id = m.article_id
       WHERE m.story_id IN (${placeholders}) ORDER BY ${MEMBER_ORDER}`,
    )
    .all(...rows.map((r) => r.id)) as { story_id: string; id: string; outlet: string | null; published: string | null; fetched_at: string }[];
  const undated = new Map<string, number>();
  const ingested = new Map<string, string>();
  for (const m of members) {
    if (m.published === null) undated.set(m.story_id, (undated.get(m.story_id) ?? 0) + 1);
    if (m.fetched_at > (ingested.get(m.story_id) ?? '')) ingested.set(m.story_id, m.fetched_at);
  }
  const by = new Map<string, { id: ArticleId; outlet: string | null; published: string | null }[]>();
  for (const m of members) {
    let l = by.get(m.story_id);
    if (!l) by.set(m.story_id, (l = []));
    l.push({ id: m.id as ArticleId, outlet: m.outlet, published: m.published });
  }
  return rows.map((r) => {
    const all = by.get(r.id) ?? [];
    const outlets = [...new Set(all.map((a) => a.outlet).filter((o): o is string => o !== null))];
    // first and last always in; the rest evenly spaced
    const articles = all.length <= sample ? all : Array.from({ length: sample }, (_, i) => all[Math.round((i * (all.length - 1)) / (sample - 1))]!);
    return {
      id: r.id as StoryId,
      label: r.label,
      size: r.size,
      outlets,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      undated: undated.get(r.id) ?? 0,
      lastIngested: ingested.get(r.id) ?? null,
      articles,
    };
  });
}

/**
 * The WHERE clause of a story listing. Filters on articles are subqueries over the
 * memberships, so a story is found by any one of its articles (its label is the first
 * article's title or sentence, which the full-text index holds too).
 */
function storyFilter(query: StoryQuery): { clause: string; params: Record<string, string | number> } {
  const where = ['size > 0'];
  const params: Record<string, string | number> = {};
  const q = query.search !== undefined ? ftsQuery(query.search) : null;
  if (query.search !== undefined) {
    // words with nothing to search for (punctuation only) find nothing, as `search` does
    if (q === null) where.push('0');
    else {
      where.push(`id IN (SELECT m.story_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid JOIN story_members m ON m.article_id = a.id WHERE articles_fts MATCH @q)`);
      params['q'] = q;
    }
  }
  if (query.outlet !== undefined) {
    // the spellings of the outlet first (a scan of the outlet index), then its articles by that
    // index: a case-insensitive comparison on every article row was 10x slower at 10k articles
    where.push('id IN (SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id WHERE a.outlet IN (SELECT DISTINCT outlet FROM articles WHERE outlet = @outlet COLLATE NOCASE))');
    params['outlet'] = query.outlet;
  }
  if (query.since !== undefined) {
    where.push('last_seen >= @since');
    params['since'] = query.since;
  }
  if (query.until !== undefined) {
    where.push('first_seen < @until');
    params['until'] = query.until;
  }
  if (query.minArticles !== undefined) {
    where.push('size >= @minArticles');
    params['minArticles'] = query.minArticles;
  }
  if (query.minOutlets !== undefined) {
    where.push('outlet_count >= @minOutlets');
    params['minOutlets'] = query.minOutlets;
  }
  return { clause: where.join(' AND '), params };
}

export function listStories(db: Database.Database, query: StoryQuery): { items: StorySummary[]; total: number } {
  const { clause, params } = storyFilter(query);
  const total = (db.prepare(`SELECT count(*) AS n FROM stories WHERE ${clause}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM stories WHERE ${clause} ORDER BY ${ORDER[query.sort ?? 'newest']} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: query.limit, offset: query.offset ?? 0 }) as StoryRow[];
  return { items: withMembers(db, rows, LISTED_ARTICLES), total };
}

export function getStory(db: Database.Database, id: StoryId): StorySummary | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM stories WHERE id = ? AND size > 0`).get(id) as StoryRow | undefined;
  return row ? withMembers(db, [row])[0]! : null;
}

export function storyOf(db: Database.Database, article: ArticleId): StoryId | null {
  const r = db.prepare('SELECT story_id FROM story_members WHERE article_id = ?').get(article) as { story_id: string } | undefined;
  return r ? (r.story_id as StoryId) : null;
}

/** The SQLite StoryRepository: its tables in the store's file, on the store's connection. */
export class SqliteStoryRepository implements StoryRepository {
  constructor(private readonly host: SqliteHost) {}

  write(tx: UnitOfWork, changes: StoryChanges): Promise<void> {
    return this.host.write(tx, () => writeStories(this.host.db, changes.stories, changes.memberships, changes.storyMerges));
  }

  list(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return this.host.run(() => listStories(this.host.db, query));
  }

  get(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return this.host.run(() => {
      const story = getStory(this.host.db, id);
      if (!story) return null;
      const rows = this.host.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? ORDER BY ${MEMBER_ORDER}`).all(id) as SummaryRow[];
      return { ...story, members: rows.map(toSummary) };
    });
  }

  storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.host.run(() => storyOf(this.host.db, article));
  }
}

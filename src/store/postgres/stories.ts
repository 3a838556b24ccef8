import type { ArticleId, StoryId } from '../../domain/ids.js';
import { bestLabel } from '../../domain/headline.js';
import type { StoryChanges, StoryMembership, StoryMerge, StoryQuery, StoryRepository, StorySummary, StoryUpsert } from '../stories.js';
import type { ArticleSummary, UnitOfWork } from '../store.js';
import { type SummaryRow, toSummary } from '../rows.js';
import type { PgHost } from './host.js';
import { SUMMARY_COLUMNS } from './columns.js';
import { LISTED_ARTICLES } from '../sqlite/stories.js';
import { tsQuery, type Sql } from './sql.js';

/** SQL for stories on PostgreSQL: statement for statement src/store/sqlite/stories.ts. */

export async function writeStories(sql: Sql, stories: readonly StoryUpsert[], members: readonly StoryMembership[], merges: readonly StoryMerge[]): Promise<void> {
  if (stories.length === 0 && members.length === 0 && merges.length === 0) return;
  if (stories.length > 0) {
    // one statement for the batch; new stories numbered after the last in the order given (a
    // story named twice keeps its first place and its last label, as row by row)
    const order: string[] = [];
    const label = new Map<string, string>();
    for (const s of stories) {
      if (!label.has(s.id)) order.push(s.id);
      label.set(s.id, s.label);
    }
    await sql(
      `INSERT INTO stories (id, label, created_seq)
       SELECT r.id, r.label, (SELECT coalesce(max(created_seq), 0) FROM stories) + r.ord
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(id, label, ord) ORDER BY r.ord
       ON CONFLICT(id) DO UPDATE SET label = excluded.label`,
      [order, order.map((id) => label.get(id)!)],
    );
  }
  if (members.length > 0) {
    // one statement for the batch (a round trip per row is most of the time on a network);
    // a later membership of the same article wins, as the row-by-row upsert of SQLite does
    const last = new Map<string, StoryMembership>();
    for (const m of members) last.set(m.article, m);
    const rows = [...last.values()];
    await sql(
      `INSERT INTO story_members (article_id, story_id, similarity)
       SELECT * FROM unnest($1::text[], $2::text[], $3::float8[])
       ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, similarity = excluded.similarity`,
      [rows.map((m) => m.article), rows.map((m) => m.story), rows.map((m) => m.similarity)],
    );
  }
  for (const m of merges) {
    await sql('UPDATE story_members SET story_id = $1 WHERE story_id = $2', [m.into, m.from]);
    await sql('DELETE FROM stories WHERE id = $1', [m.from]);
  }
  const touched = [...new Set<string>([...stories.map((s) => s.id), ...members.map((m) => m.story), ...merges.map((m) => m.into)])];
  await sql(
    `UPDATE stories SET (size, outlet_count, first_seen, last_seen) = (
       SELECT count(*), count(DISTINCT a.outlet), min(a.published), max(a.published)
       FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id)
     WHERE id = ANY($1::text[])`,
    [touched],
  );
  // the label follows the story as it grows: the best headline among all its articles
  const heads = await sql<{ story_id: string; title: string | null; lead: string; outlet: string | null; external_id: string | null }>(
    `SELECT m.story_id, a.title, substr(a.text, 1, 400) AS lead, a.outlet, a.external_id FROM story_members m JOIN articles a ON a.id = m.article_id
     WHERE m.story_id = ANY($1::text[]) ORDER BY a.seq`,
    [touched],
  );
  const by = new Map<string, typeof heads>();
  for (const h of heads) by.set(h.story_id, [...(by.get(h.story_id) ?? []), h]);
  const ids: string[] = [];
  const labels: string[] = [];
  for (const [id, rows] of by) {
    const label = bestLabel(rows.map((r) => ({ title: r.title, lead: r.lead, outlet: r.outlet, fallback: r.external_id })));
    if (label !== '') {
      ids.push(id);
      labels.push(label);
    }
  }
  if (ids.length > 0) {
    await sql('UPDATE stories s SET label = l.label FROM unnest($1::text[], $2::text[]) AS l(id, label) WHERE s.id = l.id AND s.label <> l.label', [ids, labels]);
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
  // NULLS LAST: SQLite sorts NULL lowest, so last in a descending order
  newest: 'last_seen DESC NULLS LAST, created_seq DESC',
  largest: 'size DESC, last_seen DESC NULLS LAST, created_seq DESC',
  outlets: 'outlet_count DESC, size DESC, created_seq DESC',
};

const COLUMNS = 'id, label, size, first_seen, last_seen';

/** A story's articles in publication order, the undated after the dated in the order they were stored. */
export const MEMBER_ORDER = 'a.published IS NULL, a.published, a.seq';

async function withMembers(sql: Sql, rows: StoryRow[], sample = Infinity): Promise<StorySummary[]> {
  if (rows.length === 0) return [];
  const members = await sql<{ story_id: string; id: string; outlet: string | null; published: string | null; fetched_at: string }>(
    `SELECT m.story_id, a.id, a.outlet, a.published, a.fetched_at FROM story_members m JOIN articles a ON a.id = m.article_id
     WHERE m.story_id = ANY($1::text[]) ORDER BY ${MEMBER_ORDER}`,
    [rows.map((r) => r.id)],
  );
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

/** The filters of a story listing (see the SQLite store's storyFilter). */
type StoryFilters = StoryQuery & { search?: string; outlet?: string; since?: string; until?: string; minArticles?: number; minOutlets?: number };

/**
 * The WHERE clause of a story listing, as the SQLite store's: filters on articles are
 * subqueries over the memberships, so a story is found by any one of its articles.
 */
function storyFilter(query: StoryFilters): { clause: string; params: unknown[] } {
  const where = ['size > 0'];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.search !== undefined) {
    const q = tsQuery(query.search);
    if (q === null) where.push('false');
    else add(`id IN (SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id WHERE a.fts @@ to_tsquery('simple', ?))`, q);
  }
  if (query.outlet !== undefined) add('id IN (SELECT m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id WHERE lower(a.outlet) = lower(?))', query.outlet);
  if (query.since !== undefined) add('last_seen >= ?', query.since);
  if (query.until !== undefined) add('first_seen < ?', query.until);
  if (query.minArticles !== undefined) add('size >= ?', query.minArticles);
  if (query.minOutlets !== undefined) add('outlet_count >= ?', query.minOutlets);
  return { clause: where.join(' AND '), params };
}

export async function listStories(sql: Sql, query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
  const { clause, params } = storyFilter(query);
  const [count] = await sql<{ n: number }>(`SELECT count(*) AS n FROM stories WHERE ${clause}`, params);
  const n = params.length;
  const rows = await sql<StoryRow>(`SELECT ${COLUMNS} FROM stories WHERE ${clause} ORDER BY ${ORDER[query.sort ?? 'newest']} LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...params,
    query.limit,
    query.offset ?? 0,
  ]);
  return { items: await withMembers(sql, rows, LISTED_ARTICLES), total: count!.n };
}

export async function getStory(sql: Sql, id: StoryId): Promise<StorySummary | null> {
  const [row] = await sql<StoryRow>(`SELECT ${COLUMNS} FROM stories WHERE id = $1 AND size > 0`, [id]);
  return row ? (await withMembers(sql, [row]))[0]! : null;
}

export async function storyOf(sql: Sql, article: ArticleId): Promise<StoryId | null> {
  const [r] = await sql<{ story_id: string }>('SELECT story_id FROM story_members WHERE article_id = $1', [article]);
  return r ? (r.story_id as StoryId) : null;
}

/** The PostgreSQL StoryRepository: its tables in the store's database. */
export class PgStoryRepository implements StoryRepository {
  constructor(private readonly host: PgHost) {}

  write(tx: UnitOfWork, changes: StoryChanges): Promise<void> {
    return this.host.write(tx, (sql) => writeStories(sql, changes.stories, changes.memberships, changes.storyMerges));
  }

  list(query: StoryQuery): Promise<{ items: StorySummary[]; total: number }> {
    return this.host.run((sql) => listStories(sql, query));
  }

  get(id: StoryId): Promise<(StorySummary & { members: ArticleSummary[] }) | null> {
    return this.host.run(async (sql) => {
      const story = await getStory(sql, id);
      if (!story) return null;
      const rows = await sql<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = $1 ORDER BY ${MEMBER_ORDER}`, [id]);
      return { ...story, members: rows.map(toSummary) };
    });
  }

  storyOf(article: ArticleId): Promise<StoryId | null> {
    return this.host.run((sql) => storyOf(sql, article));
  }
}

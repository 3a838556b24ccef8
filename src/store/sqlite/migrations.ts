import type Database from 'better-sqlite3';
import { identityKey } from '../../domain/identity.js';
import { decodeMeta } from '../codec.js';
import { createError } from '../../errors.js';
import { planTracks, SPLIT_MARK, upToDate, type TrackMigration, type Tracks } from '../tracks.js';

/**
 * The SQLite schema, repository by repository (see ../tracks.ts). A migration is never edited
 * once released; a change is a new entry, with its PostgreSQL twin under the same version.
 */
export type Migration = TrackMigration<(db: Database.Database) => void>;

/**
 * Schema 5: every article gets its identity key (domain/identity.ts), derived from what the
 * row holds, so that re-reading an input stored before finds it under the same key and keeps
 * its id. Articles stored as one before (the same text under two JSONL ids) keep the first
 * input's key; the second input becomes an article of its own when it is read again.
 */
function backfillIdentity(db: Database.Database): void {
  const rows = db.prepare<[], { seq: number; id: string; url: string | null; external_id: string | null; meta: string; source: string; content_hash: string }>(
    'SELECT seq, id, url, external_id, meta, source, content_hash FROM articles',
  );
  const set = db.prepare('UPDATE articles SET identity_key = ? WHERE seq = ?');
  for (const r of rows.all()) {
    const key = identityKey({ url: r.url, externalId: r.external_id, meta: decodeMeta(r.meta, r.id), source: r.source, contentHash: r.content_hash });
    set.run(key, r.seq);
  }
}

export const ARTICLE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles, versions, full-text search',
    legacy: 1,
    sql: `
      CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        url TEXT,
        external_id TEXT,
        title TEXT,
        text TEXT NOT NULL,
        sentences TEXT NOT NULL,
        meta TEXT NOT NULL,
        language TEXT NOT NULL,
        published TEXT,
        outlet TEXT,
        fetched_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        source TEXT NOT NULL
      );
      CREATE INDEX articles_published ON articles(published);
      CREATE INDEX articles_outlet ON articles(outlet);
      CREATE INDEX articles_content_hash ON articles(content_hash);

      -- superseded versions; the current one lives in articles
      CREATE TABLE article_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        sentences TEXT NOT NULL,
        meta TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) WITHOUT ROWID;

      CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
      END;
      CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
      END;
      CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
      END;
    `,
  },
  {
    version: 2,
    name: 'article identity keys',
    legacy: 5,
    sql: `
      -- the input an article is (its URL, else its id and outlet, else its content in its file):
      -- several articles may share one (different articles at one URL), so not unique
      ALTER TABLE articles ADD COLUMN identity_key TEXT;
      CREATE INDEX articles_identity ON articles(identity_key);
    `,
    run: backfillIdentity,
  },
];

export const STATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'stage state',
    legacy: 1,
    sql: `
      CREATE TABLE stage_state (
        key TEXT PRIMARY KEY,
        format_version INTEGER NOT NULL,
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

export const REUSE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'dedup signatures and reuse links',
    legacy: 3,
    sql: `
      -- signatures carry the key of the parameters they were made with; others are refused
      CREATE TABLE dedup_signatures (
        article_id TEXT PRIMARY KEY,
        params TEXT NOT NULL,
        signature BLOB NOT NULL,
        anchors BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE reuse_links (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        class TEXT NOT NULL,
        estimated_jaccard REAL NOT NULL,
        jaccard REAL NOT NULL,
        a_in_b REAL NOT NULL,
        b_in_a REAL NOT NULL,
        passages TEXT NOT NULL,
        original TEXT,
        reason TEXT,
        PRIMARY KEY (a, b)
      ) WITHOUT ROWID;
      CREATE INDEX reuse_links_b ON reuse_links(b);
    `,
  },
  {
    version: 2,
    name: 'dedup signatures in the order they were written',
    legacy: 4,
    sql: `
      -- each signature written (new or replaced) takes the next position: a dedup index that
      -- shares the store with another writer reads what that writer added since it last looked
      ALTER TABLE dedup_signatures ADD COLUMN written INTEGER;
      CREATE INDEX dedup_signatures_written ON dedup_signatures(written);
    `,
  },
];

export const STORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'stories and memberships',
    legacy: 2,
    sql: `
      -- size, outlets and first/last seen are kept up to date at write time so that listing
      -- stories is an indexed read, not an aggregate over every article
      CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        created_seq INTEGER NOT NULL,
        size INTEGER NOT NULL DEFAULT 0,
        outlet_count INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT
      );
      CREATE INDEX stories_last_seen ON stories(last_seen);
      CREATE INDEX stories_size ON stories(size);
      CREATE INDEX stories_outlets ON stories(outlet_count);
      CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        similarity REAL NOT NULL
      );
      CREATE INDEX story_members_story ON story_members(story_id);
    `,
  },
  {
    version: 2,
    name: 'story spans from publication dates only',
    legacy: 6,
    sql: `
      -- first_seen/last_seen took an undated article's ingest time as its date, so a 2009
      -- story read "2009-02-03 - 2026-12-05" and sorted as new; now they span publication
      -- dates only (null when no article is dated)
      UPDATE stories SET (first_seen, last_seen) = (
        SELECT min(a.published), max(a.published)
        FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id);
    `,
  },
];

export const SOURCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sources and the items seen in them',
    sql: `
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        site_url TEXT,
        title TEXT,
        kind TEXT NOT NULL,
        format TEXT,
        interval_seconds INTEGER NOT NULL,
        allow_private INTEGER NOT NULL,
        follow TEXT NOT NULL,
        added_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_fetch_at TEXT,
        last_status INTEGER,
        last_error TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_due_at TEXT NOT NULL
      );
      CREATE INDEX sources_next_due ON sources(next_due_at);
      CREATE INDEX sources_site_url ON sources(site_url);
      -- one row per item ever seen: an item stored once is never fetched again
      CREATE TABLE source_items (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,
        error TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX source_items_seen_at ON source_items(source_id, seen_at);
    `,
  },
];

export const SQLITE_TRACKS: Tracks<(db: Database.Database) => void> = {
  articles: ARTICLE_MIGRATIONS,
  states: STATE_MIGRATIONS,
  reuse: REUSE_MIGRATIONS,
  stories: STORY_MIGRATIONS,
  sources: SOURCE_MIGRATIONS,
};

const TRACK_TABLE =
  'CREATE TABLE IF NOT EXISTS repository_migrations (repository TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (repository, version))';

function recordedVersions(db: Database.Database): Map<string, number> {
  const out = new Map<string, number>();
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'repository_migrations'").get() === undefined) return out;
  for (const r of db.prepare('SELECT repository, max(version) AS v FROM repository_migrations GROUP BY repository').all() as { repository: string; v: number }[]) out.set(r.repository, r.v);
  return out;
}

/**
 * Brings the file's schema up to date, repository by repository (see ../tracks.ts), in one
 * write transaction: processes opening one new file together each re-read the versions under
 * the lock and skip what another applied meanwhile. Returns whether the sources tables are
 * there: a read-only file made before them reads as having no sources. Read-only, any other
 * migration due is DB_READONLY.
 */
export function migrate(db: Database.Database, path: string, readonly: boolean): { sources: boolean } {
  const legacy = (): number => db.pragma('user_version', { simple: true }) as number;
  const plans = planTracks(SQLITE_TRACKS, legacy(), recordedVersions(db), path);
  if (upToDate(plans, legacy())) return { sources: true };
  if (readonly) {
    const due = plans.filter((p) => p.repository !== 'sources' && p.apply.length > 0);
    if (due.length > 0) {
      throw createError('DB_READONLY', `store: ${path} needs a schema migration (${due.map((p) => `${p.repository} ${p.at} -> ${p.at + p.apply.length}`).join(', ')}) but is opened read-only`, {
        subject: path,
      });
    }
    return { sources: plans.find((p) => p.repository === 'sources')!.apply.length === 0 };
  }
  db.transaction(() => {
    const now = planTracks(SQLITE_TRACKS, legacy(), recordedVersions(db), path);
    if (upToDate(now, legacy())) return;
    db.exec(TRACK_TABLE);
    // the single track of databases made before the split, kept so that an older Parallax reads it
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const record = db.prepare('INSERT INTO repository_migrations (repository, version, name, applied_at) VALUES (?, ?, ?, ?)');
    const at = new Date().toISOString();
    for (const plan of now) {
      for (const m of plan.adopt) record.run(plan.repository, m.version, `${m.name} (schema ${m.legacy})`, at);
      for (const m of plan.apply) {
        db.exec(m.sql);
        m.run?.(db);
        record.run(plan.repository, m.version, m.name, at);
      }
    }
    if (legacy() !== SPLIT_MARK) {
      db.prepare('INSERT OR IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SPLIT_MARK, 'migrations by repository (repository_migrations)', at);
      db.pragma(`user_version = ${SPLIT_MARK}`);
    }
  }).immediate();
  return { sources: true };
}

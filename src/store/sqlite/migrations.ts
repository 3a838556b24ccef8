import type Database from 'better-sqlite3';
import { identityKey } from '../../domain/identity.js';
import { decodeMeta } from '../codec.js';

/**
 * Schema migrations, applied in order inside one transaction each. A migration is never
 * edited once released; a change is a new entry. PRAGMA user_version mirrors the latest.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** work SQL cannot express (values derived in code), run after `sql` in the same transaction */
  readonly run?: (db: Database.Database) => void;
}

/**
 * Schema 5: every article gets its identity key (ingest/identity.ts), derived from what the
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

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles, versions, full-text search, stage state',
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

      CREATE TABLE stage_state (
        key TEXT PRIMARY KEY,
        format_version INTEGER NOT NULL,
        data BLOB NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'stories and memberships',
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
    version: 3,
    name: 'dedup signatures and reuse links',
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
    version: 4,
    name: 'dedup signatures in the order they were written',
    sql: `
      -- each signature written (new or replaced) takes the next position: a dedup index that
      -- shares the store with another writer reads what that writer added since it last looked
      ALTER TABLE dedup_signatures ADD COLUMN written INTEGER;
      CREATE INDEX dedup_signatures_written ON dedup_signatures(written);
    `,
  },
  {
    version: 5,
    name: 'article identity keys',
    sql: `
      -- the input an article is (its URL, else its id and outlet, else its content in its file):
      -- several articles may share one (different articles at one URL), so not unique
      ALTER TABLE articles ADD COLUMN identity_key TEXT;
      CREATE INDEX articles_identity ON articles(identity_key);
    `,
    run: backfillIdentity,
  },
  {
    version: 6,
    name: 'story spans from publication dates only',
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

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

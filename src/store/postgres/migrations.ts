import type { PoolClient } from 'pg';
import { identityKey } from '../../domain/identity.js';
import { decodeMeta } from '../codec.js';
import type { TrackMigration, Tracks } from '../tracks.js';
import { FOLD_FUNCTION_SQL } from './fold.js';

export type PgMigration = TrackMigration<(client: PoolClient) => Promise<void>>;

/**
 * The PostgreSQL schema, migration for migration the SQLite one (src/store/sqlite/migrations.ts)
 * with the same repositories and versions, so that a change there is made here under the same number. Types:
 * TEXT stays TEXT (JSON kept as text, as in SQLite, so the codecs are shared), REAL is double
 * precision (SQLite's REAL is 8 bytes too), BLOB is bytea. Full-text search is a generated
 * tsvector with a GIN index where SQLite has FTS5 and its triggers.
 */
/** Every stored article gets its identity key, derived from what its row holds (see the SQLite migration). */
async function backfillIdentity(client: PoolClient): Promise<void> {
  const rows = (
    await client.query<{ seq: number; id: string; url: string | null; external_id: string | null; meta: string; source: string; content_hash: string }>(
      'SELECT seq, id, url, external_id, meta, source, content_hash FROM articles',
    )
  ).rows;
  for (let i = 0; i < rows.length; i += 1000) {
    const page = rows.slice(i, i + 1000);
    const keys = page.map((r) => identityKey({ url: r.url, externalId: r.external_id, meta: decodeMeta(r.meta, r.id), source: r.source, contentHash: r.content_hash }));
    await client.query('UPDATE articles a SET identity_key = k.key FROM unnest($1::bigint[], $2::text[]) AS k(seq, key) WHERE a.seq = k.seq', [page.map((r) => r.seq), keys]);
  }
}

export const PG_ARTICLE_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'articles, versions, full-text search, commit counter',
    legacy: 1,
    sql: `
      CREATE TABLE articles (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
        source TEXT NOT NULL,
        -- 'simple': no stemming and no stop words, as FTS5's unicode61 (the stream is multilingual);
        -- a tsvector holds at most 1 MB, so the words of a text past its first 500,000 characters
        -- are not indexed
        fts TSVECTOR GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', coalesce(title, '')), 'A') || to_tsvector('simple', left(text, 500000))
        ) STORED
      );
      CREATE INDEX articles_published ON articles(published);
      CREATE INDEX articles_outlet ON articles(outlet);
      CREATE INDEX articles_content_hash ON articles(content_hash);
      CREATE INDEX articles_fts ON articles USING GIN (fts);

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
      );

      -- one row: bumped by every committed write; the change token, and how a writer learns
      -- that another one wrote (SQLite has PRAGMA data_version for both). store_id names the
      -- store whatever URL reaches it (the queue's streams are named from it)
      CREATE TABLE store_commits (
        one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
        commits BIGINT NOT NULL,
        store_id TEXT NOT NULL DEFAULT gen_random_uuid()::text
      );
      INSERT INTO store_commits (commits) VALUES (0);
    `,
  },
  {
    version: 2,
    name: 'article identity keys',
    legacy: 5,
    sql: `
      ALTER TABLE articles ADD COLUMN identity_key TEXT;
      CREATE INDEX articles_identity ON articles(identity_key);
    `,
    run: backfillIdentity,
  },
  {
    version: 3,
    name: 'full-text search folds diacritics',
    // as FTS5's remove_diacritics and the memory store: "Zürich" and "zurich" find each other;
    // the generated column is recomputed for every row
    sql: `
      ${FOLD_FUNCTION_SQL};
      DROP INDEX articles_fts;
      ALTER TABLE articles DROP COLUMN fts;
      ALTER TABLE articles ADD COLUMN fts TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', parallax_fold(coalesce(title, ''))), 'A') || to_tsvector('simple', parallax_fold(left(text, 500000)))
      ) STORED;
      CREATE INDEX articles_fts ON articles USING GIN (fts);
    `,
  },
];

export const PG_STATE_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'stage state',
    legacy: 1,
    sql: `
      CREATE TABLE stage_state (
        key TEXT PRIMARY KEY,
        format_version INTEGER NOT NULL,
        data BYTEA NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

export const PG_REUSE_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'dedup signatures and reuse links',
    legacy: 3,
    sql: `
      CREATE TABLE dedup_signatures (
        article_id TEXT PRIMARY KEY,
        params TEXT NOT NULL,
        signature BYTEA NOT NULL,
        anchors BYTEA NOT NULL
      );
      CREATE TABLE reuse_links (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        class TEXT NOT NULL,
        estimated_jaccard DOUBLE PRECISION NOT NULL,
        jaccard DOUBLE PRECISION NOT NULL,
        a_in_b DOUBLE PRECISION NOT NULL,
        b_in_a DOUBLE PRECISION NOT NULL,
        passages TEXT NOT NULL,
        original TEXT,
        reason TEXT,
        PRIMARY KEY (a, b)
      );
      CREATE INDEX reuse_links_b ON reuse_links(b);
    `,
  },
  {
    version: 2,
    name: 'dedup signatures in the order they were written',
    legacy: 4,
    sql: `
      ALTER TABLE dedup_signatures ADD COLUMN written BIGINT;
      CREATE INDEX dedup_signatures_written ON dedup_signatures(written);
    `,
  },
];

export const PG_STORY_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'stories and memberships',
    legacy: 2,
    sql: `
      CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        created_seq BIGINT NOT NULL,
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
        similarity DOUBLE PRECISION NOT NULL
      );
      CREATE INDEX story_members_story ON story_members(story_id);
    `,
  },
  {
    version: 2,
    name: 'story spans from publication dates only',
    legacy: 6,
    sql: `
      UPDATE stories SET (first_seen, last_seen) = (
        SELECT min(a.published), max(a.published)
        FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id);
    `,
  },
];

export const PG_SOURCE_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'sources and the items seen in them',
    sql: `
      CREATE TABLE sources (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
      CREATE TABLE source_items (
        source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,
        error TEXT,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source_id, key)
      );
      CREATE INDEX source_items_seen_at ON source_items(source_id, seen_at);
    `,
  },
];

export const PG_TRACKS: Tracks<(client: PoolClient) => Promise<void>> = {
  articles: PG_ARTICLE_MIGRATIONS,
  states: PG_STATE_MIGRATIONS,
  reuse: PG_REUSE_MIGRATIONS,
  stories: PG_STORY_MIGRATIONS,
  sources: PG_SOURCE_MIGRATIONS,
};

import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * The schema migrations of Parallax before each repository had its own (the single track,
 * versions 1 to 6, and the sources track), copied as released, for tests that open a database
 * made by them with the present code. The backfills some of them ran in code touch no row
 * of an empty database, so they are left out.
 */
export interface LegacyMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const LEGACY_SQLITE: readonly LegacyMigration[] = [
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

export const LEGACY_SQLITE_SOURCES: readonly LegacyMigration[] = [
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

export const LEGACY_PG: readonly LegacyMigration[] = [
  {
    version: 1,
    name: 'articles, versions, full-text search, stage state',
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

      CREATE TABLE stage_state (
        key TEXT PRIMARY KEY,
        format_version INTEGER NOT NULL,
        data BYTEA NOT NULL,
        updated_at TEXT NOT NULL
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
    name: 'stories and memberships',
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
    version: 3,
    name: 'dedup signatures and reuse links',
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
    version: 4,
    name: 'dedup signatures in the order they were written',
    sql: `
      ALTER TABLE dedup_signatures ADD COLUMN written BIGINT;
      CREATE INDEX dedup_signatures_written ON dedup_signatures(written);
    `,
  },
  {
    version: 5,
    name: 'article identity keys',
    sql: `
      ALTER TABLE articles ADD COLUMN identity_key TEXT;
      CREATE INDEX articles_identity ON articles(identity_key);
    `,
  },
  {
    version: 6,
    name: 'story spans from publication dates only',
    sql: `
      UPDATE stories SET (first_seen, last_seen) = (
        SELECT min(a.published), max(a.published)
        FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id);
    `,
  },
];

export const LEGACY_PG_SOURCES: readonly LegacyMigration[] = [
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

/** Tables whose rows a database of any schema version may hold, in an order their references allow. */
const TABLES = ['articles', 'article_versions', 'stage_state', 'stories', 'story_members', 'dedup_signatures', 'reuse_links', 'sources', 'source_items'];

/** A SQLite file as a Parallax of single-track schema `upTo` (1-6) left it, with the sources track when `sources`. */
export function makeLegacySqlite(path: string, upTo: number, sources: boolean): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of LEGACY_SQLITE.filter((x) => x.version <= upTo)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-12-01T00:00:00.000Z');
  }
  db.pragma(`user_version = ${upTo}`);
  if (sources) {
    db.exec('CREATE TABLE repository_migrations (repository TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (repository, version))');
    for (const m of LEGACY_SQLITE_SOURCES) {
      db.exec(m.sql);
      db.prepare("INSERT INTO repository_migrations VALUES ('sources', ?, ?, ?)").run(m.version, m.name, '2026-12-01T00:00:00.000Z');
    }
  }
  db.close();
}

/** Copies the rows of `from` (any schema) into the tables `to` has, the columns both have. */
export function copySqliteRows(from: string, to: string): void {
  const db = new Database(to);
  db.prepare('ATTACH DATABASE ? AS src').run(from);
  const columns = (schema: string, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).map((r) => r.name);
  db.transaction(() => {
    for (const t of TABLES) {
      const mine = columns('main', t);
      if (mine.length === 0) continue;
      const theirs = new Set(columns('src', t));
      const both = mine.filter((c) => theirs.has(c)).join(', ');
      db.exec(`INSERT INTO main.${t} (${both}) SELECT ${both} FROM src.${t}`);
    }
  })();
  db.exec('DETACH DATABASE src');
  db.close();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** An empty PostgreSQL database (already created) as a Parallax of single-track schema `upTo` left it. */
export async function makeLegacyPostgres(url: string, upTo: number, sources: boolean): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of LEGACY_PG.filter((x) => x.version <= upTo)) {
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, '2026-12-01T00:00:00.000Z']);
    }
    if (sources) {
      await c.query('CREATE TABLE repository_migrations (repository TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (repository, version))');
      for (const m of LEGACY_PG_SOURCES) {
        await c.query(m.sql);
        await c.query("INSERT INTO repository_migrations VALUES ('sources', $1, $2, $3)", [m.version, m.name, '2026-12-01T00:00:00.000Z']);
      }
    }
  });
}

/** Copies the rows of database `from` into the tables `to` has (the columns both have, generated ones left out). */
export async function copyPostgresRows(from: string, to: string): Promise<void> {
  await withClient(from, (src) =>
    withClient(to, async (dst) => {
      const columns = async (c: pg.Client, t: string): Promise<string[]> =>
        (await c.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position", [t])).rows.map(
          (r) => r.column_name,
        );
      await dst.query('BEGIN');
      for (const t of TABLES) {
        const mine = await columns(dst, t);
        if (mine.length === 0) continue;
        const theirs = new Set(await columns(src, t));
        const both = mine.filter((c) => theirs.has(c));
        const rows = (await src.query(`SELECT ${both.join(', ')} FROM ${t}`)).rows as Record<string, unknown>[];
        for (const r of rows) {
          await dst.query(
            `INSERT INTO ${t} (${both.join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${both.map((_, i) => `$${i + 1}`).join(', ')})`,
            both.map((c) => r[c]),
          );
        }
        // identity columns continue after the rows copied
        const identity = t === 'articles' ? 'seq' : t === 'sources' ? 'id' : null;
        if (identity && rows.length > 0) await dst.query(`SELECT setval(pg_get_serial_sequence('${t}', '${identity}'), (SELECT max(${identity}) FROM ${t}))`);
      }
      await dst.query('COMMIT');
    }),
  );
}

import type { ArticleId } from '../../domain/ids.js';
import type { ReuseLink } from '../../domain/reuse.js';
import type { ReuseChanges, ReuseRepository, StoredSignature } from '../reuse.js';
import type { UnitOfWork } from '../store.js';
import type { PgHost } from './host.js';
import { toLink, type LinkRow } from '../sqlite/reuse.js';
import { bytes, type Sql } from './sql.js';

/** SQL for dedup signatures and reuse links on PostgreSQL: statement for statement src/store/sqlite/reuse.ts. */

export async function writeReuse(sql: Sql, signatures: readonly StoredSignature[], links: readonly ReuseLink[], relinked: readonly ArticleId[]): Promise<void> {
  if (signatures.length === 0 && links.length === 0 && relinked.length === 0) return;
  if (relinked.length > 0) await sql('DELETE FROM reuse_links WHERE a = ANY($1::text[]) OR b = ANY($1::text[])', [relinked]);
  if (signatures.length > 0) {
    // one statement per batch (a round trip per row was most of a batch's time): positions
    // continue from the last one, in the order given; a later signature of the same article
    // wins, as the row-by-row upsert of SQLite does
    const last = new Map<string, StoredSignature>();
    for (const s of signatures) {
      last.delete(s.article);
      last.set(s.article, s);
    }
    const rows = [...last.values()];
    await sql(
      `INSERT INTO dedup_signatures (article_id, params, signature, anchors, written)
       SELECT r.article_id, r.params, r.signature, r.anchors, (SELECT coalesce(max(written), 0) FROM dedup_signatures) + r.ord
       FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[]) WITH ORDINALITY AS r(article_id, params, signature, anchors, ord)
       ORDER BY r.ord
       ON CONFLICT(article_id) DO UPDATE SET params = excluded.params, signature = excluded.signature, anchors = excluded.anchors, written = excluded.written`,
      [rows.map((s) => s.article), rows.map((s) => s.params), rows.map((s) => bytes(s.signature)), rows.map((s) => bytes(s.anchors))],
    );
  }
  if (links.length > 0) {
    const last = new Map<string, ReuseLink>();
    for (const l of links) last.set(`${l.a}\u0000${l.b}`, l);
    const rows = [...last.values()];
    await sql(
      `INSERT INTO reuse_links (a, b, class, estimated_jaccard, jaccard, a_in_b, b_in_a, passages, original, reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT(a, b) DO UPDATE SET class = excluded.class, estimated_jaccard = excluded.estimated_jaccard, jaccard = excluded.jaccard,
         a_in_b = excluded.a_in_b, b_in_a = excluded.b_in_a, passages = excluded.passages, original = excluded.original, reason = excluded.reason`,
      [
        rows.map((l) => l.a),
        rows.map((l) => l.b),
        rows.map((l) => l.class),
        rows.map((l) => l.estimatedJaccard),
        rows.map((l) => l.jaccard),
        rows.map((l) => l.containment.aInB),
        rows.map((l) => l.containment.bInA),
        rows.map((l) => JSON.stringify(l.passages.map((p) => ({ a: [p.a.start, p.a.end], b: [p.b.start, p.b.end], w: p.words })))),
        rows.map((l) => l.original),
        rows.map((l) => l.reason),
      ],
    );
  }
}

export async function loadSignatures(sql: Sql): Promise<StoredSignature[]> {
  // in the order the articles were first stored (see the SQLite store); NULLS FIRST as SQLite sorts them
  const rows = await sql<{ article_id: string; params: string; signature: Buffer; anchors: Buffer }>(
    'SELECT s.article_id, s.params, s.signature, s.anchors FROM dedup_signatures s LEFT JOIN articles a ON a.id = s.article_id ORDER BY a.seq NULLS FIRST, s.article_id',
  );
  return rows.map((r) => ({ article: r.article_id as ArticleId, params: r.params, signature: new Uint8Array(r.signature), anchors: new Uint8Array(r.anchors) }));
}

export async function signaturesWrittenAfter(sql: Sql, cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { stored: number }>; cursor: number }> {
  const rows = await sql<{ article_id: string; params: string; signature: Buffer; anchors: Buffer; written: number; stored: number }>(
    `SELECT s.article_id, s.params, s.signature, s.anchors, s.written, coalesce(a.seq, -1) AS stored
     FROM dedup_signatures s LEFT JOIN articles a ON a.id = s.article_id WHERE s.written > $1 ORDER BY s.written LIMIT $2`,
    [cursor, limit],
  );
  return {
    signatures: rows.map((r) => ({ article: r.article_id as ArticleId, params: r.params, signature: new Uint8Array(r.signature), anchors: new Uint8Array(r.anchors), stored: r.stored })),
    cursor: rows.length > 0 ? rows[rows.length - 1]!.written : cursor,
  };
}

export async function signatureCursor(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }>('SELECT coalesce(max(written), 0) AS n FROM dedup_signatures');
  return r!.n;
}

export async function reuseLinksOf(sql: Sql, id: ArticleId): Promise<ReuseLink[]> {
  return (await sql<LinkRow>('SELECT * FROM reuse_links WHERE a = $1 UNION ALL SELECT * FROM reuse_links WHERE b = $1', [id])).map(toLink);
}

export async function reuseLinksAmong(sql: Sql, ids: readonly ArticleId[]): Promise<ReuseLink[]> {
  if (ids.length === 0) return [];
  // one query; ordered as the SQLite store returns them (by the ids given, then as stored)
  const rows = await sql<LinkRow & { ord: number }>(
    `SELECT l.*, i.ord FROM unnest($1::text[]) WITH ORDINALITY AS i(id, ord) JOIN reuse_links l ON l.a = i.id
     WHERE l.b = ANY($1::text[]) ORDER BY i.ord, l.b`,
    [ids],
  );
  return rows.map(toLink);
}

export async function listReuseLinks(sql: Sql, limit: number, offset: number): Promise<{ items: ReuseLink[]; total: number }> {
  const [count] = await sql<{ n: number }>('SELECT count(*) AS n FROM reuse_links');
  const rows = await sql<LinkRow>('SELECT * FROM reuse_links ORDER BY jaccard DESC, a, b LIMIT $1 OFFSET $2', [limit, offset]);
  return { items: rows.map(toLink), total: count!.n };
}

/** The PostgreSQL ReuseRepository: its tables in the store's database. */
export class PgReuseRepository implements ReuseRepository {
  constructor(private readonly host: PgHost) {}

  write(tx: UnitOfWork, changes: ReuseChanges): Promise<void> {
    return this.host.write(tx, (sql) => writeReuse(sql, changes.signatures, changes.reuseLinks, changes.relinked));
  }

  loadSignatures(): Promise<StoredSignature[]> {
    return this.host.run((sql) => loadSignatures(sql));
  }

  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    return this.host.run((sql) => signaturesWrittenAfter(sql, cursor, Math.max(0, Math.floor(limit))));
  }

  signatureCursor(): Promise<number> {
    return this.host.run((sql) => signatureCursor(sql));
  }

  linksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.host.run((sql) => reuseLinksOf(sql, article));
  }

  linksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    return this.host.run((sql) => reuseLinksAmong(sql, articles));
  }

  list(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    return this.host.run((sql) => listReuseLinks(sql, query.limit, query.offset ?? 0));
  }
}

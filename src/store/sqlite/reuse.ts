import type Database from 'better-sqlite3';
import type { ArticleId } from '../../domain/ids.js';
import type { ReuseClass, ReuseLink } from '../../domain/reuse.js';
import { createError } from '../../errors.js';
import type { ReuseChanges, ReuseRepository, StoredSignature } from '../reuse.js';
import type { UnitOfWork } from '../store.js';
import type { SqliteHost } from './host.js';

/** SQL for dedup signatures and reuse links; every function takes the open database. */

export interface LinkRow {
  a: string;
  b: string;
  class: string;
  estimated_jaccard: number;
  jaccard: number;
  a_in_b: number;
  b_in_a: number;
  passages: string;
  original: string | null;
  reason: string | null;
}

const CLASSES = new Set(['exact', 'near-duplicate', 'contains', 'partial-reuse']);

export function toLink(r: LinkRow): ReuseLink {
  if (!CLASSES.has(r.class)) throw createError('DB_INCOMPATIBLE', `store: reuse link ${r.a}-${r.b} has unknown class "${r.class}"`, { subject: r.a });
  const passages: unknown = JSON.parse(r.passages);
  if (!Array.isArray(passages)) throw createError('DB_INCOMPATIBLE', `store: reuse link ${r.a}-${r.b} has unreadable passages`, { subject: r.a });
  return {
    a: r.a,
    b: r.b,
    class: r.class as ReuseClass,
    estimatedJaccard: r.estimated_jaccard,
    jaccard: r.jaccard,
    containment: { aInB: r.a_in_b, bInA: r.b_in_a },
    passages: passages.map((p: { a: [number, number]; b: [number, number]; w: number }) => ({ a: { start: p.a[0], end: p.a[1] }, b: { start: p.b[0], end: p.b[1] }, words: p.w })),
    original: r.original,
    reason: r.reason,
  };
}

export function writeReuse(db: Database.Database, signatures: readonly StoredSignature[], links: readonly ReuseLink[], relinked: readonly ArticleId[]): void {
  if (signatures.length === 0 && links.length === 0 && relinked.length === 0) return;
  const drop = db.prepare('DELETE FROM reuse_links WHERE a = ? OR b = ?');
  for (const id of relinked) drop.run(id, id);
  const sig = db.prepare(
    `INSERT INTO dedup_signatures (article_id, params, signature, anchors, written)
       VALUES (?, ?, ?, ?, (SELECT coalesce(max(written), 0) + 1 FROM dedup_signatures))
     ON CONFLICT(article_id) DO UPDATE SET params = excluded.params, signature = excluded.signature, anchors = excluded.anchors, written = excluded.written`,
  );
  for (const s of signatures)
    sig.run(s.article, s.params, Buffer.from(s.signature.buffer, s.signature.byteOffset, s.signature.byteLength), Buffer.from(s.anchors.buffer, s.anchors.byteOffset, s.anchors.byteLength));
  const link = db.prepare(
    `INSERT INTO reuse_links (a, b, class, estimated_jaccard, jaccard, a_in_b, b_in_a, passages, original, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(a, b) DO UPDATE SET class = excluded.class, estimated_jaccard = excluded.estimated_jaccard, jaccard = excluded.jaccard,
       a_in_b = excluded.a_in_b, b_in_a = excluded.b_in_a, passages = excluded.passages, original = excluded.original, reason = excluded.reason`,
  );
  for (const l of links) {
    const passages = JSON.stringify(l.passages.map((p) => ({ a: [p.a.start, p.a.end], b: [p.b.start, p.b.end], w: p.words })));
    link.run(l.a, l.b, l.class, l.estimatedJaccard, l.jaccard, l.containment.aInB, l.containment.bInA, passages, l.original, l.reason);
  }
}

export function loadSignatures(db: Database.Database): StoredSignature[] {
  // in the order the articles were first stored (an update keeps its row): the dedup index
  // ranks candidates by age, which must be the same after a restart
  const rows = db.prepare('SELECT s.article_id, s.params, s.signature, s.anchors FROM dedup_signatures s LEFT JOIN articles a ON a.id = s.article_id ORDER BY a.seq, s.article_id').all() as {
    article_id: string;
    params: string;
    signature: Buffer;
    anchors: Buffer;
  }[];
  return rows.map((r) => ({ article: r.article_id as ArticleId, params: r.params, signature: new Uint8Array(r.signature), anchors: new Uint8Array(r.anchors) }));
}

/** Signatures written after position `cursor`, in the order they were written (see migration 4). */
export function signaturesWrittenAfter(db: Database.Database, cursor: number, limit: number): { signatures: Array<StoredSignature & { stored: number }>; cursor: number } {
  const rows = db
    .prepare(
      `SELECT s.article_id, s.params, s.signature, s.anchors, s.written, coalesce(a.seq, -1) AS stored
       FROM dedup_signatures s LEFT JOIN articles a ON a.id = s.article_id WHERE s.written > ? ORDER BY s.written LIMIT ?`,
    )
    .all(cursor, limit) as { article_id: string; params: string; signature: Buffer; anchors: Buffer; written: number; stored: number }[];
  return {
    signatures: rows.map((r) => ({ article: r.article_id as ArticleId, params: r.params, signature: new Uint8Array(r.signature), anchors: new Uint8Array(r.anchors), stored: r.stored })),
    cursor: rows.length > 0 ? rows[rows.length - 1]!.written : cursor,
  };
}

export function signatureCursor(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(written), 0) AS n FROM dedup_signatures').get() as { n: number }).n;
}

export function reuseLinksOf(db: Database.Database, id: ArticleId): ReuseLink[] {
  return (db.prepare('SELECT * FROM reuse_links WHERE a = ? UNION ALL SELECT * FROM reuse_links WHERE b = ?').all(id, id) as LinkRow[]).map(toLink);
}

export function reuseLinksAmong(db: Database.Database, ids: readonly ArticleId[]): ReuseLink[] {
  if (ids.length === 0) return [];
  const set = new Set<string>(ids);
  const out: ReuseLink[] = [];
  const q = db.prepare('SELECT * FROM reuse_links WHERE a = ?');
  for (const id of ids) for (const r of q.all(id) as LinkRow[]) if (set.has(r.b)) out.push(toLink(r));
  return out;
}

export function listReuseLinks(db: Database.Database, limit: number, offset: number): { items: ReuseLink[]; total: number } {
  const total = (db.prepare('SELECT count(*) AS n FROM reuse_links').get() as { n: number }).n;
  const rows = db.prepare('SELECT * FROM reuse_links ORDER BY jaccard DESC, a, b LIMIT ? OFFSET ?').all(limit, offset) as LinkRow[];
  return { items: rows.map(toLink), total };
}

/** The SQLite ReuseRepository: its tables in the store's file, on the store's connection. */
export class SqliteReuseRepository implements ReuseRepository {
  constructor(private readonly host: SqliteHost) {}

  write(tx: UnitOfWork, changes: ReuseChanges): Promise<void> {
    return this.host.write(tx, () => writeReuse(this.host.db, changes.signatures, changes.reuseLinks, changes.relinked));
  }

  loadSignatures(): Promise<StoredSignature[]> {
    return this.host.run(() => loadSignatures(this.host.db));
  }

  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    return this.host.run(() => signaturesWrittenAfter(this.host.db, cursor, Math.max(0, Math.floor(limit))));
  }

  signatureCursor(): Promise<number> {
    return this.host.run(() => signatureCursor(this.host.db));
  }

  linksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.host.run(() => reuseLinksOf(this.host.db, article));
  }

  linksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    return this.host.run(() => reuseLinksAmong(this.host.db, articles));
  }

  list(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    return this.host.run(() => listReuseLinks(this.host.db, query.limit, query.offset ?? 0));
  }
}

import type { ArticleId } from '../../domain/ids.js';
import type { ReuseLink } from '../../domain/reuse.js';
import type { ReuseChanges, ReuseRepository, StoredSignature } from '../reuse.js';
import type { UnitOfWork } from '../store.js';
import { compareNullable, type MemoryDb } from './db.js';

interface SignatureRecord extends StoredSignature {
  readonly written: number;
}

const key = (a: string, b: string): string => `${a}\u0000${b}`;
const byPair = (x: ReuseLink, y: ReuseLink): number => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0);
const copy = (s: StoredSignature): StoredSignature => ({ article: s.article, params: s.params, signature: new Uint8Array(s.signature), anchors: new Uint8Array(s.anchors) });

/** The memory ReuseRepository: statement for statement ../sqlite/reuse.ts, over maps. */
export class MemoryReuseRepository implements ReuseRepository {
  private readonly signatures = new Map<string, SignatureRecord>();
  private readonly links = new Map<string, ReuseLink>();
  private written = 0;

  /** asGiven: signatures kept as written, not copied (MemoryStoreOptions.asGiven); reads still copy */
  constructor(
    private readonly db: MemoryDb,
    private readonly asGiven = false,
  ) {}

  write(tx: UnitOfWork, changes: ReuseChanges): Promise<void> {
    const db = this.db;
    return db.write(tx, () => {
      const relinked = new Set<string>(changes.relinked);
      if (relinked.size > 0) for (const [k, l] of [...this.links]) if (relinked.has(l.a) || relinked.has(l.b)) db.delete(this.links, k);
      for (const s of changes.signatures) {
        if (!(s.signature instanceof Uint8Array) || !(s.anchors instanceof Uint8Array)) throw new TypeError('store: binary data expected');
        db.set(this.signatures, s.article, { ...(this.asGiven ? s : copy(s)), written: ++this.written });
        db.undo(() => this.written--);
      }
      for (const l of changes.reuseLinks) db.set(this.links, key(l.a, l.b), structuredClone(l));
    });
  }

  private storedAt(article: string): number | null {
    return this.db.seqOf(article);
  }

  loadSignatures(): Promise<StoredSignature[]> {
    return this.db.read(() =>
      [...this.signatures.values()].sort((x, y) => compareNullable(this.storedAt(x.article), this.storedAt(y.article)) || (x.article < y.article ? -1 : x.article > y.article ? 1 : 0)).map(copy),
    );
  }

  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }> {
    return this.db.read(() => {
      const rows = [...this.signatures.values()]
        .filter((s) => s.written > cursor)
        .sort((x, y) => x.written - y.written)
        .slice(0, Math.max(0, Math.floor(limit)));
      return {
        signatures: rows.map((s) => ({ ...copy(s), stored: this.storedAt(s.article) ?? -1 })),
        cursor: rows.length > 0 ? rows[rows.length - 1]!.written : cursor,
      };
    });
  }

  signatureCursor(): Promise<number> {
    // the last position given: signatures are never removed but by a rollback, which takes
    // its positions back too, so it is the largest one held (the engine asks at every batch,
    // and a scan of every signature was 1-2 % of dupes on 21,000 articles)
    return this.db.read(() => this.written);
  }

  linksOf(article: ArticleId): Promise<ReuseLink[]> {
    return this.db.read(() => {
      const all = [...this.links.values()];
      return [...all.filter((l) => l.a === article).sort(byPair), ...all.filter((l) => l.b === article).sort(byPair)].map((l) => structuredClone(l));
    });
  }

  linksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]> {
    return this.db.read(() => {
      const set = new Set<string>(articles);
      const all = [...this.links.values()].sort(byPair);
      return articles.flatMap((id) => all.filter((l) => l.a === id && set.has(l.b))).map((l) => structuredClone(l));
    });
  }

  list(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }> {
    return this.db.read(() => {
      const all = [...this.links.values()].sort((x, y) => y.jaccard - x.jaccard || byPair(x, y));
      const offset = query.offset ?? 0;
      return { items: all.slice(offset, offset + query.limit).map((l) => structuredClone(l)), total: all.length };
    });
  }
}

import type { Article } from '../../domain/article.js';
import type { UnitOfWork } from '../store.js';

/** A stored article: its current version and the older ones, oldest first. */
export interface ArticleRecord {
  readonly seq: number;
  article: Article;
  identityKey: string;
  readonly older: Article[];
}

/**
 * The tables of the in-memory store, shared by its article store and repositories, and the
 * journal that makes their writes transactional: every change inside a transaction records
 * how to undo it, and a rollback undoes them newest first. Nothing here is persisted.
 */
export class MemoryDb {
  /** by id, in the order first stored (an update keeps its place) */
  readonly articles = new Map<string, ArticleRecord>();
  /** article ids by seq - 1 */
  readonly order: string[] = [];
  readonly byIdentity = new Map<string, string[]>();
  /** commits so far: the change token */
  commits = 0;
  private journal: Array<() => void> | null = null;
  private tx: MemoryUnitOfWork | null = null;
  closed = false;

  /** Records how to undo a change made now (a no-op outside a transaction: nothing to roll back). */
  undo(fn: () => void): void {
    this.journal?.push(fn);
  }

  /** Sets `map[key]`, recording how to put back what was there. */
  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const before = map.get(key);
    map.set(key, value);
    this.undo(() => (had ? map.set(key, before as V) : map.delete(key)));
  }

  /** Deletes `map[key]`, recording how to put it back. */
  delete<K, V>(map: Map<K, V>, key: K): boolean {
    if (!map.has(key)) return false;
    const before = map.get(key) as V;
    map.delete(key);
    this.undo(() => map.set(key, before));
    return true;
  }

  /** Runs `fn` as one transaction (nested in one that is open: rolled back alone if it throws). */
  async transaction<T>(fn: (tx: UnitOfWork) => Promise<T>): Promise<T> {
    const outer = this.journal === null;
    if (outer) this.journal = [];
    const mark = this.journal!.length;
    const parent = this.tx;
    const tx = new MemoryUnitOfWork(this);
    this.tx = tx;
    try {
      const out = await fn(tx);
      this.commits++;
      return out;
    } catch (e) {
      const journal = this.journal!;
      while (journal.length > mark) journal.pop()!();
      throw e;
    } finally {
      tx.open = false;
      this.tx = parent;
      if (outer) this.journal = null;
    }
  }

  /** Runs `fn` inside `tx`, which must be open on this store. */
  write<T>(tx: UnitOfWork, fn: () => T): Promise<T> {
    if (!(tx instanceof MemoryUnitOfWork) || tx.db !== this || !tx.open) {
      return Promise.reject(new Error('store: a write to the memory store was given a transaction that is not open on it'));
    }
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A read, as a promise (errors become rejections). */
  read<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The seq of an article, or null. */
  seqOf(id: string): number | null {
    return this.articles.get(id)?.seq ?? null;
  }
}

export class MemoryUnitOfWork implements UnitOfWork {
  readonly kind = 'memory';
  open = true;
  constructor(readonly db: MemoryDb) {}
}

/** Ascending by a key, nulls first (SQLite's order for NULL). */
export function compareNullable<T extends string | number>(a: T | null, b: T | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

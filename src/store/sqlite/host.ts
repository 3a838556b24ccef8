import type Database from 'better-sqlite3';
import { createError, isParallaxError, type ParallaxError } from '../../errors.js';
import type { UnitOfWork } from '../store.js';

/** Maps driver errors to catalogue errors that say what to do. */
export function storeError(e: unknown, path: string): ParallaxError {
  if (isParallaxError(e)) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message ?? String(e);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return createError('DB_LOCKED', `store: database ${path} is locked by another process; try again when it finishes`, { subject: path, cause: e });
  }
  if (code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && /read/i.test(msg))) {
    return createError('DB_READONLY', `store: database ${path} is read-only; nothing was written (check file permissions or use --db)`, { subject: path, cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || /directory does not exist/i.test(msg)) {
    return createError('DB_FAILED', `store: cannot open database ${path} (${msg}); does the folder exist and is it writable?`, { subject: path, cause: e });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return createError('DB_INCOMPATIBLE', `store: ${path} is not a Parallax database or is damaged (${msg})`, { subject: path, cause: e });
  }
  return createError('DB_FAILED', `store: database ${path} failed: ${msg}`, { subject: path, cause: e });
}

/** A SQLite transaction: the store's connection while it is open. */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly kind = 'sqlite';
  open = true;
  constructor(readonly db: Database.Database) {}
}

/**
 * What the SQLite article store and its repositories share: one connection (every statement
 * of a transaction runs on it), and the mapping of driver errors.
 */
export class SqliteHost {
  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Runs a synchronous read or write, its driver errors mapped. */
  run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(storeError(e, this.path));
    }
  }

  /** Runs `fn` inside `tx`, which must be an open transaction of this connection. */
  write<T>(tx: UnitOfWork, fn: () => T): Promise<T> {
    if (!(tx instanceof SqliteUnitOfWork) || tx.db !== this.db || !tx.open) {
      return Promise.reject(new Error(`store: a write to ${this.path} was given a transaction that is not open on it`));
    }
    return this.run(fn);
  }
}

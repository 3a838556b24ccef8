import type { PoolClient } from 'pg';
import type { UnitOfWork } from '../store.js';
import type { Sql } from './sql.js';

/** A PostgreSQL transaction: the connection `exclusive` holds while it is open. */
export class PgUnitOfWork implements UnitOfWork {
  readonly kind = 'postgres';
  open = true;
  constructor(readonly client: PoolClient) {}
}

/**
 * What the PostgreSQL article store lends its repositories: its connection (the writer's
 * transaction while one is open, else the pool), the mapping of driver errors, and its
 * write turn.
 */
export interface PgHost {
  /** the store's URL without its password */
  readonly label: string;
  readonly readonly: boolean;
  /** Runs `fn` with a query on the store's connection, once migrated; driver errors mapped. */
  run<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** As `run`, inside `tx`, which must be an open transaction of this store. */
  write<T>(tx: UnitOfWork, fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Store.exclusive */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the sources tables are there (a read-only store made before them has none). */
  sourcesReady(): Promise<boolean>;
}

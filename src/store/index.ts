export type { Store, WriteBatch, PutOutcome, PutStatus, ArticleSummary, ArticleQuery, SearchHit, StageState } from './store.js';
export { SqliteStore, ftsQuery } from './sqlite/sqlite-store.js';
export type { SqliteOptions } from './sqlite/sqlite-store.js';
export { openStore } from './open.js';
export { PostgresStore } from './postgres/postgres-store.js';
export type { PostgresOptions } from './postgres/postgres-store.js';
export { isPostgresUrl } from './open.js';

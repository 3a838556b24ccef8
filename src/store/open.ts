import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { MemoryStore } from './memory/memory-store.js';

/** True for a `postgres://` or `postgresql://` store location. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The store factory: a path or `sqlite:` URL gives the embedded SQLite store (the
 * default); `:memory:` a throw-away SQLite one; `memory:` the in-memory store (nothing
 * written anywhere: the commands that read files); a `postgres://` URL the shared PostgreSQL store
 * (its driver is loaded on first use, so SQLite users never load it).
 */
export function openStore(location: string, options: { readonly?: boolean; mustExist?: boolean } = {}): Store {
  if (isPostgresUrl(location)) {
    return PostgresStore.open({ url: location, readonly: options.readonly ?? false, mustExist: options.mustExist ?? false });
  }
  if (location === 'memory:') return MemoryStore.open();
  const path = location.replace(/^sqlite:(\/\/)?/i, '');
  return SqliteStore.open({ path, readonly: options.readonly ?? false, mustExist: options.mustExist ?? false });
}

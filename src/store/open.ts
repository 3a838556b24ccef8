import { createError } from '../errors.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/**
 * The store factory: a path or `sqlite:` URL gives the embedded SQLite store (the
 * default); `:memory:` a throw-away one. `postgres://` is reserved for the scale-out
 * store and refused until it exists.
 */
export function openStore(location: string, options: { readonly?: boolean; mustExist?: boolean } = {}): Store {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    throw createError('USAGE', `store: PostgreSQL stores are not available yet; use a SQLite file path for --db`, { subject: location });
  }
  const path = location.replace(/^sqlite:(\/\/)?/i, '');
  return SqliteStore.open({ path, readonly: options.readonly ?? false, mustExist: options.mustExist ?? false });
}

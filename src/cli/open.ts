import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { dbPath, type Io } from './context.js';

/** Opens the store of `--db`; commands that only read pass `mustExist` (no new file at a mistyped path). */
export function openDefaultStore(db: string | undefined, io: Io, options: { readonly?: boolean; mustExist?: boolean } = {}): Store {
  return openStore(dbPath(db, io), options);
}

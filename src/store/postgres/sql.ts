export { splitSnippet } from '../sqlite/fts.js';
import { foldDiacritics } from './fold.js';
/** A query on the connection a call runs on (the writer's transaction, or the pool): rows out. */
export type Sql = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<R[]>;

/** Bytes as the driver wants them (a Buffer over the same memory, no copy). */
export function bytes(u: Uint8Array): Buffer {
  if (!(u instanceof Uint8Array)) throw new TypeError('store: binary data expected');
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** PostgreSQL tsquery from user text: every word a prefix term, all required, diacritics folded as the index folds them; no query syntax leaks through. */
export function tsQuery(text: string): string | null {
  const words = foldDiacritics(text).match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words
    .slice(0, 16)
    .map((w) => `'${w.toLowerCase()}':*`)
    .join(' & ');
}

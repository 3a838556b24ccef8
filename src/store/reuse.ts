import type { ArticleId } from '../domain/ids.js';
import type { ReuseLink } from '../domain/reuse.js';
import type { UnitOfWork } from './unit-of-work.js';

/** A dedup signature as stored: bytes plus the key of the parameters that made it. */
export interface StoredSignature {
  readonly article: ArticleId;
  readonly params: string;
  readonly signature: Uint8Array;
  readonly anchors: Uint8Array;
}

/** What the dedup stage writes for a batch. */
export interface ReuseChanges {
  /** signatures of new or changed articles */
  readonly signatures: readonly StoredSignature[];
  /** the reuse links found for them */
  readonly reuseLinks: readonly ReuseLink[];
  /** articles whose old links are dropped first (their text changed) */
  readonly relinked: readonly ArticleId[];
}

/**
 * The reprint repository: dedup signatures (numbered as they are written) and the reuse links
 * between articles. Every implementation passes test/conformance/reuse.case.ts.
 */
export interface ReuseRepository {
  /** Applies a batch's changes inside `tx`: links of `relinked` dropped, then signatures and links upserted. */
  write(tx: UnitOfWork, changes: ReuseChanges): Promise<void>;
  /**
   * Every stored signature (to rebuild the dedup index at start), in the order the articles
   * were first stored: the index ranks candidates by age, which must survive a restart.
   */
  loadSignatures(): Promise<StoredSignature[]>;
  /**
   * Up to `limit` signatures written (new or replaced) after position `cursor` (0: from the
   * first), in the order they were written, and the position of the last one returned: a
   * dedup index sharing the store with another writer adds what that writer signed. Each
   * carries its article's place in first-stored order (`stored`; -1 without an article), the
   * order loadSignatures returns them in.
   */
  signaturesWrittenAfter(cursor: number, limit: number): Promise<{ signatures: Array<StoredSignature & { readonly stored: number }>; cursor: number }>;
  /** The position of the last signature written (0 if none). */
  signatureCursor(): Promise<number>;
  /** Reuse links that involve an article. */
  linksOf(article: ArticleId): Promise<ReuseLink[]>;
  /** Reuse links between articles of a set (a story's reprint graph). */
  linksAmong(articles: readonly ArticleId[]): Promise<ReuseLink[]>;
  /** Every link, the most similar first. */
  list(query: { limit: number; offset?: number }): Promise<{ items: ReuseLink[]; total: number }>;
}

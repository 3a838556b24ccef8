/** Text reuse between two articles, as detected by dedup and stored. */
export type ReuseClass = 'exact' | 'near-duplicate' | 'contains' | 'partial-reuse';

export interface Passage {
  /** character range in article A and in article B */
  readonly a: { readonly start: number; readonly end: number };
  readonly b: { readonly start: number; readonly end: number };
  /** words covered */
  readonly words: number;
}

export interface ReuseLink {
  /** the pair, ordered: a < b */
  readonly a: string;
  readonly b: string;
  readonly class: ReuseClass;
  /** from the MinHash signatures */
  readonly estimatedJaccard: number;
  /** from the exact shingle sets */
  readonly jaccard: number;
  /** share of A's shingles found in B, and of B's in A */
  readonly containment: { readonly aInB: number; readonly bInA: number };
  readonly passages: readonly Passage[];
  /** the likely original (a or b), or null when nothing tells */
  readonly original: string | null;
  readonly reason: string | null;
}

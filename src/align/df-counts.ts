/**
 * The persisted form of a DF table (concept document frequencies). Its own module because the
 * shipped table (df-table.ts) is data that idf.ts reads: both depend on this type, neither on
 * the other's module.
 */
export interface DfCounts {
  readonly formatVersion: number;
  /** version of the lexicon the concepts were computed with */
  readonly lexiconVersion: number;
  readonly documents: number;
  /** `concept df` pairs, space separated, one pair per line */
  readonly counts: string;
}

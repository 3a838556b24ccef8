import { createError } from '../errors.js';
import { LEXICON_VERSION } from './lexicon.js';
import type { DfCounts } from './df-counts.js';
import { SHIPPED_DF } from './df-table.js';

export type { DfCounts } from './df-counts.js';

/**
 * Inverse document frequency of concepts. The default table ships in the repository
 * (document frequencies over the ECB+ development topics, CC BY 3.0, see docs/DESIGN.md);
 * a store that has seen more news can supply its own through `idfFromCounts`.
 *
 * idf = ln(1 + N / (df + 1)): bounded for unseen words (they are likely names or rare
 * terms and deserve a high weight), close to 0.7 for words in nearly every document.
 */
export interface IdfTable {
  readonly formatVersion: number;
  readonly lexiconVersion: number;
  readonly documents: number;
  weight(concept: string): number;
}

export const IDF_FORMAT_VERSION = 1;

/** Numbers are specific but not as telling as a name: weighted like a word seen in ~2% of documents. */
const NUMBER_DF_SHARE = 0.02;

export function idfFromCounts(table: DfCounts): IdfTable {
  if (table.formatVersion !== IDF_FORMAT_VERSION) {
    throw createError('FORMAT_VERSION', `idf: expected DF table format ${IDF_FORMAT_VERSION}, found ${table.formatVersion}`, { subject: 'idf' });
  }
  if (table.lexiconVersion !== LEXICON_VERSION) {
    // concepts from another lexicon would be looked up under the wrong keys: refuse
    throw createError('PARAMS_MISMATCH', `idf: DF table built with lexicon ${table.lexiconVersion}, this build uses lexicon ${LEXICON_VERSION}; rebuild it`, { subject: 'idf' });
  }
  if (!Number.isInteger(table.documents) || table.documents < 1) {
    throw createError('INVALID_FIELD', `idf: expected a document count >= 1, found ${table.documents}`, { subject: 'idf.documents' });
  }
  const df = new Map<string, number>();
  for (const line of table.counts.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const n = Number(line.slice(sp + 1));
    if (Number.isInteger(n) && n > 0) df.set(line.slice(0, sp), n);
  }
  const N = table.documents;
  const cache = new Map<string, number>();
  const numberWeight = Math.log(1 + N / (N * NUMBER_DF_SHARE + 1));
  return {
    formatVersion: table.formatVersion,
    lexiconVersion: table.lexiconVersion,
    documents: N,
    weight(concept: string): number {
      let w = cache.get(concept);
      if (w === undefined) {
        if (concept.charCodeAt(0) === 35 /* # number */) w = numberWeight;
        else w = Math.log(1 + N / ((df.get(concept) ?? 0) + 1));
        cache.set(concept, w);
      }
      return w;
    },
  };
}

let shipped: IdfTable | null = null;
/** The table shipped with Parallax. */
export function defaultIdf(): IdfTable {
  shipped ??= idfFromCounts(SHIPPED_DF);
  return shipped;
}

/** Counts document frequencies of concept sets, one set per document, into a persistable table. */
export function countDocumentFrequencies(documents: Iterable<Iterable<string>>, minDf = 1): DfCounts {
  const df = new Map<string, number>();
  let n = 0;
  for (const doc of documents) {
    n++;
    for (const c of new Set(doc)) df.set(c, (df.get(c) ?? 0) + 1);
  }
  const lines = [...df.entries()]
    .filter(([c, k]) => k >= minDf && !c.startsWith('#'))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c, k]) => `${c} ${k}`);
  return { formatVersion: IDF_FORMAT_VERSION, lexiconVersion: LEXICON_VERSION, documents: n, counts: lines.join('\n') };
}

import type { Span } from '../domain/article.js';
import { analyse } from '../text/analyse.js';

/**
 * What clustering reads from an article: weighted content-word stems, named-entity
 * strings and numbers, as three sparse bags, plus the publication time when known.
 * Entities are runs of capitalised tokens that are not merely sentence-initial; they are
 * what keeps two events of the same kind apart (two earthquakes share "quake" and
 * "magnitude", not "Qeshm" and "Sunday, 2008").
 */
export interface ClusterInput {
  readonly id: string;
  readonly text: string;
  readonly title?: string | null;
  readonly sentences?: readonly Span[];
  /** ISO date or date-time */
  readonly published?: string | null;
}

export interface Bag {
  readonly terms: string[];
  readonly counts: number[];
}

export interface Features {
  readonly words: Map<string, number>;
  readonly entities: Map<string, number>;
  readonly numbers: Map<string, number>;
  /** days since epoch, or NaN */
  readonly day: number;
}

// Capitalised words that are not names even mid-sentence.
const NOT_ENTITY = new Set(['i', 'mr', 'mrs', 'ms', 'dr', 'the', 'a', 'an', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'tv', 'ap', 'reuters', 'afp', 'news', 'said', 'says', 'update', 'updated', 'posted', 'published']);

function add(m: Map<string, number>, k: string, w = 1): void {
  m.set(k, (m.get(k) ?? 0) + w);
}

export function extractFeatures(input: ClusterInput): Features {
  const text = input.title && !input.text.startsWith(input.title) ? `${input.title}\n${input.text}` : input.text;
  const an = analyse(text, input.title && !input.text.startsWith(input.title) ? undefined : input.sentences);
  const words = new Map<string, number>();
  const entities = new Map<string, number>();
  const numbers = new Map<string, number>();
  const toks = an.tokens;
  // the first sentence (and title) carries the event: weight it up
  const leadEnd = an.sentences.length > 1 ? an.sentences[Math.min(1, an.sentences.length - 1)]!.end : text.length;
  let run: string[] = [];
  let runAtStart = false;
  const flush = (): void => {
    // a lone capitalised word opening a sentence is usually not a name ("Police said")
    if (run.length > 1 || (run.length === 1 && !runAtStart)) {
      add(entities, run.join(' '));
      // the last word of a multi-word name stands for it later ("Reid" for "Tara Reid")
      if (run.length > 1) add(entities, run[run.length - 1]!, 0.5);
    }
    run = [];
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const w = t.start < leadEnd ? 2 : 1;
    if (t.isNumber) {
      flush();
      // years and small counts are common; keep numbers of 2+ characters
      if (t.norm.length >= 2) add(numbers, t.norm.replace(/,/g, ''), w);
      continue;
    }
    if (t.isCapitalised && !t.isStopword && !NOT_ENTITY.has(t.norm) && t.norm.length > 1) {
      if (run.length === 0) runAtStart = t.isSentenceStart;
      run.push(t.norm);
    } else flush();
    if (!t.isStopword && t.norm.length >= 3) add(words, t.stem, w);
  }
  flush();
  const day = input.published ? Date.parse(input.published) / 86_400_000 : Number.NaN;
  return { words, entities, numbers, day };
}

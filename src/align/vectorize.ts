import type { Span } from '../domain/article.js';
import { analyse, type Token } from '../text/index.js';
import { type IdfTable, defaultIdf } from './idf.js';
import { NUMBER_WORDS } from '../text/numbers.js';
import { NEGATIONS, concept, matchPhrase, numberValue } from './lexicon.js';

export const KIND_WORD = 0;
export const KIND_ENTITY = 1;
export const KIND_NUMBER = 2;

/**
 * A sentence as the scorer sees it: its content concepts (lemma, synonym group or phrase,
 * numbers by value) as sorted unique 32-bit hashes with IDF weights, so two sentences
 * are compared by a linear merge of two typed arrays.
 */
export interface SentenceVector {
  /** sorted unique FNV-1a hashes of the concepts */
  readonly concepts: Uint32Array;
  readonly weights: Float32Array;
  readonly kinds: Uint8Array;
  /** concept strings, parallel to `concepts` (soft matching of derivations: Israel/Israeli) */
  readonly names: readonly string[];
  /** hash of the first four letters of each name (0 when shorter or a number): soft-match pre-filter */
  readonly prefix4: Uint32Array;
  /** sum of weights */
  readonly total: number;
  /** sorted unique hashes of consecutive concept pairs, in text order */
  readonly bigrams: Uint32Array;
  /** number of negation words */
  readonly negations: number;
  /** content tokens in order (with repeats), for the length feature */
  readonly length: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const SCALE = /^(\d[\d,]*(?:\.\d+)?)(mn|bn|m|b|k|million|billion|thousand)$/;
const SCALE_VALUE: Record<string, number> = { mn: 1e6, m: 1e6, million: 1e6, bn: 1e9, b: 1e9, billion: 1e9, k: 1e3, thousand: 1e3 };

/** Formats a number concept so 1.2 million and 1,200,000 agree. */
function numberConcept(v: number): string {
  return `#${Number(v.toPrecision(12))}`;
}

interface Emitted {
  name: string;
  kind: number;
}

/**
 * Reads the content concepts of tokens[from, to). `capitalisedInText` holds words seen
 * capitalised away from a sentence start in the same text: a sentence-initial word counts
 * as a name only when it is also capitalised elsewhere (Hamas, Israel), not The or Mediators.
 */
function emitConcepts(text: string, tokens: readonly Token[], from: number, to: number, capitalisedInText: ReadonlySet<string>, out: Emitted[]): number {
  let negations = 0;
  const norms: string[] = [];
  for (let i = from; i < to; i++) norms.push(tokens[i]!.norm);
  for (let k = 0; k < norms.length; k++) {
    const t = tokens[from + k]!;
    const norm = norms[k]!;
    const phrase = matchPhrase(norms, k);
    if (phrase) {
      out.push({ name: phrase.concept, kind: KIND_WORD });
      k += phrase.length - 1;
      continue;
    }
    // acronyms written with dots (U.S., U.N.) come out of the tokeniser as single letters
    if (norm.length === 1 && t.isCapitalised && text.charCodeAt(t.end) === 46) {
      let acronym = norm;
      let j = k + 1;
      while (j < norms.length && norms[j]!.length === 1 && tokens[from + j]!.start === tokens[from + j - 1]!.end + 1 && tokens[from + j]!.isCapitalised) {
        acronym += norms[j]!;
        j++;
      }
      if (acronym.length > 1) {
        out.push({ name: concept(acronym), kind: KIND_ENTITY });
        k = j - 1;
        continue;
      }
    }
    let value = Number.NaN;
    if (t.isNumber) value = numberValue(norm);
    else if (norm !== 'one' && NUMBER_WORDS.has(norm) && !/^(?:mn|bn)$/.test(norm)) value = NUMBER_WORDS.get(norm)!;
    else {
      const m = SCALE.exec(norm);
      if (m) value = numberValue(m[1]!) * SCALE_VALUE[m[2]!]!;
    }
    if (!Number.isNaN(value)) {
      // "1.2 million", "two hundred", "a million": fold following scale words into the value
      while (k + 1 < norms.length) {
        const scale = NUMBER_WORDS.get(norms[k + 1]!);
        if (scale === undefined || scale < 100) break;
        value *= scale;
        k++;
      }
      out.push({ name: numberConcept(value), kind: KIND_NUMBER });
      continue;
    }
    if (NEGATIONS.has(norm)) negations++;
    const surface = text.slice(t.start, t.end);
    const acronymCaps = surface.length >= 2 && surface === surface.toUpperCase() && /[A-Z]/.test(surface);
    if (t.isStopword && !acronymCaps) continue;
    if (norm.length < 2) continue;
    const isName = t.isCapitalised && (!t.isSentenceStart || capitalisedInText.has(norm));
    out.push({ name: concept(norm), kind: isName ? KIND_ENTITY : KIND_WORD });
  }
  return negations;
}

function buildVector(emitted: readonly Emitted[], negations: number, idf: IdfTable): SentenceVector {
  const n = emitted.length;
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = hashString(emitted[i]!.name);
  const bigramList = new Uint32Array(Math.max(0, n - 1));
  for (let i = 0; i + 1 < n; i++) bigramList[i] = (Math.imul(hashes[i]!, 0x9e3779b1) ^ hashes[i + 1]!) >>> 0;
  bigramList.sort();
  let nb = 0;
  for (let i = 0; i < bigramList.length; i++) if (i === 0 || bigramList[i] !== bigramList[i - 1]) bigramList[nb++] = bigramList[i]!;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hashes[a]! - hashes[b]!);
  const concepts: number[] = [];
  const weights: number[] = [];
  const kinds: number[] = [];
  const names: string[] = [];
  let total = 0;
  for (const i of order) {
    const h = hashes[i]!;
    const e = emitted[i]!;
    const last = concepts.length - 1;
    if (last >= 0 && concepts[last] === h) {
      // a word used as a name once and as a word once keeps the name flag
      if (e.kind === KIND_ENTITY) kinds[last] = KIND_ENTITY;
      continue;
    }
    const w = idf.weight(e.name);
    concepts.push(h);
    weights.push(w);
    kinds.push(e.kind);
    names.push(e.name);
    total += w;
  }
  const prefix4 = new Uint32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name.length >= 4 && kinds[i] !== KIND_NUMBER) prefix4[i] = hashString(name.slice(0, 4)) || 1;
  }
  return {
    concepts: Uint32Array.from(concepts),
    prefix4,
    weights: Float32Array.from(weights),
    kinds: Uint8Array.from(kinds),
    names,
    total,
    bigrams: bigramList.slice(0, nb),
    negations,
    length: n,
  };
}

export interface VectorizeOptions {
  readonly idf?: IdfTable;
}

/** Vectors of every sentence of a normalised text, with its sentence spans. */
export function vectorizeSentences(text: string, sentences: readonly Span[], options: VectorizeOptions = {}): SentenceVector[] {
  const idf = options.idf ?? defaultIdf();
  const analysis = analyse(text, sentences);
  const tokens = analysis.tokens;
  const capitalised = new Set<string>();
  for (const t of tokens) if (t.isCapitalised && !t.isSentenceStart && !t.isStopword) capitalised.add(t.norm);
  const out: SentenceVector[] = [];
  let i = 0;
  const emitted: Emitted[] = [];
  for (let s = 0; s < sentences.length; s++) {
    const from = i;
    while (i < tokens.length && tokens[i]!.sentence === s) i++;
    emitted.length = 0;
    const negations = emitConcepts(text, tokens, from, i, capitalised, emitted);
    out.push(buildVector(emitted, negations, idf));
  }
  return out;
}

/** The vector of one piece of text taken as a single sentence (the pair scorer's input). */
export function vectorizeText(text: string, options: VectorizeOptions = {}): SentenceVector {
  return vectorizeSentences(text, text.length > 0 ? [{ start: 0, end: text.length }] : [{ start: 0, end: 0 }], options)[0]!;
}

/** Concept names of a text, for document-frequency counting. */
export function conceptsOf(text: string, sentences: readonly Span[]): string[] {
  const tokens = analyse(text, sentences).tokens;
  const capitalised = new Set<string>();
  for (const t of tokens) if (t.isCapitalised && !t.isSentenceStart && !t.isStopword) capitalised.add(t.norm);
  const emitted: Emitted[] = [];
  let i = 0;
  for (let s = 0; s < sentences.length; s++) {
    const from = i;
    while (i < tokens.length && tokens[i]!.sentence === s) i++;
    emitConcepts(text, tokens, from, i, capitalised, emitted);
  }
  return emitted.map((e) => e.name);
}

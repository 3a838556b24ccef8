import { DEFAULT_MODEL, type PairFeatures, type ScoreModel, pairFeatures, scoreFeatures } from './score.js';
import type { SentenceVector } from './vectorize.js';

/**
 * Sentence alignment across the articles of one story.
 *
 * 1. Candidates come from an inverted index of concepts (not all pairs): a pair is scored
 *    only when the two sentences share at least `minSharedWeight` of the smaller one's
 *    IDF weight, and each sentence keeps at most `maxCandidates` partners, so the work
 *    grows with the number of sentences, not its square.
 * 2. Each candidate gets the pair score (the same as `parallax similarity`). A pair at or
 *    above the model's `same` threshold is a paraphrase; a weaker pair where one sentence is
 *    mostly contained in the other is partial. A pair next to a paraphrase pair in both
 *    articles (i-1, j-1 or i+1, j+1) gets a small bonus: articles tend to tell a story in
 *    the same order, so a borderline pair in step with its neighbours is likelier right.
 * 3. Pairs are merged into facts best first, like single-link clustering with a
 *    cannot-link rule: a fact holds at most one sentence per article, except when a long
 *    sentence of one article is split across two sentences of another (1-to-many): both
 *    must be mostly contained in it and cover different parts of it.
 */

export interface SentenceRef {
  /** index of the document in the input */
  readonly article: number;
  readonly index: number;
}

export type Relation = 'identical' | 'paraphrase' | 'partial';

export interface Fact {
  /** ordered by article, then index */
  readonly sentences: readonly SentenceRef[];
  readonly relation: Relation;
  /** mean score of the pairs that formed the fact */
  readonly score: number;
  /** number of distinct articles */
  readonly articles: number;
}

export interface AlignedPair {
  readonly a: SentenceRef;
  readonly b: SentenceRef;
  readonly score: number;
  readonly features: PairFeatures;
}

export interface Alignment {
  readonly facts: readonly Fact[];
  /** for each document, indexes of its sentences in no fact */
  readonly unique: readonly (readonly number[])[];
  /** pairs accepted into facts */
  readonly pairs: readonly AlignedPair[];
  /** candidate pairs scored (for benchmarks) */
  readonly scored: number;
}

export interface AlignDocument {
  readonly vectors: readonly SentenceVector[];
  /** sentence texts, to tell identical sentences from paraphrases (optional) */
  readonly texts?: readonly string[];
  /** documents of different languages are not aligned with each other */
  readonly language?: string;
}

export interface AlignOptions {
  readonly model?: ScoreModel;
  /** lowest score of a partial pair */
  readonly partialThreshold?: number;
  /** a partial pair needs one side covered at least this much by the other */
  readonly partialCover?: number;
  /** bonus for a pair in step with a neighbouring paraphrase pair */
  readonly monotoneBonus?: number;
  /** share of a sentence's weight it must share with another to be scored (prefix filter) */
  readonly minSharedWeight?: number;
  readonly maxCandidates?: number;
  /** concepts on more postings than this are too common to make candidates */
  readonly maxPostings?: number;
  /** score every cross-article pair instead of index candidates (the naive reference for tests) */
  readonly exhaustive?: boolean;
}

export const DEFAULT_ALIGN_OPTIONS: Required<Omit<AlignOptions, 'model'>> = {
  exhaustive: false,
  partialThreshold: 0.3,
  partialCover: 0.5,
  monotoneBonus: 0.08,
  minSharedWeight: 0.18,
  maxCandidates: 48,
  maxPostings: 20_000,
};

/** Indexes of a sentence's concepts, heaviest first (ties by hash, for determinism). */
function byWeight(v: SentenceVector): number[] {
  const idx = Array.from({ length: v.concepts.length }, (_, i) => i);
  return idx.sort((x, y) => v.weights[y]! - v.weights[x]! || v.concepts[x]! - v.concepts[y]!);
}

interface Edge {
  g: number;
  h: number;
  score: number;
  f: PairFeatures;
  paraphrase: boolean;
}

/** Letters and digits only, lower-cased: texts equal under it differ only in case, punctuation or spacing. */
export function textKey(t: string): string {
  return t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function alignSentences(docs: readonly AlignDocument[], options: AlignOptions = {}): Alignment {
  const o = { ...DEFAULT_ALIGN_OPTIONS, ...options };
  const model = options.model ?? DEFAULT_MODEL;
  // flatten sentences to global ids
  let total = 0;
  for (const d of docs) total += d.vectors.length;
  const docOf = new Int32Array(total);
  const idxOf = new Int32Array(total);
  const vecs: SentenceVector[] = new Array(total);
  const firstOf = new Int32Array(docs.length + 1);
  let g = 0;
  for (let d = 0; d < docs.length; d++) {
    firstOf[d] = g;
    const vs = docs[d]!.vectors;
    for (let i = 0; i < vs.length; i++, g++) {
      docOf[g] = d;
      idxOf[g] = i;
      vecs[g] = vs[i]!;
    }
  }
  firstOf[docs.length] = g;
  const lang = docs.map((d) => d.language ?? 'und');
  const comparable = (a: number, b: number): boolean => lang[a] === lang[b] || lang[a] === 'und' || lang[b] === 'und';

  // inverted index: concept -> sentences
  const postings = new Map<number, number[]>();
  for (let s = 0; s < total; s++) {
    const c = vecs[s]!.concepts;
    for (let k = 0; k < c.length; k++) {
      const list = postings.get(c[k]!);
      if (list) list.push(s);
      else postings.set(c[k]!, [s]);
    }
  }

  // candidate pairs as keys a * total + b (a < b), collected in a typed array, then
  // sorted and made unique: cheaper than a hash set for hundreds of thousands of pairs
  let keys = new Float64Array(1024);
  let nk = 0;
  const addKey = (a: number, b: number): void => {
    if (nk === keys.length) {
      const grown = new Float64Array(keys.length * 2);
      grown.set(keys);
      keys = grown;
    }
    keys[nk++] = a < b ? a * total + b : b * total + a;
  };
  if (o.exhaustive) {
    for (let s = 0; s < total; s++) {
      for (let t = s + 1; t < total; t++) {
        if (docOf[s] !== docOf[t] && vecs[s]!.total > 0 && vecs[t]!.total > 0 && comparable(docOf[s]!, docOf[t]!)) addKey(s, t);
      }
    }
  }
  const acc = new Float64Array(total);
  const touched = new Int32Array(total);
  const pickedT = new Int32Array(total);
  const pickedW = new Float64Array(total);
  for (let s = 0; s < total && !o.exhaustive; s++) {
    const v = vecs[s]!;
    if (v.total === 0) continue;
    let nt = 0;
    // Prefix filtering (as in all-pairs similarity joins): a pair sharing at least
    // minSharedWeight of this sentence's weight must share one of its heaviest concepts
    // whose weights add up to more than the rest, so only those are looked up. Pairs where
    // this sentence is the larger one are found from the other side.
    const order = byWeight(v);
    let rest = v.total;
    for (let r = 0; r < order.length && rest >= o.minSharedWeight * v.total - 1e-9; r++) {
      const k = order[r]!;
      rest -= v.weights[k]!;
      const list = postings.get(v.concepts[k]!)!;
      if (list.length > o.maxPostings) continue;
      const w = v.weights[k]!;
      for (let p = 0; p < list.length; p++) {
        const t = list[p]!;
        if (docOf[t] === docOf[s]) continue;
        if (acc[t] === 0) touched[nt++] = t;
        acc[t] = acc[t]! + w;
      }
    }
    let np = 0;
    for (let p = 0; p < nt; p++) {
      const t = touched[p]!;
      if (comparable(docOf[s]!, docOf[t]!)) {
        pickedT[np] = t;
        pickedW[np++] = acc[t]!;
      }
      acc[t] = 0;
    }
    if (np > o.maxCandidates) {
      // keep the maxCandidates partners sharing the most weight: a native numeric sort of
      // the weights gives the cut-off (a comparator sort per sentence was the hot spot)
      const cut = pickedW.slice(0, np).sort()[np - o.maxCandidates]!;
      let kept = 0;
      for (let q = 0; q < np; q++) {
        if (pickedW[q]! > cut) {
          addKey(s, pickedT[q]!);
          kept++;
        }
      }
      // ties at the cut-off: first touched first, which is deterministic
      for (let q = 0; q < np && kept < o.maxCandidates; q++) {
        if (pickedW[q] === cut) {
          addKey(s, pickedT[q]!);
          kept++;
        }
      }
    } else for (let q = 0; q < np; q++) addKey(s, pickedT[q]!);
  }
  let pairKeys: Float64Array;
  if (total * total <= 1 << 22) {
    // small inputs (a few articles): a bitmap of pairs, read in order, beats sorting
    const seen = new Uint8Array(total * total);
    for (let i = 0; i < nk; i++) seen[keys[i]!] = 1;
    const list: number[] = [];
    for (let k = 0; k < seen.length; k++) if (seen[k] === 1) list.push(k);
    pairKeys = Float64Array.from(list);
  } else {
    const sortedKeys = keys.subarray(0, nk).sort();
    let n = 0;
    for (let i = 0; i < nk; i++) if (i === 0 || sortedKeys[i] !== sortedKeys[i - 1]) sortedKeys[n++] = sortedKeys[i]!;
    pairKeys = sortedKeys.slice(0, n);
  }
  const nu = pairKeys.length;
  const findKey = (key: number): number => {
    let lo = 0;
    let hi = nu - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = pairKeys[mid]!;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  // score
  const edges: Edge[] = [];
  const edgeAt: (Edge | undefined)[] = new Array(nu);
  for (let i = 0; i < nu; i++) {
    const key = pairKeys[i]!;
    const a = Math.floor(key / total);
    const b = key - a * total;
    const f = pairFeatures(vecs[a]!, vecs[b]!);
    const score = scoreFeatures(f, model);
    if (score >= o.partialThreshold - o.monotoneBonus) {
      const e: Edge = { g: a, h: b, score, f, paraphrase: score >= model.sameThreshold };
      edges.push(e);
      edgeAt[i] = e;
    }
  }
  const edgeOf = (a: number, b: number): Edge | undefined => {
    const i = findKey(Math.min(a, b) * total + Math.max(a, b));
    return i < 0 ? undefined : edgeAt[i];
  };
  // monotone bonus: a neighbour pair in step is a paraphrase
  const neighbourIsParaphrase = (a: number, b: number, step: number): boolean => {
    const a2 = a + step;
    const b2 = b + step;
    if (a2 < 0 || b2 < 0 || a2 >= total || b2 >= total || docOf[a2] !== docOf[a] || docOf[b2] !== docOf[b]) return false;
    return edgeOf(a2, b2)?.paraphrase ?? false;
  };
  const accepted: Edge[] = [];
  for (const e of edges) {
    let score = e.score;
    if (!e.paraphrase && (neighbourIsParaphrase(e.g, e.h, -1) || neighbourIsParaphrase(e.g, e.h, 1))) score = Math.min(1, score + o.monotoneBonus);
    const paraphrase = score >= model.sameThreshold;
    const contained = Math.max(e.f.coverA, e.f.coverB) >= o.partialCover;
    if (paraphrase || (score >= o.partialThreshold && contained)) accepted.push({ ...e, score, paraphrase });
  }
  accepted.sort((x, y) => y.score - x.score || x.g - y.g || x.h - y.h);

  // best-first merging with the one-sentence-per-article rule; each fact keeps its
  // members and the set of its articles so a merge is checked in time of the smaller side
  const parent = new Int32Array(total);
  for (let s = 0; s < total; s++) parent[s] = s;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const members = new Map<number, number[]>();
  const docsIn = new Map<number, Set<number>>();
  const hasSplit = new Set<number>();
  const partialRoot = new Set<number>();
  const scoreSum = new Map<number, [number, number]>();
  const membersOf = (r: number): number[] => members.get(r) ?? [r];
  const docsOf = (r: number): Set<number> => docsIn.get(r) ?? new Set([docOf[r]!]);
  const used: AlignedPair[] = [];
  const ref = (s: number): SentenceRef => ({ article: docOf[s]!, index: idxOf[s]! });

  /**
   * 1-to-many: `h`, alone, joins the fact of `g` although its article already has a
   * sentence there (`other`), when `g` is split across `other` and `h`: both are mostly
   * contained in `g` and they cover different parts of it. One split per fact, of two.
   */
  const isSplit = (g: number, h: number, gh: PairFeatures, rootG: number): boolean => {
    if (hasSplit.has(rootG)) return false;
    let other = -1;
    for (const s of membersOf(rootG)) if (docOf[s] === docOf[h]) other = s;
    if (other < 0 || other === h) return false;
    const e2 = edgeOf(g, other);
    if (!e2) return false;
    // features are stored for (smaller id, larger id): orient them as (g, x)
    const coverOfH = g < h ? gh.coverB : gh.coverA;
    const coverOfGbyH = g < h ? gh.coverA : gh.coverB;
    const coverOfOther = e2.h === other ? e2.f.coverB : e2.f.coverA;
    const coverOfGbyOther = e2.h === other ? e2.f.coverA : e2.f.coverB;
    return coverOfH >= o.partialCover && coverOfOther >= o.partialCover && coverOfGbyH >= 0.2 && coverOfGbyH + coverOfGbyOther <= 1.25;
  };

  for (const e of accepted) {
    const ra = find(e.g);
    const rb = find(e.h);
    if (ra === rb) continue;
    const da = docsOf(ra);
    const db = docsOf(rb);
    const [smallDocs, largeDocs] = da.size <= db.size ? [da, db] : [db, da];
    let clash = false;
    for (const d of smallDocs) if (largeDocs.has(d)) clash = true;
    // one split per fact: two facts that each hold one do not merge (found by the property
    // test over four articles: the merged fact had two articles with two sentences each)
    if (!clash && hasSplit.has(ra) && hasSplit.has(rb)) continue;
    let split = false;
    if (clash) {
      if (membersOf(rb).length === 1) split = isSplit(e.g, e.h, e.f, ra);
      else if (membersOf(ra).length === 1) split = isSplit(e.h, e.g, e.f, rb);
      if (!split) continue;
    }
    const [small, large] = membersOf(ra).length < membersOf(rb).length ? [ra, rb] : [rb, ra];
    parent[small] = large;
    const into = members.get(large) ?? [large];
    for (const m of membersOf(small)) into.push(m);
    members.set(large, into);
    members.delete(small);
    const docsInto = docsIn.get(large) ?? new Set([docOf[large]!]);
    for (const d of docsOf(small)) docsInto.add(d);
    docsIn.set(large, docsInto);
    docsIn.delete(small);
    const sa = scoreSum.get(ra) ?? [0, 0];
    const sb = scoreSum.get(rb) ?? [0, 0];
    scoreSum.set(large, [sa[0] + sb[0] + e.score, sa[1] + sb[1] + 1]);
    scoreSum.delete(small);
    if (split || hasSplit.has(small) || hasSplit.has(large)) hasSplit.add(large);
    hasSplit.delete(small);
    if (split || !e.paraphrase || partialRoot.has(small) || partialRoot.has(large)) partialRoot.add(large);
    partialRoot.delete(small);
    used.push({ a: ref(e.g), b: ref(e.h), score: e.score, features: e.f });
  }

  const facts: Fact[] = [];
  const inFact = new Uint8Array(total);
  for (const [root, ms] of members) {
    if (ms.length < 2) continue;
    const sorted = [...ms].sort((x, y) => x - y);
    for (const s of sorted) inFact[s] = 1;
    const texts = sorted.map((s) => docs[docOf[s]!]!.texts?.[idxOf[s]!]);
    const identical = texts.every((t) => t !== undefined) && new Set(texts.map((t) => textKey(t!))).size === 1;
    const [sum, n] = scoreSum.get(root) ?? [0, 1];
    facts.push({
      sentences: sorted.map(ref),
      relation: identical ? 'identical' : partialRoot.has(root) ? 'partial' : 'paraphrase',
      score: sum / n,
      articles: new Set(sorted.map((s) => docOf[s]!)).size,
    });
  }
  facts.sort((x, y) => x.sentences[0]!.article - y.sentences[0]!.article || x.sentences[0]!.index - y.sentences[0]!.index);
  const unique: number[][] = docs.map(() => []);
  for (let s = 0; s < total; s++) if (!inFact[s]) unique[docOf[s]!]!.push(idxOf[s]!);
  return { facts, unique, pairs: used, scored: nu };
}

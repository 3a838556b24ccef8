import type { AlignDocument, ResolvedAlignOptions, Sentences } from './types.js';
import type { SentenceVector } from './vectorize.js';

/**
 * The first step of sentence alignment: which pairs of sentences are worth scoring.
 * Candidates come from an inverted index of concepts (not all pairs): a pair is scored only
 * when the two sentences share at least `minSharedWeight` of the smaller one's IDF weight,
 * and each sentence keeps at most `maxCandidates` partners, so the work grows with the
 * number of sentences, not its square.
 */

/** The sentences of all documents under global ids (see Sentences). */
export function flatten(docs: readonly AlignDocument[]): Sentences {
  let total = 0;
  for (const d of docs) total += d.vectors.length;
  const docOf = new Int32Array(total);
  const idxOf = new Int32Array(total);
  const vecs: SentenceVector[] = new Array<SentenceVector>(total);
  let g = 0;
  for (let d = 0; d < docs.length; d++) {
    const vs = docs[d]!.vectors;
    for (let i = 0; i < vs.length; i++, g++) {
      docOf[g] = d;
      idxOf[g] = i;
      vecs[g] = vs[i]!;
    }
  }
  const lang = docs.map((d) => d.language ?? 'und');
  const comparable = (a: number, b: number): boolean => lang[a] === lang[b] || lang[a] === 'und' || lang[b] === 'und';
  return { total, docOf, idxOf, vecs, comparable };
}

/** Indexes of a sentence's concepts, heaviest first (ties by hash, for determinism). */
function byWeight(v: SentenceVector): number[] {
  const idx = Array.from({ length: v.concepts.length }, (_, i) => i);
  return idx.sort((x, y) => v.weights[y]! - v.weights[x]! || v.concepts[x]! - v.concepts[y]!);
}

/**
 * Pair keys a * total + b (a < b), collected in a typed array: cheaper than a hash set for
 * hundreds of thousands of pairs.
 */
class PairKeys {
  keys = new Float64Array(1024);
  n = 0;

  constructor(private readonly total: number) {}

  add(a: number, b: number): void {
    if (this.n === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.n++] = a < b ? a * this.total + b : b * this.total + a;
  }

  /** The keys added, ascending, each once. */
  unique(): Float64Array {
    const { keys, n: nk, total } = this;
    if (total * total <= 1 << 22) {
      // small inputs (a few articles): a bitmap of pairs, read in order, beats sorting
      const seen = new Uint8Array(total * total);
      for (let i = 0; i < nk; i++) seen[keys[i]!] = 1;
      const list: number[] = [];
      for (let k = 0; k < seen.length; k++) if (seen[k] === 1) list.push(k);
      return Float64Array.from(list);
    }
    const sortedKeys = keys.subarray(0, nk).sort();
    let n = 0;
    for (let i = 0; i < nk; i++) if (i === 0 || sortedKeys[i] !== sortedKeys[i - 1]) sortedKeys[n++] = sortedKeys[i]!;
    return sortedKeys.slice(0, n);
  }
}

/** The candidate pairs as sorted unique keys a * total + b (a < b, global ids). */
export function candidatePairs(s: Sentences, o: ResolvedAlignOptions): Float64Array {
  const keys = new PairKeys(s.total);
  if (o.exhaustive) allPairs(s, keys);
  else indexedPairs(s, o, keys);
  return keys.unique();
}

/** Every pair of sentences of two comparable documents (the naive reference for tests). */
function allPairs({ total, docOf, vecs, comparable }: Sentences, keys: PairKeys): void {
  for (let s = 0; s < total; s++) {
    for (let t = s + 1; t < total; t++) {
      if (docOf[s] !== docOf[t] && vecs[s]!.total > 0 && vecs[t]!.total > 0 && comparable(docOf[s]!, docOf[t]!)) keys.add(s, t);
    }
  }
}

/** Pairs found through the inverted index, with prefix filtering and a cap per sentence. */
function indexedPairs({ total, docOf, vecs, comparable }: Sentences, o: ResolvedAlignOptions, keys: PairKeys): void {
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
  const acc = new Float64Array(total);
  const touched = new Int32Array(total);
  const pickedT = new Int32Array(total);
  const pickedW = new Float64Array(total);
  for (let s = 0; s < total; s++) {
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
          keys.add(s, pickedT[q]!);
          kept++;
        }
      }
      // ties at the cut-off: first touched first, which is deterministic
      for (let q = 0; q < np && kept < o.maxCandidates; q++) {
        if (pickedW[q] === cut) {
          keys.add(s, pickedT[q]!);
          kept++;
        }
      }
    } else for (let q = 0; q < np; q++) keys.add(s, pickedT[q]!);
  }
}

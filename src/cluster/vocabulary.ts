import type { Features } from './features.js';
import type { ClusterParams } from './params.js';
import { ageTerm, isPlaceName } from './specifics.js';
import type { ClusterState } from './state.js';
import { CHANNELS, type Vec } from './vectors.js';

/**
 * The vocabulary of online clustering, learnt from the stream itself as it arrives (no
 * look-ahead, no shipped model): term -> feature id per channel, document frequencies, the
 * IDF they give, and forgetting (see forgetArrivals).
 */
export class Vocabulary {
  /** term -> feature id, one map per channel (ids are shared, dense) */
  private readonly vocabs: [Map<string, number>, Map<string, number>, Map<string, number>] = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  private vocabSize = 0;
  private df = new Float64Array(1024);
  /** the arrival that last used each feature id (see forgetArrivals) */
  private seen = new Int32Array(1024);
  /** for entity feature ids: 1 names of two or more words, 2 those of places (see nameLinks), 0 others */
  private multiWord = new Uint8Array(1024);
  /** 1 for numbers feature ids that are ages, "<age>y" (see ageMax) */
  private age = new Uint8Array(1024);
  /** feature ids forgotten and free for new terms, ascending (reused from the end) */
  private freeIds: number[] = [];
  /**
   * scratch over feature ids, zero between uses: the arriving article's weights (for the
   * candidate scan and nearestMember), or a member's in split repair
   */
  dense = new Float64Array(1024);
  /** documents counted in the document frequencies */
  private docs = 0;

  /** articles counted in the document frequencies so far */
  get documents(): number {
    return this.docs;
  }

  /** feature ids in use or free: every id is below this */
  get size(): number {
    return this.vocabSize;
  }

  private featureId(channel: number, term: string, arrival: number): number {
    const map = this.vocabs[channel]!;
    let id = map.get(term);
    if (id === undefined) {
      id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.vocabSize++;
      map.set(term, id);
      if (id >= this.df.length) {
        const grown = new Float64Array(this.df.length * 2);
        grown.set(this.df);
        this.df = grown;
        const seen = new Int32Array(grown.length);
        seen.set(this.seen);
        this.seen = seen;
        const multi = new Uint8Array(grown.length);
        multi.set(this.multiWord);
        this.multiWord = multi;
        const age = new Uint8Array(grown.length);
        age.set(this.age);
        this.age = age;
        this.dense = new Float64Array(grown.length);
      }
    }
    this.seen[id] = arrival;
    return id;
  }

  /**
   * TF-IDF unit vectors for the three channels, with IDF as known before this article; its
   * terms count as used at `arrival`.
   */
  vectors(f: Features, p: ClusterParams, arrival: number): [Vec, Vec, Vec] {
    const out: [Vec, Vec, Vec] = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
    // smoothed IDF: a prior of idfPriorDocs documents in which every term has probability
    // 1 %, so that early in a stream shared words are not punished for being seen once
    // before (cold start), and real counts take over as it grows
    const top = this.docs + 1 + p.idfPriorDocs;
    const prior = p.idfPriorDocs * 0.01;
    for (let c = 0; c < CHANNELS; c++) {
      const bag = c === 0 ? f.words : c === 1 ? f.entities : f.numbers;
      const v = out[c]!;
      let sq = 0;
      for (const [term, tf] of bag) {
        const id = this.featureId(c, term, arrival);
        // set once per term: an id keeps its term until forgotten, which clears the flag
        if (c === 1 && this.multiWord[id] === 0 && term.includes(' ')) this.multiWord[id] = isPlaceName(term) ? 2 : 1;
        const x = (1 + Math.log(tf)) * Math.log(top / (this.df[id]! + prior));
        v.set(id, x);
        sq += x * x;
      }
      // the people's ages, apart from the bare numbers (see specifics.ts)
      if (c === 2 && p.ageWeight > 0 && f.ages) {
        for (const a of f.ages) {
          const id = this.featureId(2, ageTerm(a), arrival);
          this.age[id] = 1;
          const x = p.ageWeight * Math.log(top / (this.df[id]! + prior));
          v.set(id, x);
          sq += x * x;
        }
      }
      const l = Math.sqrt(sq);
      if (l > 0) for (const [k, x] of v) v.set(k, x / l);
    }
    return out;
  }

  /** Counts an article's features in the document frequencies (after use: it never sees its own). */
  learn(vec: [Vec, Vec, Vec]): void {
    for (let c = 0; c < CHANNELS; c++) for (const k of vec[c]!.keys()) this.df[k]!++;
    this.docs++;
  }

  /** A name of two or more words that at most `maxDf` articles have carried (see nameLinks). */
  isRareName(id: number, maxDf: number): boolean {
    return this.multiWord[id]! > 0 && this.df[id]! <= maxDf;
  }

  /** A rare name (see isRareName) that is not a place's or an institution's (see specifics.ts). */
  isPersonName(id: number): boolean {
    return this.multiWord[id] === 1;
  }

  /** An entity feature id that is a multi-word place's or institution's name (see specifics.ts). */
  isPlace(id: number): boolean {
    return this.multiWord[id] === 2;
  }

  /** A numbers feature id that is an age (see specifics.ts). */
  isAge(id: number): boolean {
    return this.age[id] === 1;
  }

  /**
   * Forgets stale terms (see forgetArrivals): feature ids not `held` (by a live story) and not
   * used since arrival `horizon`. Their document frequencies go with them: a term that comes
   * back counts as new, which is what IDF over the recent stream means (the names of a past
   * event, seen in a dozen reports a year ago, are news again). Without this the vocabulary,
   * and the state saved with every batch, grow with every event ever seen. The freed ids are
   * reused; the free list is rebuilt in ascending order, as a reload rebuilds it.
   */
  forget(held: Uint8Array, horizon: number): void {
    const used = new Uint8Array(this.vocabSize);
    for (const map of this.vocabs) {
      for (const [term, id] of map) {
        if (held[id] || this.seen[id]! >= horizon) used[id] = 1;
        else {
          map.delete(term);
          this.df[id] = 0;
          this.seen[id] = 0;
          this.multiWord[id] = 0;
          this.age[id] = 0;
        }
      }
    }
    this.freeIds = [];
    for (let id = 0; id < this.vocabSize; id++) if (!used[id]) this.freeIds.push(id);
  }

  /** The vocabulary's part of the saved state. */
  save(): SavedVocabulary {
    const vocab = new Array<string | null>(this.vocabSize).fill(null);
    const prefixes = ['w', 'e', 'n'];
    this.vocabs.forEach((m, c) => {
      for (const [k, id] of m) vocab[id] = `${prefixes[c]}:${k}`;
    });
    return { vocab, df: Array.from(this.df.subarray(0, this.vocabSize)), seen: Array.from(this.seen.subarray(0, this.vocabSize)), docs: this.docs };
  }

  static load(saved: SavedVocabulary): Vocabulary {
    const v = new Vocabulary();
    saved.vocab.forEach((k, i) => {
      if (k !== null) v.vocabs['wen'.indexOf(k[0]!)]!.set(k.slice(2), i);
      else v.freeIds.push(i);
    });
    v.vocabSize = saved.vocab.length;
    v.df = new Float64Array(Math.max(1024, saved.vocab.length * 2));
    v.seen = new Int32Array(v.df.length);
    v.multiWord = new Uint8Array(v.df.length);
    v.age = new Uint8Array(v.df.length);
    saved.vocab.forEach((k, i) => {
      if (k !== null && k[0] === 'e' && k.includes(' ')) v.multiWord[i] = isPlaceName(k.slice(2)) ? 2 : 1;
      if (k !== null && k[0] === 'n' && k.endsWith('y')) v.age[i] = 1;
    });
    v.dense = new Float64Array(v.df.length);
    v.df.set(saved.df);
    v.seen.set(saved.seen);
    v.docs = saved.docs;
    return v;
  }
}

/** The vocabulary as saved (see ClusterState). */
export type SavedVocabulary = Pick<ClusterState, 'vocab' | 'df' | 'seen' | 'docs'>;

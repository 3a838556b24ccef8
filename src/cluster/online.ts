import { createError } from '../errors.js';
import { detached } from '../util/detach.js';
import type { ClusterInput, Features } from './features.js';
import { nameLink } from './names.js';
import { OutletLines, outletFeatures, type OutletLinesState } from './boilerplate.js';

/**
 * Online event clustering. Each article, in arrival order, is compared with the active
 * stories that share its strongest features (an inverted index, not all stories) and
 * joins the most similar one above a threshold, or starts a story. Similarity is a
 * weighted sum of cosines over three TF-IDF channels (content-word stems, named
 * entities, numbers), multiplied by a time decay when both sides are dated. IDF is learnt
 * from the stream itself as it arrives (no look-ahead, no shipped model). When an article
 * is close to two stories that are close to each other, they are merged; a story whose
 * members fall into two groups is split (repair, both ways), and a member closer to the
 * neighbouring story than to its own moves there (reassignment). A story's similarity is the
 * larger of its centroid's and its nearest member's.
 * Deterministic: no randomness, ties broken by story creation order.
 */
export interface ClusterParams {
  /** weights of the word / entity / number channels (sum 1) */
  readonly wWords: number;
  readonly wEntities: number;
  readonly wNumbers: number;
  /** join the best story when its similarity reaches this */
  readonly threshold: number;
  /** merge two stories when an article reaches both and their centroids are this close */
  readonly mergeThreshold: number;
  /** days over which the similarity to a story halves when both are dated (after graceDays) */
  readonly halfLifeDays: number;
  /** days apart over which dated articles and stories are not discounted (see decay) */
  readonly graceDays: number;
  /** stories quiet for this many days (dated streams) leave the active set */
  readonly activeDays: number;
  /** stories not joined in this many arrivals leave the active set */
  readonly activeArrivals: number;
  /** features kept per channel in a story centroid */
  readonly centroidSize: number;
  /** features of an article used to look up candidate stories */
  readonly queryFeatures: number;
  /** pseudo-documents of the IDF prior */
  readonly idfPriorDocs: number;
  /** entity cosine under which a match is scaled down (0 disables) */
  readonly entityGate: number;
  /**
   * split a story in two when the average similarity between its two main groups of members,
   * re-weighted by IDF within the story, is below this (0 disables; see trySplit)
   */
  readonly splitThreshold: number;
  /** each half of a split holds at least this many articles */
  readonly splitMinPart: number;
  /**
   * a story's similarity to an article is the larger of its centroid's and this times its
   * nearest member's (0: centroid only)
   */
  readonly memberWeight: number;
  /**
   * late joining: a small story whose best member reaches a growing story with this
   * similarity is absorbed by it (0 disables; see adopt)
   */
  readonly adoptThreshold: number;
  /**
   * stories of at most this many articles can be absorbed by late joining; kept below
   * splitMinPart, so that a half just split off is never joined back at once
   */
  readonly adoptMax: number;
  /**
   * reassignment: when an article reaches two stories, a member of either moves to the other
   * when it is closer to the other's centroid than to its own (without itself) by more than
   * this (negative disables; see reassign)
   */
  readonly moveMargin: number;
  /**
   * a term that no live story holds and no article used in this many arrivals is forgotten,
   * with its document frequency, so the vocabulary (and the saved state) follows the recent
   * stream, not its whole history (0 keeps every term)
   */
  readonly forgetArrivals: number;
  /**
   * name links: an article that reaches no story in time joins one it shares this many rare
   * multi-word names with (a suspect's and a victim's name, months later at the trial), when
   * its similarity without the time discount reaches the threshold (0 disables; see names.ts)
   */
  readonly nameLinks: number;
  /** a name is rare while at most this many articles have carried it */
  readonly nameMaxDf: number;
  /** the similarity without time discount a name link needs */
  readonly nameThreshold: number;
  /**
   * an outlet's boilerplate: a headline part this many earlier articles of the same outlet
   * carried is left out of the features, and a text line once they joined two stories
   * (0 disables; see boilerplate.ts)
   */
  readonly boilerplateArticles: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  wWords: 0.45,
  wEntities: 0.3,
  wNumbers: 0.25,
  threshold: 0.18,
  mergeThreshold: 0.5,
  halfLifeDays: 10,
  graceDays: 2,
  activeDays: 365,
  activeArrivals: 20_000,
  centroidSize: 150,
  queryFeatures: 24,
  idfPriorDocs: 200,
  entityGate: 0.1,
  splitThreshold: 0.08,
  splitMinPart: 3,
  memberWeight: 1,
  adoptThreshold: 0.25,
  adoptMax: 2,
  moveMargin: 0.02,
  forgetArrivals: 50_000,
  nameLinks: 2,
  nameMaxDf: 3,
  nameThreshold: 0.3,
  boilerplateArticles: 1,
};

/**
 * 2 added story members (split repair); 3 changed what splitThreshold measures (local
 * re-weighting) and added memberWeight; 4 keeps only live stories (retired and merged ones
 * are dropped, merges kept as pairs) and forgets stale terms, so the state's size follows
 * the active set and the recent vocabulary, not the length of the stream. Formats 1 to 3
 * are still read: the split parameters of 1 and 2 are replaced by this version's defaults,
 * since the old values mean something else now (format 1 has no members to split or to
 * match anyway). 5 adds the outlets' boilerplate lines (`lines`; formats 1 to 4 start without).
 */
export const CLUSTER_FORMAT_VERSION = 5;

type Vec = Map<number, number>;

/** A live story: active and not merged away. Retired and merged stories are dropped. */
interface Story {
  readonly index: number;
  size: number;
  label: string;
  /** per channel: summed unit vectors of members (pruned) */
  readonly centroid: [Vec, Vec, Vec];
  /** per channel: the centroid's norm, refreshed whenever it changes */
  norms: [number, number, number];
  firstDay: number;
  lastDay: number;
  lastArrival: number;
  indexed: number[];
  /** the centroid in typed arrays for the candidate scan; null when the centroid changed since */
  packedCentroid: Packed | null;
  /** members' vectors while the story is active (for split repair); null once unknown */
  members: Member[] | null;
}

interface Member {
  readonly arrival: number;
  readonly id: string;
  readonly label: string;
  /** days since epoch, or NaN */
  readonly day: number;
  readonly vec: [Vec, Vec, Vec];
  /** the same vector in typed arrays (channels one after another), for nearestMember */
  readonly packed: Packed;
}

interface Packed {
  readonly ids: Int32Array;
  readonly ws: Float64Array;
  /** end offset of each channel */
  readonly ends: Int32Array;
  readonly norms: Float64Array;
}

function packed(vec: [Vec, Vec, Vec]): Packed {
  const total = vec[0].size + vec[1].size + vec[2].size;
  const ids = new Int32Array(total);
  const ws = new Float64Array(total);
  const ends = new Int32Array(CHANNELS);
  const norms = new Float64Array(CHANNELS);
  let i = 0;
  vec.forEach((v, c) => {
    for (const [k, x] of v) {
      ids[i] = k;
      ws[i++] = x;
    }
    ends[c] = i;
    norms[c] = norm(v);
  });
  return { ids, ws, ends, norms };
}

const CHANNELS = 3;
/**
 * Split repair keeps members' vectors, which costs memory and saved-state size per article,
 * not per story, so they are bounded three ways: a story of MAX_MEMBERS articles is
 * established and is not split any more; a story that has not grown for MEMBER_WINDOW
 * arrivals drops them (a split is checked only when a story grows); and each member keeps its
 * MEMBER_FEATURES strongest features per channel, in memory and saved alike, so a save and
 * load changes nothing (48 cost 0.004 of dev B-cubed F1 against whole vectors; 32 cost 0.006).
 */
const MAX_MEMBERS = 64;
const MEMBER_WINDOW = 2_000;
const MEMBER_FEATURES = 48;
/**
 * Members are consulted only for stories whose centroid reaches this share of the join
 * threshold: the other candidates merely share a feature with the article, and scanning
 * their members was a quarter of the time (at 0 the dev B-cubed F1 is 0.001 higher).
 */
const MEMBER_GATE = 0.5;

/**
 * The time discount of a match `gap` days apart: none within graceDays (the reports of one
 * event come over its first days), then halving every halfLifeDays (a story is an event in
 * time: two shootings in one city a month apart are two stories).
 */
function decay(gap: number, p: ClusterParams): number {
  return gap <= p.graceDays ? 1 : Math.pow(0.5, (gap - p.graceDays) / p.halfLifeDays);
}

/** The first 140 characters, detached from the article text (see detached). */
function copyLabel(label: string): string {
  return detached(label.slice(0, 140));
}

function norm(v: Vec): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const [k, x] of small) {
    const y = big.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}

/** Weights are saved to 6 decimals. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function packVec(v: Vec): [number[], number[]] {
  return [[...v.keys()], [...v.values()].map(round6)];
}

function unpackVec([ids, ws]: [number[], number[]]): Vec {
  return new Map(ids.map((id, i) => [id, ws[i]!]));
}

/** Rounded as in the saved state, so that memory and a reloaded state compare alike. */
function rounded(vec: [Vec, Vec, Vec]): [Vec, Vec, Vec] {
  return vec.map((v) => {
    const c: Vec = new Map();
    for (const [k, x] of v) c.set(k, round6(x));
    return c;
  }) as [Vec, Vec, Vec];
}

/** A copy of each channel keeping its strongest `keep` features. */
function pruned(vec: [Vec, Vec, Vec], keep: number): [Vec, Vec, Vec] {
  return vec.map((v) => {
    if (v.size <= keep) return v;
    const c = new Map(v);
    prune(c, keep);
    return c;
  }) as [Vec, Vec, Vec];
}

/**
 * The k-th largest of a[0..n) (1 <= k <= n), by quickselect (Hoare partition, middle pivot);
 * reorders a[0..n).
 */
function kthLargest(a: Float64Array, n: number, k: number): number {
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let l = lo;
    let h = hi;
    while (l <= h) {
      while (a[l]! > pivot) l++;
      while (a[h]! < pivot) h--;
      if (l <= h) {
        const t = a[l]!;
        a[l++] = a[h]!;
        a[h--] = t;
      }
    }
    if (target <= h) hi = h;
    else if (target >= l) lo = l;
    else break;
  }
  return a[target]!;
}

/**
 * The ids of the k highest scores among ids[0..n) / scores[0..n); ties go to the smaller id.
 * Order unspecified. `scratch` (length >= n) is overwritten. (Exported for its test only.)
 */
export function strongest(ids: Int32Array, scores: Float64Array, n: number, k: number, scratch: Float64Array): number[] {
  const out: number[] = [];
  if (n <= k) {
    for (let j = 0; j < n; j++) out.push(ids[j]!);
    return out;
  }
  if (k <= 0) return out;
  // selection reorders its array: select on a copy, then read ids and scores in step
  scratch.set(scores.subarray(0, n));
  const cut = kthLargest(scratch, n, k);
  const ties: number[] = [];
  for (let j = 0; j < n; j++) {
    if (scores[j]! > cut) out.push(ids[j]!);
    else if (scores[j] === cut) ties.push(ids[j]!);
  }
  if (ties.length > k - out.length) ties.sort((x, y) => x - y);
  for (let j = 0; out.length < k; j++) out.push(ties[j]!);
  return out;
}

let pruneIds = new Int32Array(1024);
let pruneScores = new Float64Array(1024);
let pruneSelect = new Float64Array(1024);

/**
 * (Exported for its test only; not part of the package's API.)
 * Keeps the `keep` strongest features of `v` (ties: the smaller id, as in `strongest`),
 * deleting the rest in place. This runs on every arrival for the joined story's three
 * channels, so it selects in linear time instead of sorting (sorting was a tenth of the time).
 */
export function prune(v: Vec, keep: number): void {
  const n = v.size;
  if (n <= keep) return;
  if (pruneIds.length < n) {
    pruneIds = new Int32Array(n * 2);
    pruneScores = new Float64Array(n * 2);
    pruneSelect = new Float64Array(n * 2);
  }
  let i = 0;
  for (const [id, x] of v) {
    pruneIds[i] = id;
    pruneScores[i++] = x;
  }
  // as `strongest`, but deleting below the cut instead of collecting what is kept (no set)
  if (keep <= 0) {
    v.clear();
    return;
  }
  pruneSelect.set(pruneScores.subarray(0, n));
  const cut = kthLargest(pruneSelect, n, keep);
  let above = 0;
  let tied = 0;
  for (let j = 0; j < n; j++) {
    const x = pruneScores[j]!;
    if (x > cut) above++;
    else if (x === cut) tied++;
  }
  // ties at the cut: the smaller ids stay, up to `keep` in all
  let lastTie = Infinity;
  if (tied > keep - above) {
    const ties: number[] = [];
    for (let j = 0; j < n; j++) if (pruneScores[j] === cut) ties.push(pruneIds[j]!);
    ties.sort((x, y) => x - y);
    lastTie = ties[keep - above - 1]!;
  }
  for (let j = 0; j < n; j++) {
    const x = pruneScores[j]!;
    if (x < cut || (x === cut && pruneIds[j]! > lastTie)) v.delete(pruneIds[j]!);
  }
}

export interface ClusterState {
  readonly version: number;
  readonly params: ClusterParams;
  /** "w:", "e:" or "n:" and the term, by feature id; null for an id forgotten and not reused yet */
  readonly vocab: (string | null)[];
  readonly df: number[];
  /** format 4: the arrival that last used each feature id */
  readonly seen?: number[];
  readonly docs: number;
  readonly arrivals: number;
  readonly latestDay: number | null;
  /** format 4: stories created so far (the next story's index) */
  readonly created?: number;
  /** format 4: [merged story, story it was merged into] of every merge */
  readonly merges?: [number, number][];
  /** format 5: the outlets' boilerplate lines learnt so far (see boilerplate.ts); absent when disabled */
  readonly lines?: OutletLinesState;
  /** live stories an analyst corrected (see correctMove); absent when none */
  readonly locked?: number[];
  /**
   * format 4: the live stories, each with its index. Formats 1 to 3: every story ever
   * created, at its index, with mergedInto and active.
   */
  readonly stories: {
    index?: number;
    mergedInto?: number;
    size: number;
    label: string;
    centroid: [[number[], number[]], [number[], number[]], [number[], number[]]];
    firstDay: number | null;
    lastDay: number | null;
    lastArrival: number;
    active?: boolean;
    /** format 2: [arrival, id, label, day, words, entities, numbers] of each member, or null */
    members?: [number, string, string, number | null, [number[], number[]], [number[], number[]], [number[], number[]]][] | null;
    /**
     * the feature ids the story is looked up by (a story is re-indexed only every few arrivals,
     * so recomputing them on load could differ from the running state); absent before 2026-11-26
     */
    indexed?: number[];
  }[];
}

export interface Assignment {
  readonly id: string;
  /** story index at the time of arrival */
  readonly story: number;
  readonly similarity: number;
  readonly created: boolean;
  /** stories merged into this one by this arrival */
  readonly merged: readonly number[];
  /** stories split off by this arrival: the new story and the arrivals (1-based) and ids moved to it */
  readonly splits: readonly Moved[];
  /**
   * members reassigned by this arrival (after any split): from one existing story to another,
   * the arrivals (1-based) and ids moved
   */
  readonly moves: readonly Moved[];
}

/** Articles moved from story `from` to story `story` (split repair or reassignment). */
export interface Moved {
  readonly story: number;
  readonly from: number;
  readonly arrivals: readonly number[];
  readonly ids: readonly string[];
}

/** Sizes at which a story is checked for a split: 6, 8, 12, 16, 24, 32, ... (amortised). */
function isCheckpoint(size: number): boolean {
  if (size < 6) return false;
  let x = size;
  while (x > 8 && x % 2 === 0) x /= 2;
  return x === 6 || x === 8;
}

export class OnlineClusterer {
  readonly params: ClusterParams;
  /** term -> feature id, one map per channel (ids are shared, dense) */
  private readonly vocabs: [Map<string, number>, Map<string, number>, Map<string, number>] = [new Map(), new Map(), new Map()];
  private vocabSize = 0;
  private df = new Float64Array(1024);
  /** the arrival that last used each feature id (see forgetArrivals) */
  private seen = new Int32Array(1024);
  /** 1 for entity feature ids that are names of two or more words (see nameLinks) */
  private multiWord = new Uint8Array(1024);
  /** feature ids forgotten and free for new terms, ascending (reused from the end) */
  private freeIds: number[] = [];
  /** the arriving article's weights by feature id (zero elsewhere), for nearestMember */
  private dense = new Float64Array(1024);
  /** scratch for topFeatures */
  private topIds = new Int32Array(1024);
  private topScores = new Float64Array(1024);
  private topSelect = new Float64Array(1024);
  private docs = 0;
  private arrivals = 0;
  /** live stories by index; retired and merged ones are dropped (memory follows the active set) */
  private readonly stories = new Map<number, Story>();
  /** stories created so far: the next story's index */
  private created = 0;
  /** merged story index -> the story it was merged into (for resolve) */
  private readonly merges = new Map<number, number>();
  /** feature id -> active story indexes whose centroid carries it strongly */
  private readonly postings = new Map<number, number[]>();
  private latestDay = Number.NEGATIVE_INFINITY;
  /** indexes of stories still active (retirement sweeps only these) */
  private activeList: number[] = [];
  /**
   * stories an analyst corrected (merged, split, moved into or out of): repairs do not split
   * them, move their members, merge them away or absorb them, so a later arrival never undoes
   * a correction; they still grow
   */
  private readonly locked = new Set<number>();
  /** the outlets' boilerplate lines (see boilerplateArticles); null when disabled */
  private lines: OutletLines | null;

  constructor(params: Partial<ClusterParams> = {}) {
    this.params = { ...DEFAULT_CLUSTER_PARAMS, ...params };
    const p = this.params;
    if (Math.abs(p.wWords + p.wEntities + p.wNumbers - 1) > 1e-6) throw createError('INVALID_FIELD', 'cluster: channel weights must sum to 1', { subject: 'params' });
    for (const k of Object.keys(p) as (keyof ClusterParams)[]) {
      if (typeof p[k] !== 'number' || Number.isNaN(p[k])) throw createError('INVALID_FIELD', `cluster: ${k} must be a number (got ${String(p[k])})`, { subject: `params.${k}` });
    }
    for (const k of ['centroidSize', 'queryFeatures', 'splitMinPart', 'adoptMax', 'activeArrivals', 'forgetArrivals', 'boilerplateArticles'] as const) {
      if (!Number.isInteger(p[k]) || p[k] < 0) throw createError('INVALID_FIELD', `cluster: ${k} must be a whole number >= 0 (got ${p[k]})`, { subject: `params.${k}` });
    }
    if (p.adoptThreshold > 0 && p.splitThreshold > 0 && p.adoptMax >= p.splitMinPart) {
      throw createError('INVALID_FIELD', `cluster: adoptMax (${p.adoptMax}) must be below splitMinPart (${p.splitMinPart}), or late joining could undo splits`, { subject: 'params.adoptMax' });
    }
    this.lines = p.boilerplateArticles > 0 ? new OutletLines(p.boilerplateArticles) : null;
  }

  private featureId(channel: number, term: string): number {
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
        this.dense = new Float64Array(grown.length);
      }
    }
    this.seen[id] = this.arrivals;
    return id;
  }

  /** TF-IDF unit vectors for the three channels, with IDF as known before this article. */
  private vectors(f: Features): [Vec, Vec, Vec] {
    const out: [Vec, Vec, Vec] = [new Map(), new Map(), new Map()];
    const p = this.params;
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
        const id = this.featureId(c, term);
        if (c === 1) this.multiWord[id] = term.includes(' ') ? 1 : 0;
        const x = (1 + Math.log(tf)) * Math.log(top / (this.df[id]! + prior));
        v.set(id, x);
        sq += x * x;
      }
      const l = Math.sqrt(sq);
      if (l > 0) for (const [k, x] of v) v.set(k, x / l);
    }
    return out;
  }

  /**
   * The article's similarity to a story's centroid. With `spread` the article's weights are in
   * `this.dense` (the candidate scan) and the centroid is read from typed arrays against it, with
   * no map lookups (map-to-map dot products were a sixth of the time).
   */
  private similarity(vec: [Vec, Vec, Vec], s: Story, day: number, spread = false): number {
    const p = this.params;
    const w = [p.wWords, p.wEntities, p.wNumbers];
    const pk = spread ? (s.packedCentroid ??= packed(s.centroid)) : null;
    const dense = this.dense;
    let sim = 0;
    let weight = 0;
    let entityCos = -1;
    for (let c = 0; c < CHANNELS; c++) {
      if (vec[c]!.size === 0) continue;
      const cn = s.norms[c]!;
      weight += w[c]!;
      let d = 0;
      if (cn > 0) {
        if (pk) for (let i = c === 0 ? 0 : pk.ends[c - 1]!, to = pk.ends[c]!; i < to; i++) d += dense[pk.ids[i]!]! * pk.ws[i]!;
        else d = dot(vec[c]!, s.centroid[c]!);
      }
      const cos = cn > 0 ? d / cn : 0;
      if (c === 1 && cn > 0) entityCos = cos;
      sim += w[c]! * cos;
    }
    return this.gated(sim, weight, entityCos, day, s.firstDay, s.lastDay);
  }

  /**
   * The end of every article-to-story similarity: the weighted channel cosines `sim` summed
   * over the channels the article has (`weight`), the entity gate and the time decay.
   */
  private gated(sim: number, weight: number, entityCos: number, day: number, firstDay: number, lastDay: number): number {
    const p = this.params;
    // channels the article lacks (no numbers) do not count against it
    if (weight > 0) sim /= weight;
    // the entity gate: two events of one kind share vocabulary but not names; when both
    // sides name entities and hardly any are shared, the match is scaled down
    if (entityCos >= 0 && entityCos < p.entityGate) sim *= (entityCos + p.entityGate * 0.25) / (p.entityGate * 1.25);
    if (!Number.isNaN(day) && !Number.isNaN(firstDay)) {
      sim *= decay(Math.max(0, firstDay - day, day - lastDay), p);
    }
    return sim;
  }

  /**
   * A member's similarity to its own story without itself, where `sum` is the sum of the
   * story's member vectors (`sumNorms` its per-channel norms): what the story's centroid is
   * rebuilt to when the member leaves. Computed from the member's features alone, without
   * copying the sum. The story's dates are kept as they are.
   */
  private similarityWithout(m: Member, sum: readonly Vec[], sumNorms: readonly number[], s: Story): number {
    const w = [this.params.wWords, this.params.wEntities, this.params.wNumbers];
    let sim = 0;
    let weight = 0;
    let entityCos = -1;
    for (let c = 0; c < CHANNELS; c++) {
      const v = m.vec[c]!;
      if (v.size === 0) continue;
      weight += w[c]!;
      const cen = sum[c]!;
      let d = 0;
      let sq = sumNorms[c]! * sumNorms[c]!;
      for (const [k, x] of v) {
        const y = cen.get(k) ?? 0;
        // what is left of the feature once the member's share is taken out (exact sums of
        // the same rounded values: only float error is cut)
        const left = y - x > 1e-9 ? y - x : 0;
        d += x * left;
        sq -= y * y - left * left;
      }
      const n = sq > 1e-12 ? Math.sqrt(sq) : 0;
      const cos = n > 0 ? d / n : 0;
      if (c === 1 && n > 0) entityCos = cos;
      sim += w[c]! * cos;
    }
    return this.gated(sim, weight, entityCos, m.day, s.firstDay, s.lastDay);
  }

  /**
   * Split repair, the converse of merging: a story that absorbed two events of one kind
   * (the first article of the second event joined the first, and its successors followed)
   * holds two groups of articles that are each coherent and unlike each other. The members
   * are re-weighted by IDF within the story, clustered by average linkage, and the main split
   * of the dendrogram is taken (small outlying groups are stepped over and join the side they
   * are closer to). The story splits when both sides are big enough, their average similarity
   * is below splitThreshold, and stream-wide they are less alike than mergeThreshold. The
   * side that holds the story's first article keeps the story; the other becomes a new one.
   * O(n^3) in members (n <= MAX_MEMBERS), run only at checkpoints.
   */
  private trySplit(story: Story): Moved | null {
    const p = this.params;
    const ms = story.members!;
    const n = ms.length;
    const w = [p.wWords, p.wEntities, p.wNumbers];
    const sumOf = (idx: number[]): [Vec, Vec, Vec] => this.sumOfMembers(idx.map((i) => ms[i]!));
    // Local weighting: inside one story every member shares the topic's words ("quake",
    // "Iran", "magnitude"), which is why two events of one kind look alike under stream-wide
    // IDF. Re-weighted by IDF over the story's own members, the shared words fade and what
    // tells the events apart (the island, the day, the toll) carries the comparison. A
    // feature in one member only cannot link two members and is dropped.
    const df = new Map<number, number>();
    for (const m of ms) for (const v of m.vec) for (const k of v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const local = ms.map((m) =>
      m.vec.map((v) => {
        const o: Vec = new Map();
        for (const [k, x] of v) {
          const d = df.get(k)!;
          if (d >= 2) o.set(k, x * Math.log((n + 1) / d));
        }
        const l = norm(o);
        if (l > 0) for (const [k, x] of o) o.set(k, x / l);
        return o;
      }),
    );
    // pairwise similarities: each member in turn spread over the dense scratch array,
    // the later ones read against it from typed arrays
    const pk = local.map((v) => packed(v as [Vec, Vec, Vec]));
    const dense = this.dense;
    const sim = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const a = pk[i]!;
      for (let t = 0; t < a.ids.length; t++) dense[a.ids[t]!] = a.ws[t]!;
      for (let j = i + 1; j < n; j++) {
        const b = pk[j]!;
        let s = 0;
        let weight = 0;
        let from = 0;
        for (let c = 0; c < CHANNELS; c++) {
          const to = b.ends[c]!;
          if (a.norms[c]! > 0 && b.norms[c]! > 0) {
            weight += w[c]!;
            let d = 0;
            for (let t = from; t < to; t++) d += dense[b.ids[t]!]! * b.ws[t]!;
            s += w[c]! * d;
          }
          from = to;
        }
        sim[i * n + j] = sim[j * n + i] = weight > 0 ? s / weight : 0;
      }
      for (let t = 0; t < a.ids.length; t++) dense[a.ids[t]!] = 0;
    }
    // average-linkage agglomeration of the members, keeping the dendrogram
    const size = new Array<number>(n).fill(1);
    const link = Float64Array.from(sim);
    const alive = new Array<boolean>(n).fill(true);
    const node = Array.from({ length: n }, (_, i) => i);
    const left: number[] = [];
    const right: number[] = [];
    const height: number[] = [];
    const nodeSize: number[] = new Array<number>(n).fill(1);
    for (let step = 1; step < n; step++) {
      let bi = -1;
      let bj = -1;
      let best = -Infinity;
      for (let i = 0; i < n; i++) {
        if (!alive[i]) continue;
        for (let j = i + 1; j < n; j++) {
          if (alive[j] && link[i * n + j]! > best) [best, bi, bj] = [link[i * n + j]!, i, j];
        }
      }
      for (let k = 0; k < n; k++) {
        if (!alive[k] || k === bi || k === bj) continue;
        const x = (size[bi]! * link[k * n + bi]! + size[bj]! * link[k * n + bj]!) / (size[bi]! + size[bj]!);
        link[k * n + bi] = link[bi * n + k] = x;
      }
      alive[bj] = false;
      size[bi]! += size[bj]!;
      left.push(node[bi]!);
      right.push(node[bj]!);
      height.push(best);
      node[bi] = n + left.length - 1;
      nodeSize.push(size[bi]!);
    }
    // the main split: from the root, step over small groups (outliers join a side later)
    // into the bigger child until both children are big enough
    let top = 2 * n - 2;
    while (top >= n) {
      const a = left[top - n]!;
      const b = right[top - n]!;
      if (nodeSize[a]! >= p.splitMinPart && nodeSize[b]! >= p.splitMinPart) break;
      top = nodeSize[a]! >= nodeSize[b]! ? a : b;
    }
    if (top < n) return null;
    const between = height[top - n]!;
    if (between >= p.splitThreshold) return null;
    const leaves = (root: number): number[] => {
      const out: number[] = [];
      const stack = [root];
      while (stack.length) {
        const x = stack.pop()!;
        if (x < n) out.push(x);
        else stack.push(left[x - n]!, right[x - n]!);
      }
      return out;
    };
    const ia0 = leaves(left[top - n]!);
    const ib0 = leaves(right[top - n]!);
    const side = new Uint8Array(n).fill(2);
    for (const i of ia0) side[i] = 0;
    for (const i of ib0) side[i] = 1;
    // members outside the main split go to the side they are on average closer to
    for (let i = 0; i < n; i++) {
      if (side[i] !== 2) continue;
      let sa = 0;
      let sb = 0;
      for (const j of ia0) sa += sim[i * n + j]!;
      for (const j of ib0) sb += sim[i * n + j]!;
      side[i] = sb / ib0.length > sa / ia0.length ? 1 : 0;
    }
    const ia: number[] = [];
    const ib: number[] = [];
    for (let i = 0; i < n; i++) (side[i] ? ib : ia).push(i);
    // Local weighting magnifies any difference, also between two angles of one event (the
    // sandbags and the power cuts of one flood). Halves that are still alike by stream-wide
    // weights, as alike as two stories that merge, stay one story: a split that merge
    // repair would undo is not made.
    const ca = sumOf(ia);
    const cb = sumOf(ib);
    if (this.vectorsSimilarity(ca, ca.map(norm), cb, cb.map(norm)) >= p.mergeThreshold) return null;
    // the half holding the story's first member keeps the story
    const [keep, move] = side[0] === 0 ? [ia, ib] : [ib, ia];
    const moved = move.map((i) => ms[i]!);
    // days, last arrival and centroid of both halves are set from their members below
    const fresh = this.startStory(moved[0]!.label, Number.NaN, story.lastArrival, moved);
    fresh.size = moved.length;
    story.members = keep.map((i) => ms[i]!);
    story.size = keep.length;
    for (const st of [story, fresh]) {
      st.lastArrival = Math.max(...st.members!.map((m) => m.arrival));
      this.settle(st, this.sumOfMembers(st.members!));
    }
    return { story: fresh.index, from: story.index, arrivals: moved.map((m) => m.arrival), ids: moved.map((m) => m.id) };
  }

  /**
   * Late joining: the first reports of an event are often short or from another angle, and
   * they start stories of their own before the event's main story has a centroid that
   * covers them (in a shuffled stream this is where most fragments come from). When a story
   * grows, small stories (at most adoptMax articles, and less than half its size) that
   * share its indexed features are compared with it again, each by its best member, and
   * absorbed when that reaches adoptThreshold. Members keep their vectors from arrival, so
   * the comparison uses the IDF of their time, as their own join did.
   */
  private adopt(story: Story): number[] {
    const p = this.params;
    const cands = new Set<number>();
    for (const f of story.indexed) for (const s of this.postings.get(f) ?? []) cands.add(s);
    const out: number[] = [];
    for (const idx of [...cands].sort((a, b) => a - b)) {
      const t = this.stories.get(idx);
      if (!t || idx === story.index || t.size > p.adoptMax || story.size <= 2 * t.size || this.locked.has(idx)) continue;
      // stories without members (read from a format-1 state) are left as they are
      if (!t.members || t.members.length !== t.size) continue;
      let best = 0;
      for (const m of t.members) best = Math.max(best, this.similarity(m.vec, story, m.day));
      if (best >= p.adoptThreshold) {
        this.absorb(story, t);
        out.push(t.index);
      }
    }
    return out;
  }

  /**
   * Reassignment, the repair for single articles: an article reached stories `a` and `b`
   * (it joined one, the other was the runner-up at or above the join threshold), so the
   * two are neighbours. A member of either that is closer to the other story's centroid
   * than to its own without itself, by more than moveMargin, moves there. This is what split
   * repair cannot do for one or two articles (each half of a split needs splitMinPart): the
   * first report of an event often joins a story of the same kind because its own story
   * does not exist yet, and stays there in one arrival order and not in another. Each story
   * keeps at least one member; moves go one way, then the other (each way decided on the
   * centroids as they are before it). Only stories that hold all their members' vectors take
   * part. O(members x features), only when an article reaches two stories.
   */
  private reassign(a: Story, b: Story): Moved[] {
    const p = this.params;
    const full = (s: Story): boolean => s.members !== null && s.members.length === s.size;
    if (!full(a) || !full(b) || this.locked.has(a.index) || this.locked.has(b.index)) return [];
    const out: Moved[] = [];
    const moved = new Set<Member>();
    for (const [src, dst] of [
      [a, b],
      [b, a],
    ] as const) {
      // members that reach the other story at all (a member moved the other way in this call
      // stays where it went); most calls have none, and then nothing else is computed
      const near: [Member, number][] = [];
      for (const m of src.members!) {
        if (moved.has(m)) continue;
        const there = this.similarity(m.vec, dst, m.day);
        if (there >= p.threshold) near.push([m, there]);
      }
      if (near.length === 0) continue;
      // the story as its members make it up (rounded, trimmed vectors), as split repair
      // rebuilds its halves: a member's leave-one-out similarity is measured against it, and
      // the story is rebuilt to it less the members that leave (subtracting a member's trimmed
      // copy from the centroid built from full vectors would leave the rest of it behind)
      const sum = this.sumOfMembers(src.members!);
      const sumNorms = sum.map(norm);
      const moving: Member[] = [];
      for (const [m, there] of near) {
        if (src.size - moving.length <= 1) break;
        if (there > this.similarityWithout(m, sum, sumNorms, src) + p.moveMargin) moving.push(m);
      }
      if (moving.length === 0) continue;
      for (const m of moving) {
        moved.add(m);
        for (let c = 0; c < CHANNELS; c++) {
          const from = sum[c]!;
          const to = dst.centroid[c]!;
          for (const [k, x] of m.vec[c]!) {
            const left = (from.get(k) ?? 0) - x;
            if (left > 1e-9) from.set(k, left);
            else from.delete(k);
            to.set(k, (to.get(k) ?? 0) + x);
          }
        }
      }
      const gone = new Set(moving);
      src.members = src.members!.filter((m) => !gone.has(m));
      dst.members = dst.members!.concat(moving).sort((x, y) => x.arrival - y.arrival);
      src.size -= moving.length;
      dst.size += moving.length;
      // a story that lost the article it was named after takes its earliest remaining member's
      if (!src.members.some((m) => m.label === src.label)) src.label = src.members[0]!.label;
      dst.lastArrival = Math.max(dst.lastArrival, ...moving.map((m) => m.arrival));
      this.settle(src, sum);
      this.settle(dst);
      out.push({ story: dst.index, from: src.index, arrivals: moving.map((m) => m.arrival), ids: moving.map((m) => m.id) });
    }
    return out;
  }

  /** The sum of members' vectors, per channel. */
  private sumOfMembers(members: readonly Member[]): [Vec, Vec, Vec] {
    const out: [Vec, Vec, Vec] = [new Map(), new Map(), new Map()];
    for (const m of members) for (let c = 0; c < CHANNELS; c++) for (const [k, x] of m.vec[c]!) out[c]!.set(k, (out[c]!.get(k) ?? 0) + x);
    return out;
  }

  /**
   * After a split or a move changed a story's members: its centroid (replaced by `centroid`
   * when given) pruned and re-normed, and its dates taken from its members.
   */
  private settle(st: Story, centroid?: readonly Vec[]): void {
    for (let c = 0; c < CHANNELS; c++) {
      if (centroid) {
        st.centroid[c]!.clear();
        for (const [k, x] of centroid[c]!) st.centroid[c]!.set(k, x);
      }
      prune(st.centroid[c]!, this.params.centroidSize);
      st.norms[c] = norm(st.centroid[c]!);
    }
    st.packedCentroid = null;
    const days = st.members!.map((m) => m.day).filter((d) => !Number.isNaN(d));
    st.firstDay = days.length ? Math.min(...days) : Number.NaN;
    st.lastDay = days.length ? Math.max(...days) : Number.NaN;
  }

  /** A new, empty, active story at the end of the list. */
  private startStory(label: string, day: number, arrival: number, members: Member[] | null): Story {
    const story: Story = {
      index: this.created++,
      size: 0,
      label,
      centroid: [new Map(), new Map(), new Map()],
      norms: [0, 0, 0],
      firstDay: day,
      lastDay: day,
      lastArrival: arrival,
      indexed: [],
      packedCentroid: null,
      members,
    };
    this.stories.set(story.index, story);
    this.activeList.push(story.index);
    return story;
  }

  /** Merges `other` into `story`. */
  private absorb(story: Story, other: Story): void {
    const p = this.params;
    for (let c = 0; c < CHANNELS; c++) {
      const cen = story.centroid[c]!;
      for (const [k, x] of other.centroid[c]!) cen.set(k, (cen.get(k) ?? 0) + x);
      prune(cen, p.centroidSize);
      story.norms[c] = norm(cen);
    }
    story.packedCentroid = null;
    story.size += other.size;
    story.members = story.members && other.members ? story.members.concat(other.members) : null;
    other.members = null;
    if (!Number.isNaN(other.firstDay)) {
      story.firstDay = Number.isNaN(story.firstDay) ? other.firstDay : Math.min(story.firstDay, other.firstDay);
      story.lastDay = Number.isNaN(story.lastDay) ? other.lastDay : Math.max(story.lastDay, other.lastDay);
    }
    // a merged story is never a candidate again: like a retired one it is dropped (and so
    // not re-posted), and only the merge is kept (resolve follows it)
    this.merges.set(other.index, story.index);
    this.stories.delete(other.index);
    this.reindex(other);
  }

  /**
   * The similarity of the article (its weights spread in `dense`) to the nearest of a
   * story's members: the same weighted channel cosines as for a centroid, with the time
   * decay between the article and that member. Members are packed in typed arrays and the
   * article is a dense array over feature ids, so this is a tight loop with no map lookups.
   */
  private nearestMember(members: readonly Member[], vec: [Vec, Vec, Vec], day: number): number {
    const p = this.params;
    const w = [p.wWords, p.wEntities, p.wNumbers];
    const dense = this.dense;
    let best = 0;
    for (const m of members) {
      const { ids, ws, ends, norms } = m.packed;
      let sim = 0;
      let weight = 0;
      let from = 0;
      for (let c = 0; c < CHANNELS; c++) {
        const to = ends[c]!;
        if (vec[c]!.size > 0) {
          weight += w[c]!;
          if (norms[c]! > 0) {
            let d = 0;
            for (let i = from; i < to; i++) d += dense[ids[i]!]! * ws[i]!;
            sim += (w[c]! * d) / norms[c]!;
          }
        }
        from = to;
      }
      if (weight > 0) sim /= weight;
      if (!Number.isNaN(day) && !Number.isNaN(m.day)) sim *= decay(Math.abs(day - m.day), p);
      if (sim > best) best = sim;
    }
    return best;
  }

  private centroidSimilarity(a: Story, b: Story): number {
    return this.vectorsSimilarity(a.centroid, a.norms, b.centroid, b.norms);
  }

  /**
   * Weighted cosine of two sets of channel sums, over the channels both have: as for an
   * article, a channel missing on one side does not count against the match (stories with
   * no names, or in a script without capitals, must be able to merge and not be split).
   */
  private vectorsSimilarity(a: readonly Vec[], na: readonly number[], b: readonly Vec[], nb: readonly number[]): number {
    const p = this.params;
    const w = [p.wWords, p.wEntities, p.wNumbers];
    let sim = 0;
    let weight = 0;
    for (let c = 0; c < CHANNELS; c++) {
      if (!(na[c]! > 0 && nb[c]! > 0)) continue;
      weight += w[c]!;
      sim += (w[c]! * dot(a[c]!, b[c]!)) / (na[c]! * nb[c]!);
    }
    return weight > 0 ? sim / weight : 0;
  }

  /**
   * The ids of the k strongest features over the three channels (entities count 1.5 times: a
   * name is the most specific thing to look a story up by); ties go to the smaller id. Callers
   * use the result as a set. Linear-time selection, no sort: this runs for every arrival.
   */
  private topFeatures(vec: [Vec, Vec, Vec], k: number): number[] {
    const n = vec[0].size + vec[1].size + vec[2].size;
    if (this.topIds.length < n) {
      this.topIds = new Int32Array(n * 2);
      this.topScores = new Float64Array(n * 2);
      this.topSelect = new Float64Array(n * 2);
    }
    const ids = this.topIds;
    const scores = this.topScores;
    let i = 0;
    for (let c = 0; c < CHANNELS; c++) {
      const boost = c === 1 ? 1.5 : 1;
      for (const [id, x] of vec[c]!) {
        ids[i] = id;
        scores[i++] = x * boost;
      }
    }
    return strongest(ids, scores, n, k, this.topSelect);
  }

  private reindex(s: Story): void {
    for (const f of s.indexed) {
      const list = this.postings.get(f);
      if (list) {
        const i = list.indexOf(s.index);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.postings.delete(f);
      }
    }
    s.indexed = [];
    // a dropped story (retired or merged) is only taken out of the postings
    if (this.stories.get(s.index) !== s) return;
    this.post(s, this.topFeatures(s.centroid, this.params.queryFeatures * 2));
  }

  /** Makes `feats` the features story `s` is looked up by (its old postings already removed). */
  private post(s: Story, feats: number[]): void {
    for (const f of feats) {
      let list = this.postings.get(f);
      if (!list) this.postings.set(f, (list = []));
      list.push(s.index);
    }
    s.indexed = feats;
  }

  /** Resolves a story index through merges to the story that now holds its articles. */
  resolve(index: number): number {
    let i = index;
    for (let next = this.merges.get(i); next !== undefined; next = this.merges.get(i)) i = next;
    return i;
  }

  /**
   * Forgets stale terms (see forgetArrivals): feature ids that no live story holds (in its
   * centroid, lookup features or members) and that no article used in the last
   * forgetArrivals arrivals. Their document frequencies go with them: a term that comes back
   * counts as new, which is what IDF over the recent stream means (the names of a past
   * event, seen in a dozen reports a year ago, are news again). Without this the vocabulary,
   * and the state saved with every batch, grow with every event ever seen. The freed ids are
   * reused; the free list is rebuilt in ascending order, as a reload rebuilds it.
   */
  private forget(): void {
    const held = new Uint8Array(this.vocabSize);
    for (const s of this.stories.values()) {
      for (const v of s.centroid) for (const k of v.keys()) held[k] = 1;
      for (const k of s.indexed) held[k] = 1;
      if (s.members) for (const m of s.members) for (const v of m.vec) for (const k of v.keys()) held[k] = 1;
    }
    const horizon = this.arrivals - this.params.forgetArrivals;
    const used = new Uint8Array(this.vocabSize);
    for (const map of this.vocabs) {
      for (const [term, id] of map) {
        if (held[id] || this.seen[id]! >= horizon) used[id] = 1;
        else {
          map.delete(term);
          this.df[id] = 0;
          this.seen[id] = 0;
        }
      }
    }
    this.freeIds = [];
    for (let id = 0; id < this.vocabSize; id++) if (!used[id]) this.freeIds.push(id);
  }

  private retire(day: number): void {
    const p = this.params;
    const still: number[] = [];
    for (const i of this.activeList) {
      const s = this.stories.get(i);
      if (!s) continue;
      // dated stories also leave once the stream's clock is far past them; the clock is the
      // latest date seen minus a margin, so articles arriving out of order do not retire stories
      const quietDays = !Number.isNaN(day) && !Number.isNaN(s.lastDay) ? day - s.lastDay : 0;
      if ((quietDays > p.activeDays && this.arrivals - s.lastArrival > 1000) || this.arrivals - s.lastArrival > p.activeArrivals) {
        // a retired story is never a candidate again: it is dropped, so memory and the saved
        // state follow the active set, not the length of the stream
        this.stories.delete(i);
        this.reindex(s);
        continue;
      }
      if (s.members && this.arrivals - s.lastArrival > MEMBER_WINDOW) s.members = null;
      still.push(i);
    }
    this.activeList = still;
  }

  /**
   * Assigns the next article. `features`, when given, must be extractFeatures(input), computed
   * ahead (e.g. in a worker thread); without them they are extracted here.
   */
  add(input: ClusterInput, label?: string, features?: Features): Assignment {
    const f = outletFeatures(this.lines, input, features);
    const vec = this.vectors(f);
    const p = this.params;
    this.arrivals++;
    // retirement sweeps are amortised: every 256 arrivals
    if (!Number.isNaN(f.day) && f.day > this.latestDay) this.latestDay = f.day;
    if ((this.arrivals & 255) === 0) this.retire(Number.isFinite(this.latestDay) ? this.latestDay : Number.NaN);
    // vocabulary sweeps: a quarter of the horizon apart, at most 8,192 arrivals (a sweep is
    // linear in the vocabulary and the live stories' features)
    if (p.forgetArrivals > 0 && this.arrivals % Math.max(1, Math.min(8192, Math.floor(p.forgetArrivals / 4))) === 0) this.forget();

    const dense = this.dense;
    for (const v of vec) for (const [k, x] of v) dense[k] = x;
    const candidates = new Set<number>();
    for (const feat of this.topFeatures(vec, p.queryFeatures)) for (const s of this.postings.get(feat) ?? []) candidates.add(s);
    let best = -1;
    let bestSim = 0;
    let second = -1;
    let secondSim = 0;
    for (const idx of [...candidates].sort((a, b) => a - b)) {
      const s = this.stories.get(idx);
      if (!s) continue;
      let sim = this.similarity(vec, s, f.day, true);
      // the nearest member can vouch for an article the centroid does not: a short report
      // or a new angle close to one earlier article of the story (see memberWeight)
      if (p.memberWeight > 0 && s.members && s.members.length > 1 && sim >= MEMBER_GATE * p.threshold) sim = Math.max(sim, p.memberWeight * this.nearestMember(s.members, vec, f.day));
      if (sim > bestSim) {
        second = best;
        secondSim = bestSim;
        best = idx;
        bestSim = sim;
      } else if (sim > secondSim) {
        second = idx;
        secondSim = sim;
      }
    }
    let linked: number[] | null = null;
    // a name link: no story reaches the article in time, but one shares its rare names
    if (p.nameLinks > 0 && bestSim < p.threshold && !Number.isNaN(f.day)) {
      const link = nameLink(vec[1], candidates, (i) => this.stories.get(i), (id) => this.multiWord[id] === 1 && this.df[id]! <= p.nameMaxDf, p.nameLinks, (s) => this.similarity(vec, s, Number.NaN, true), p.nameThreshold);
      if (link) [best, bestSim, second, secondSim, linked] = [link.story, link.similarity, -1, 0, link.names];
    }
    for (const v of vec) for (const k of v.keys()) dense[k] = 0;

    let story: Story;
    let created = false;
    const merged: number[] = [];
    const articleLabel = (): string => copyLabel(label ?? (input.title || input.text.split('\n', 1)[0] || input.id));
    if (best >= 0 && bestSim >= p.threshold) {
      story = this.stories.get(best)!;
    } else {
      // members serve split repair, nearest-member matching and late joining
      story = this.startStory(articleLabel(), f.day, this.arrivals, p.splitThreshold > 0 || p.memberWeight > 0 || p.adoptThreshold > 0 ? [] : null);
      created = true;
    }
    // fold the article into the story
    for (let c = 0; c < CHANNELS; c++) {
      const cen = story.centroid[c]!;
      for (const [k, x] of vec[c]!) cen.set(k, (cen.get(k) ?? 0) + x);
      prune(cen, p.centroidSize);
      story.norms[c] = norm(cen);
    }
    story.packedCentroid = null;
    story.size++;
    if (story.members) {
      // a story this big is established; stop keeping members (memory stays bounded)
      if (story.members.length >= MAX_MEMBERS) story.members = null;
      else {
        const mv = rounded(pruned(vec, MEMBER_FEATURES));
        story.members.push({ arrival: this.arrivals, id: input.id, label: articleLabel(), day: f.day, vec: mv, packed: packed(mv) });
      }
    }
    story.lastArrival = this.arrivals;
    if (!Number.isNaN(f.day)) {
      story.firstDay = Number.isNaN(story.firstDay) ? f.day : Math.min(story.firstDay, f.day);
      story.lastDay = Number.isNaN(story.lastDay) ? f.day : Math.max(story.lastDay, f.day);
    }
    // repair: the article bridges its story and the runner-up, which are themselves close
    if (!created && second >= 0 && secondSim >= p.threshold) {
      const other = this.stories.get(second)!;
      if (!this.locked.has(other.index) && this.centroidSimilarity(story, other) >= p.mergeThreshold) {
        this.absorb(story, other);
        merged.push(other.index);
      }
    }
    // a name link reaches back months: the small stories of the months in between, which the
    // story's days now span, are not its to adopt
    if (p.adoptThreshold > 0 && !created && linked === null) merged.push(...this.adopt(story));
    const splits: Assignment['splits'][number][] = [];
    if (p.splitThreshold > 0 && story.members && story.size >= 2 * p.splitMinPart && isCheckpoint(story.size) && !this.locked.has(story.index)) {
      const part = this.trySplit(story);
      if (part) {
        splits.push(part);
        if (part.arrivals.includes(this.arrivals)) story = this.stories.get(part.story)!;
      }
    }
    // reassignment between the two stories the article reached (see reassign)
    const moves: Moved[] = [];
    const runnerUp = !created && second >= 0 && secondSim >= p.threshold && p.moveMargin >= 0 ? this.stories.get(second) : undefined;
    if (runnerUp && runnerUp !== story) {
      for (const mv of this.reassign(story, runnerUp)) {
        moves.push(mv);
        // the article itself may be the one that moves
        if (mv.arrivals.includes(this.arrivals)) story = this.stories.get(mv.story)!;
      }
    }
    // a story's strongest features settle as it grows: re-index it on every early article,
    // then every fourth (sorting the centroid on each arrival was a tenth of the time)
    if (created || merged.length > 0 || splits.length > 0 || moves.length > 0 || story.size <= 8 || story.size % 4 === 0) this.reindex(story);
    // and every other story a split or a move changed (both sides of each)
    const changed = new Set<number>();
    for (const mv of [...splits, ...moves]) changed.add(mv.story).add(mv.from);
    changed.delete(story.index);
    for (const idx of changed) {
      const st = this.stories.get(idx);
      if (st) this.reindex(st);
    }
    // document frequencies learnt after use: an article never sees its own counts
    for (let c = 0; c < CHANNELS; c++) for (const k of vec[c]!.keys()) this.df[k]!++;
    // and so are its outlet's lines, with the story it joined
    this.lines?.learn(input, this.arrivals, story.index);
    this.docs++;
    return { id: input.id, story: story.index, similarity: created ? 0 : bestSim, created, merged, splits, moves };
  }

  /**
   * A plain, JSON-safe snapshot of the state (format CLUSTER_FORMAT_VERSION): the live
   * stories, the merges and the recent vocabulary, so its size follows the active set.
   */
  toState(): ClusterState {
    const vocab = new Array<string | null>(this.vocabSize).fill(null);
    const prefixes = ['w', 'e', 'n'];
    this.vocabs.forEach((m, c) => {
      for (const [k, id] of m) vocab[id] = `${prefixes[c]}:${k}`;
    });
    const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
    return {
      version: CLUSTER_FORMAT_VERSION,
      params: this.params,
      vocab,
      df: Array.from(this.df.subarray(0, this.vocabSize)),
      seen: Array.from(this.seen.subarray(0, this.vocabSize)),
      docs: this.docs,
      arrivals: this.arrivals,
      latestDay: num(this.latestDay),
      created: this.created,
      merges: [...this.merges],
      ...(this.lines ? { lines: this.lines.toState() } : {}),
      ...(this.locked.size > 0 ? { locked: [...this.locked].filter((i) => this.stories.has(i)).sort((a, b) => a - b) } : {}),
      stories: this.liveStories().map((index) => {
        const st = this.stories.get(index)!;
        return {
          index,
          size: st.size,
          label: st.label,
          centroid: st.centroid.map(packVec) as ClusterState['stories'][number]['centroid'],
          firstDay: num(st.firstDay),
          lastDay: num(st.lastDay),
          lastArrival: st.lastArrival,
          indexed: st.indexed,
          members: st.members ? st.members.map((m) => [m.arrival, m.id, m.label, num(m.day), ...m.vec.map(packVec)] as NonNullable<ClusterState['stories'][number]['members']>[number]) : null,
        };
      }),
    };
  }

  static fromState(state: ClusterState): OnlineClusterer {
    if (!Number.isInteger(state.version) || state.version < 1 || state.version > CLUSTER_FORMAT_VERSION) {
      throw createError('FORMAT_VERSION', `cluster: saved state has format ${state.version}, this Parallax reads 1 to ${CLUSTER_FORMAT_VERSION}; re-run clustering`, { subject: 'cluster' });
    }
    const d = DEFAULT_CLUSTER_PARAMS;
    const c = new OnlineClusterer(state.version < 3 ? { ...state.params, splitThreshold: d.splitThreshold, splitMinPart: d.splitMinPart, memberWeight: d.memberWeight } : state.params);
    state.vocab.forEach((k, i) => {
      if (k !== null) c.vocabs['wen'.indexOf(k[0]!)]!.set(k.slice(2), i);
      else c.freeIds.push(i);
    });
    c.vocabSize = state.vocab.length;
    c.df = new Float64Array(Math.max(1024, state.vocab.length * 2));
    c.seen = new Int32Array(c.df.length);
    c.multiWord = new Uint8Array(c.df.length);
    state.vocab.forEach((k, i) => {
      if (k !== null && k[0] === 'e' && k.includes(' ')) c.multiWord[i] = 1;
    });
    c.dense = new Float64Array(c.df.length);
    c.df.set(state.df);
    // before format 4 terms were never forgotten: they count as used at the last arrival
    if (state.seen) c.seen.set(state.seen);
    else c.seen.fill(state.arrivals, 0, c.vocabSize);
    c.docs = state.docs;
    c.arrivals = state.arrivals;
    c.latestDay = state.latestDay ?? Number.NEGATIVE_INFINITY;
    // formats 1 to 3 list every story at its index; only the live ones are kept
    const old = state.version < 4;
    c.created = old ? state.stories.length : (state.created ?? 0);
    if (old) state.stories.forEach((st, i) => st.mergedInto !== undefined && st.mergedInto >= 0 && c.merges.set(i, st.mergedInto));
    else for (const [from, into] of state.merges ?? []) c.merges.set(from, into);
    const live: [Story, NonNullable<ClusterState['stories'][number]['indexed']> | undefined][] = [];
    state.stories.forEach((st, i) => {
      if (old && (!st.active || (st.mergedInto ?? -1) >= 0)) return;
      const centroid = st.centroid.map(unpackVec) as [Vec, Vec, Vec];
      const story: Story = {
        index: old ? i : st.index!,
        size: st.size,
        label: st.label,
        centroid,
        norms: [norm(centroid[0]), norm(centroid[1]), norm(centroid[2])],
        firstDay: st.firstDay ?? Number.NaN,
        lastDay: st.lastDay ?? Number.NaN,
        lastArrival: st.lastArrival,
        indexed: [],
        packedCentroid: null,
        members: st.members
          ? st.members.map(([arrival, id, label, day, ...packedVec]) => {
              const vec = packedVec.map(unpackVec) as [Vec, Vec, Vec];
              return { arrival, id, label, day: day ?? Number.NaN, vec, packed: packed(vec) };
            })
          : null,
      };
      c.stories.set(story.index, story);
      live.push([story, st.indexed]);
    });
    // the lookup features exactly as they were when saved (recomputed for states saved
    // before they were kept)
    for (const [st, indexed] of live) {
      if (indexed) c.post(st, [...indexed]);
      else c.reindex(st);
    }
    c.activeList = c.liveStories();
    if (state.lines && c.lines) c.lines = OutletLines.fromState(state.lines);
    for (const i of state.locked ?? []) if (c.stories.has(i)) c.locked.add(i);
    return c;
  }

  /**
   * An analyst's correction: the articles `ids` leave the live stories that hold them and go to
   * story `to` (a live story) or, with null, to a new story labelled `label`. Their vectors
   * move with them, so later articles like them follow them there. Articles the clusterer no
   * longer holds (retired stories, or stories past MAX_MEMBERS) are left out. The stories
   * touched are locked (see locked). Returns the story they went to.
   */
  correctMove(ids: readonly string[], to: number | null, label: string): number {
    const want = new Set(ids);
    let dst = to === null ? undefined : this.stories.get(this.resolve(to));
    dst ??= this.startStory(copyLabel(label), Number.NaN, this.arrivals, []);
    const moving: Member[] = [];
    for (const src of [...this.stories.values()]) {
      if (src === dst || !src.members) continue;
      const leave = src.members.filter((m) => want.has(m.id));
      if (leave.length === 0) continue;
      src.members = src.members.filter((m) => !want.has(m.id));
      src.size -= leave.length;
      for (const m of leave) {
        for (let c = 0; c < CHANNELS; c++) {
          const cen = src.centroid[c]!;
          for (const [k, x] of m.vec[c]!) {
            const left = (cen.get(k) ?? 0) - x;
            if (left > 1e-9) cen.set(k, left);
            else cen.delete(k);
          }
        }
      }
      this.locked.add(src.index);
      if (src.size <= 0) {
        this.stories.delete(src.index);
        this.reindex(src);
      } else {
        if (!src.members.some((m) => m.label === src.label) && src.members.length > 0) src.label = src.members[0]!.label;
        this.refresh(src);
        this.reindex(src);
      }
      moving.push(...leave);
    }
    for (const m of moving) for (let c = 0; c < CHANNELS; c++) for (const [k, x] of m.vec[c]!) dst.centroid[c]!.set(k, (dst.centroid[c]!.get(k) ?? 0) + x);
    dst.size += moving.length;
    if (dst.members) dst.members = dst.members.concat(moving).sort((x, y) => x.arrival - y.arrival);
    if (moving.length > 0) dst.lastArrival = Math.max(dst.lastArrival, ...moving.map((m) => m.arrival));
    this.refresh(dst);
    this.locked.add(dst.index);
    this.reindex(dst);
    return dst.index;
  }

  /** An analyst's merge of live story `from` into live story `into` (both locked from then on). */
  correctMerge(from: number, into: number): void {
    const a = this.stories.get(this.resolve(into));
    const b = this.stories.get(this.resolve(from));
    if (!a || !b || a === b) return;
    this.absorb(a, b);
    this.locked.add(a.index);
    this.reindex(a);
  }

  /** Marks a live story corrected (see locked). */
  lock(index: number): void {
    if (this.stories.has(index)) this.locked.add(index);
  }

  isLocked(index: number): boolean {
    return this.locked.has(index);
  }

  /** A story's centroid pruned and re-normed, its days from its members when it holds them. */
  private refresh(st: Story): void {
    for (let c = 0; c < CHANNELS; c++) {
      prune(st.centroid[c]!, this.params.centroidSize);
      st.norms[c] = norm(st.centroid[c]!);
    }
    st.packedCentroid = null;
    if (st.members && st.members.length > 0) {
      const days = st.members.map((m) => m.day).filter((d) => !Number.isNaN(d));
      if (days.length > 0) {
        st.firstDay = Math.min(...days);
        st.lastDay = Math.max(...days);
      }
    }
  }

  /** stories created and not merged away (retired ones included) */
  storyCount(): number {
    return this.created - this.merges.size;
  }

  activeCount(): number {
    return this.activeList.length;
  }

  /** the label of a live story ('' once it is retired) */
  labelOf(index: number): string {
    return this.stories.get(this.resolve(index))?.label ?? '';
  }

  /** indexes of the live stories (active, not merged), ascending */
  liveStories(): number[] {
    return [...this.stories.keys()].sort((a, b) => a - b);
  }
}

/**
 * Follows a stream's assignments to the end: split repair moves earlier arrivals to a new
 * story and merges fold stories into others, so an article's final story is known only
 * once the stream is over.
 */
class StreamTracker {
  private readonly ids: string[] = [];
  private readonly story: number[] = [];

  constructor(private readonly clusterer: OnlineClusterer) {}

  add(a: Assignment): void {
    this.ids.push(a.id);
    this.story.push(a.story);
    // split repair and reassignment move earlier arrivals (1-based) to another story
    for (const sp of a.splits) for (const arrival of sp.arrivals) this.story[arrival - 1] = sp.story;
    for (const mv of a.moves) for (const arrival of mv.arrivals) this.story[arrival - 1] = mv.story;
  }

  result(): { id: string; story: number }[] {
    return this.ids.map((id, i) => ({ id, story: this.clusterer.resolve(this.story[i]!) }));
  }
}

/** Clusters a whole stream in order; returns the final story index of each article. */
export function clusterStream(inputs: Iterable<ClusterInput>, params: Partial<ClusterParams> = {}): { id: string; story: number }[] {
  const c = new OnlineClusterer(params);
  const t = new StreamTracker(c);
  for (const input of inputs) t.add(c.add(input));
  return t.result();
}

/**
 * clusterStream over articles whose features may already be extracted (in worker threads,
 * see engine/prepare.ts); the same stories as clusterStream for the same inputs.
 */
export async function clusterPrepared(items: AsyncIterable<{ readonly input: ClusterInput; readonly features?: Features | null }>, params: Partial<ClusterParams> = {}): Promise<{ id: string; story: number }[]> {
  const c = new OnlineClusterer(params);
  const t = new StreamTracker(c);
  for await (const { input, features } of items) t.add(c.add(input, undefined, features ?? undefined));
  return t.result();
}

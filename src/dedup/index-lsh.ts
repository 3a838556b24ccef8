import { fmix32 } from './hash.js';
import { IntMultiMap } from './multimap.js';
import { paramsKey, type DedupParams, type Signature } from './signature.js';

/** Bounds on the candidates one query returns (see DedupIndex.query). */
export interface QueryLimits {
  /** anchors carried by more documents than this are boilerplate and ignored */
  readonly maxAnchorDocs?: number;
  /** candidates sharing an LSH band: most bands first, then newest, the likely original kept */
  readonly maxNear?: number;
  /** candidates sharing anchors but no kept band slot: most anchors first, then newest */
  readonly maxPartial?: number;
}
export const DEFAULT_MAX_NEAR = 16;
export const DEFAULT_MAX_PARTIAL = 64;

/**
 * The persistent-in-spirit index: banded LSH buckets for Jaccard candidates, plus an
 * anchor index for containment (a short wire story inside a long article has a low
 * Jaccard, so LSH alone misses it): winnowed shingles are indexed, and articles sharing
 * any anchor that is not boilerplate-common become candidates.
 * Documents are numbered densely; removed ones are masked, not compacted. Each id also has
 * an age, given when the id is first added and kept when it is re-added (a new version):
 * the stage adds stored signatures in the order their articles were first stored, so ages,
 * unlike document numbers, are the same after a restart.
 */
export class DedupIndex {
  readonly params: DedupParams;
  readonly key: string;
  private readonly bands: IntMultiMap;
  private readonly anchors: IntMultiMap;
  private readonly ids: string[] = [];
  private readonly numberOf = new Map<string, number>();
  private removed = new Uint8Array(1024);
  private stamp = new Int32Array(1024);
  private bandHits = new Int32Array(1024);
  private anchorHits = new Int32Array(1024);
  /** age of each document number (see the class comment) */
  private age = new Int32Array(1024);
  /** ages given so far (ids ever added) */
  private ages = 0;
  private queries = 0;

  constructor(params: DedupParams) {
    this.params = params;
    this.key = paramsKey(params);
    this.bands = new IntMultiMap(1 << 12);
    this.anchors = new IntMultiMap(1 << 12);
  }

  get size(): number {
    return this.numberOf.size;
  }

  /** Bytes of index per document in use (entries and table slots at the 0.5 load the table keeps; ids not counted). */
  bytesPerDocument(): number {
    return this.ids.length === 0 ? 0 : (this.bands.usedBytes + this.anchors.usedBytes) / this.ids.length + 1;
  }

  bandKeys(sig: Signature): Uint32Array {
    const { bands, rows } = this.params;
    const keys = new Uint32Array(bands);
    for (let b = 0; b < bands; b++) {
      let h = Math.imul(b + 1, 0x27d4eb2d);
      for (let r = 0; r < rows; r++) h = fmix32(h ^ sig[b * rows + r]!);
      keys[b] = h;
    }
    return keys;
  }

  /** Anchors of a text: its shingles winnowed with this index's window (see winnow). */
  anchorsOf(shingleHashes: Uint32Array): Uint32Array {
    return winnow(shingleHashes, this.params.anchorWindow);
  }

  /** The ids held, oldest first (diagnostics and tests: ages must survive restarts and catch-ups). */
  idsByAge(): string[] {
    return [...this.numberOf.entries()].sort((a, b) => this.age[a[1]]! - this.age[b[1]]!).map(([id]) => id);
  }

  has(id: string): boolean {
    return this.numberOf.has(id);
  }

  add(id: string, sig: Signature, anchors: Uint32Array): void {
    // a new version keeps the age of the one it replaces (no map of every id ever seen)
    const previous = this.numberOf.get(id);
    const age = previous !== undefined ? this.age[previous]! : this.ages++;
    if (previous !== undefined) this.remove(id);
    const doc = this.ids.length;
    this.ids.push(id);
    this.numberOf.set(id, doc);
    if (doc >= this.removed.length) {
      const r = new Uint8Array(this.removed.length * 2);
      r.set(this.removed);
      this.removed = r;
      const a = new Int32Array(this.age.length * 2);
      a.set(this.age);
      this.age = a;
    }
    this.age[doc] = age;
    for (const k of this.bandKeys(sig)) this.bands.add(k, doc);
    for (const a of anchors) this.anchors.add(a, doc);
  }

  /** Masks an id's document; its age is forgotten (add keeps it only for a direct replacement). */
  remove(id: string): void {
    const doc = this.numberOf.get(id);
    if (doc === undefined) return;
    this.removed[doc] = 1;
    this.numberOf.delete(id);
  }

  /**
   * Candidate ids for a signature and anchors. Anchors carried by more than
   * `maxAnchorDocs` documents are boilerplate and ignored (they would make every article a
   * candidate of every other).
   *
   * The work per query is bounded: wire copy reprinted a hundred times would otherwise make
   * every new reprint a candidate of all earlier ones (verification, and the links stored,
   * quadratic in the family). Band candidates are ranked by the bands they share (a
   * monotone estimate of Jaccard), then newest first, and the first `maxNear` are kept, the
   * oldest close one always among them (the likely original): a reprint is linked to the
   * original and its nearest predecessors, so a family stays connected and its origin
   * known. Candidates found only through anchors (partial reuse, which band candidates
   * would crowd out), and band candidates that lost their slot without being close but
   * share anchors, are ranked by the anchors they share, then newest first, and the first
   * `maxPartial` are kept. An article quoting more than `maxPartial` sources is linked to
   * that many of them.
   */
  query(sig: Signature, anchors: Uint32Array, options: QueryLimits = {}): string[] {
    const maxAnchorDocs = options.maxAnchorDocs ?? 50;
    const maxNear = options.maxNear ?? DEFAULT_MAX_NEAR;
    const maxPartial = options.maxPartial ?? DEFAULT_MAX_PARTIAL;
    // a stamp per document dedupes candidates without a Set; hit counts live beside it
    if (this.stamp.length < this.ids.length) {
      const size = Math.max(1024, this.ids.length * 2);
      const s = new Int32Array(size);
      s.set(this.stamp);
      this.stamp = s;
      this.bandHits = new Int32Array(size);
      this.anchorHits = new Int32Array(size);
    }
    const q = ++this.queries;
    const seen: number[] = [];
    const touch = (d: number): void => {
      if (this.stamp[d] === q) return;
      this.stamp[d] = q;
      this.bandHits[d] = 0;
      this.anchorHits[d] = 0;
      if (!this.removed[d]) seen.push(d);
    };
    const band = (d: number): void => {
      touch(d);
      this.bandHits[d]!++;
    };
    const anchor = (d: number): void => {
      touch(d);
      this.anchorHits[d]!++;
    };
    for (const k of this.bandKeys(sig)) this.bands.forEach(k, band);
    for (const a of anchors) {
      if (this.anchors.count(a, maxAnchorDocs + 1) > maxAnchorDocs) continue;
      this.anchors.forEach(a, anchor);
    }
    const age = this.age;
    // most hits first; among equals the newest (a reprint's nearest predecessors, and the
    // ones the stage still has in memory)
    const rank = (hits: Int32Array) => (x: number, y: number) => hits[y]! - hits[x]! || age[y]! - age[x]!;
    const near = seen.filter((d) => this.bandHits[d]! > 0);
    let partial = seen.filter((d) => this.bandHits[d] === 0);
    let cut: number[] = [];
    let half = 0;
    if (near.length > maxNear) {
      near.sort(rank(this.bandHits));
      // The oldest close candidate is always kept: it is the likely original. "Close" is at
      // least half the best band count, not the best itself: reprints share a sign-off or
      // footer the original lacks, so the original often shares a band or two fewer.
      half = Math.ceil(this.bandHits[near[0]!]! / 2);
      let oldest = near[0]!;
      for (const d of near) if (this.bandHits[d]! >= half && age[d]! < age[oldest]!) oldest = d;
      cut = near.splice(maxNear);
      if (maxNear > 0 && !near.includes(oldest)) {
        cut.push(near[maxNear - 1]!);
        near[maxNear - 1] = oldest;
        cut.splice(cut.indexOf(oldest), 1);
      }
    }
    // a candidate that lost its band slot but is not close (a source this article contains,
    // say, that shares a band by chance) may still hold a passage: it competes with the
    // anchor-only ones. Close ones are the reprint family, which the kept slots stand for.
    if (cut.length > 0) partial = partial.concat(cut.filter((d) => this.bandHits[d]! < half && this.anchorHits[d]! > 0));
    if (partial.length > maxPartial) partial.sort(rank(this.anchorHits)).length = maxPartial;
    return [...near, ...partial].map((d) => this.ids[d]!);
  }
}

/**
 * Winnowing (Schleimer, Wilkerson and Aiken 2003): the minimum hash of every window of
 * `window` consecutive shingles, rightmost on ties, each selected once, sorted and distinct.
 * The windows' minima come from blocks of `window` shingles (van Herk, Gil and Werman): a
 * window is the tail of one block and the head of the next, so its minimum is the lesser of
 * the tail's minimum (a pass from each block's end) and the head's (a pass from its start).
 * Three passes, each with a branch that is seldom taken on hashes, where the usual deque
 * pops an unpredictable number of entries per shingle.
 */
export function winnow(shingleHashes: Uint32Array, window: number): Uint32Array {
  const n = shingleHashes.length;
  // a whole number of shingles, at least one (the blocks below advance by it)
  const w = Math.min(window >= 1 ? Math.floor(window) : 1, Math.max(1, n));
  // scratch arrays reused from call to call; the result is a copy of its size
  if (headAt.length < n) {
    headAt = new Int32Array(n * 2);
    tailAt = new Int32Array(n * 2);
  }
  const cap = Math.ceil((2 * n) / (w + 1)) + 2;
  if (winnowOut.length < cap) winnowOut = new Uint32Array(cap * 2);
  const h = shingleHashes;
  const out = winnowOut;
  // headAt[i]: where the minimum of its block up to i is, rightmost on ties
  // tailAt[i]: where the minimum of its block from i on is, rightmost on ties
  const head = headAt;
  const tail = tailAt;
  for (let start = 0; start < n; start += w) {
    const end = Math.min(start + w, n);
    let at = start;
    for (let i = start; i < end; i++) {
      if (h[i]! <= h[at]!) at = i;
      head[i] = at;
    }
    at = end - 1;
    for (let i = end - 1; i >= start; i--) {
      if (h[i]! < h[at]!) at = i;
      tail[i] = at;
    }
  }
  let count = 0;
  let last = -1;
  // the window [l, r] by its last shingle r; `into` is how far l is into its block
  for (let r = w - 1, into = 0; r < n; r++, into = into === w - 1 ? 0 : into + 1) {
    // a window that is one block is its head; otherwise the head of r's block lies to the
    // right of the tail of l's, and wins ties
    const right = head[r]!;
    const left = tail[r - w + 1]!;
    const pick = into === 0 || h[right]! <= h[left]! ? right : left;
    if (pick !== last) {
      if (count === cap) break;
      out[count++] = h[pick]!;
      last = pick;
    }
  }
  const sel = out.subarray(0, count).sort();
  let u = 0;
  for (let i = 0; i < sel.length; i++) if (i === 0 || sel[i] !== sel[i - 1]) sel[u++] = sel[i]!;
  return sel.slice(0, u);
}
let headAt = new Int32Array(1024);
let tailAt = new Int32Array(1024);
let winnowOut = new Uint32Array(256);

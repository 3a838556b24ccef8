import { fmix32 } from './hash.js';
import { IntMultiMap } from './multimap.js';
import { paramsKey, type DedupParams, type Signature } from './signature.js';

/** Bounds on the candidates one query returns (see DedupIndex.query). */
export interface QueryLimits {
  /** anchors carried by more documents than this are boilerplate and ignored */
  readonly maxAnchorDocs?: number;
  /** candidates sharing an LSH band, most bands first, then oldest */
  readonly maxNear?: number;
  /** candidates sharing only anchors, most anchors first, then oldest */
  readonly maxPartial?: number;
}
export const DEFAULT_MAX_NEAR = 16;
export const DEFAULT_MAX_PARTIAL = 64;

/**
 * The persistent-in-spirit index: banded LSH buckets for Jaccard candidates, plus an
 * anchor index for containment (a short wire story inside a long article has a low
 * Jaccard, so LSH alone misses it): winnowed shingles are indexed, and articles sharing
 * any anchor that is not boilerplate-common become candidates.
 * Documents are numbered densely; removed ones are masked, not compacted.
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

  /**
   * Winnowing (Schleimer, Wilkerson and Aiken 2003): the minimum hash of every window of
   * `anchorWindow` consecutive shingles, rightmost on ties, each selected once. A monotonic
   * deque keeps it linear.
   */
  anchorsOf(shingleHashes: Uint32Array): Uint32Array {
    const n = shingleHashes.length;
    const w = Math.min(this.params.anchorWindow, Math.max(1, n));
    const out = new Uint32Array(Math.ceil((2 * n) / (w + 1)) + 2);
    const deque = new Int32Array(n);
    let head = 0;
    let tail = 0;
    let count = 0;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const h = shingleHashes[i]!;
      while (tail > head && shingleHashes[deque[tail - 1]!]! >= h) tail--;
      deque[tail++] = i;
      if (deque[head]! <= i - w) head++;
      if (i >= w - 1 || i === n - 1) {
        const pick = deque[head]!;
        if (pick !== last) {
          if (count === out.length) break;
          out[count++] = shingleHashes[pick]!;
          last = pick;
        }
      }
    }
    const sel = out.subarray(0, count).sort();
    let u = 0;
    for (let i = 0; i < sel.length; i++) if (i === 0 || sel[i] !== sel[i - 1]) sel[u++] = sel[i]!;
    return sel.subarray(0, u);
  }

  has(id: string): boolean {
    return this.numberOf.has(id);
  }

  add(id: string, sig: Signature, anchors: Uint32Array): void {
    if (this.numberOf.has(id)) this.remove(id);
    const doc = this.ids.length;
    this.ids.push(id);
    this.numberOf.set(id, doc);
    if (doc >= this.removed.length) {
      const r = new Uint8Array(this.removed.length * 2);
      r.set(this.removed);
      this.removed = r;
    }
    for (const k of this.bandKeys(sig)) this.bands.add(k, doc);
    for (const a of anchors) this.anchors.add(a, doc);
  }

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
   * oldest of the best-ranked always among them (the likely original): a reprint is linked
   * to the original and its nearest predecessors, so a family stays connected and its
   * origin known. Candidates found only through anchors (partial reuse, which band
   * candidates would crowd out) are ranked by the anchors they share, then newest first,
   * and the first `maxPartial` are kept, the oldest of the best kept likewise.
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
    const near = seen.filter((d) => this.bandHits[d]! > 0);
    const partial = seen.filter((d) => this.bandHits[d] === 0);
    // most hits first; among equals the newest (a reprint's nearest predecessors, and the
    // ones the stage still has in memory), but the oldest of the best is always kept: it is
    // the likely original
    const rank = (hits: Int32Array) => (x: number, y: number) => hits[y]! - hits[x]! || y - x;
    const keep = (docs: number[], hits: Int32Array, max: number): void => {
      if (docs.length <= max || max < 1) return;
      docs.sort(rank(hits));
      const top = hits[docs[0]!]!;
      let oldest = docs[0]!;
      for (const d of docs) if (hits[d] === top && d < oldest) oldest = d;
      docs.length = max;
      if (!docs.includes(oldest)) docs[max - 1] = oldest;
    };
    keep(near, this.bandHits, maxNear);
    keep(partial, this.anchorHits, maxPartial);
    return [...near, ...partial].map((d) => this.ids[d]!);
  }
}

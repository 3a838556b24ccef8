import { fmix32 } from './hash.js';
import { IntMultiMap } from './multimap.js';
import { paramsKey, type DedupParams, type Signature } from './signature.js';

/**
 * The persistent-in-spirit index: banded LSH buckets for Jaccard candidates, plus an
 * anchor index for containment (a short wire story inside a long article has a low
 * Jaccard, so LSH alone misses it): shingles whose hash is 0 mod M are indexed, and
 * articles sharing any anchor that is not boilerplate-common become candidates.
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

  constructor(params: DedupParams) {
    this.params = params;
    this.key = paramsKey(params);
    this.bands = new IntMultiMap(1 << 12);
    this.anchors = new IntMultiMap(1 << 12);
  }

  get size(): number {
    return this.numberOf.size;
  }

  /** Bytes of index per document (typed arrays; the id strings not counted). */
  bytesPerDocument(): number {
    return this.ids.length === 0 ? 0 : (this.bands.bytes + this.anchors.bytes + this.removed.byteLength) / this.ids.length;
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

  anchorsOf(shingleHashes: Uint32Array): Uint32Array {
    const m = this.params.anchorModulus;
    const out: number[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < shingleHashes.length; i++) {
      const h = shingleHashes[i]!;
      if (h % m === 0 && !seen.has(h)) {
        seen.add(h);
        out.push(h);
      }
    }
    return Uint32Array.from(out);
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
   */
  query(sig: Signature, anchors: Uint32Array, maxAnchorDocs = 50): string[] {
    const found = new Set<number>();
    for (const k of this.bandKeys(sig)) this.bands.forEach(k, (d) => found.add(d));
    for (const a of anchors) {
      if (this.anchors.count(a, maxAnchorDocs + 1) > maxAnchorDocs) continue;
      this.anchors.forEach(a, (d) => found.add(d));
    }
    const out: string[] = [];
    for (const d of found) if (!this.removed[d]) out.push(this.ids[d]!);
    return out;
  }
}

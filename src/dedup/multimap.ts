/**
 * A multimap from 32-bit keys to 32-bit document numbers, in typed arrays: an
 * open-addressing table (linear probing) of key -> first entry, and entries chained
 * newest first. About 8 bytes per entry and 16 per distinct key, no object per entry:
 * the LSH buckets and the anchor postings of millions of articles fit in memory.
 */
export class IntMultiMap {
  private keys: Uint32Array;
  private heads: Int32Array;
  private used = 0;
  private entryDoc: Int32Array;
  private entryNext: Int32Array;
  private entries = 0;

  constructor(capacity = 1024) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Uint32Array(cap);
    this.heads = new Int32Array(cap).fill(-1);
    this.entryDoc = new Int32Array(Math.max(16, capacity));
    this.entryNext = new Int32Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.entries;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.keys.byteLength + this.heads.byteLength + this.entryDoc.byteLength + this.entryNext.byteLength;
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let i = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    while (this.heads[i] !== -1 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.heads = new Int32Array(oldKeys.length * 2).fill(-1);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === -1) continue;
      const s = this.slot(oldKeys[i]!);
      this.keys[s] = oldKeys[i]!;
      this.heads[s] = oldHeads[i]!;
    }
  }

  add(key: number, doc: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    if (this.entries === this.entryDoc.length) {
      const d = new Int32Array(this.entries * 2);
      d.set(this.entryDoc);
      this.entryDoc = d;
      const n = new Int32Array(this.entries * 2);
      n.set(this.entryNext);
      this.entryNext = n;
    }
    const s = this.slot(key >>> 0);
    if (this.heads[s] === -1) {
      this.keys[s] = key >>> 0;
      this.used++;
    }
    const e = this.entries++;
    this.entryDoc[e] = doc;
    this.entryNext[e] = this.heads[s]!;
    this.heads[s] = e;
  }

  /** Bytes in use: 8 per entry, 16 per distinct key (two slots at load 0.5). */
  get usedBytes(): number {
    return this.entries * 8 + this.used * 16;
  }

  /** Calls `fn` for every document under `key`, newest first; stops after `limit`. */
  forEach(key: number, fn: (doc: number) => void, limit = Infinity): number {
    const s = this.slot(key >>> 0);
    let n = 0;
    for (let e = this.heads[s]!; e !== -1 && n < limit; e = this.entryNext[e]!, n++) fn(this.entryDoc[e]!);
    return n;
  }

  count(key: number, cap = Infinity): number {
    const s = this.slot(key >>> 0);
    let n = 0;
    for (let e = this.heads[s]!; e !== -1 && n < cap; e = this.entryNext[e]!) n++;
    return n;
  }
}

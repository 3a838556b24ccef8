/**
 * Sparse vectors of online clustering: feature id -> weight, one map per channel (words,
 * entities, numbers), their typed-array packing for the hot loops, and the linear-time
 * selection that keeps a vector's strongest features.
 */

export type Vec = Map<number, number>;

export const CHANNELS = 3;

export interface Packed {
  readonly ids: Int32Array;
  readonly ws: Float64Array;
  /** end offset of each channel */
  readonly ends: Int32Array;
  readonly norms: Float64Array;
}

export function packed(vec: [Vec, Vec, Vec]): Packed {
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

export function norm(v: Vec): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const [k, x] of small) {
    const y = big.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}

/** Weights are saved to 6 decimals. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function packVec(v: Vec): [number[], number[]] {
  return [[...v.keys()], [...v.values()].map(round6)];
}

export function unpackVec([ids, ws]: [number[], number[]]): Vec {
  return new Map(ids.map((id, i) => [id, ws[i]!]));
}

/** Rounded as in the saved state, so that memory and a reloaded state compare alike. */
export function rounded(vec: [Vec, Vec, Vec]): [Vec, Vec, Vec] {
  return vec.map((v) => {
    const c: Vec = new Map();
    for (const [k, x] of v) c.set(k, round6(x));
    return c;
  }) as [Vec, Vec, Vec];
}

/** A copy of each channel keeping its strongest `keep` features. */
export function pruned(vec: [Vec, Vec, Vec], keep: number): [Vec, Vec, Vec] {
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
 * Order unspecified. `scratch` (length >= n) is overwritten.
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

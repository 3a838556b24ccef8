import type { StoryId } from '../domain/ids.js';
import type { Stories } from './lifecycle.js';
import type { ClusterParams } from './params.js';
import { vectorsSimilarity } from './similarity.js';
import { type Member, type Moved, settle, type Story, sumOfMembers } from './story.js';
import { CHANNELS, norm, packed, type Vec } from './vectors.js';

/**
 * Split repair, the converse of merging: a story that absorbed two events of one kind
 * (the first article of the second event joined the first, and its successors followed)
 * holds two groups of articles that are each coherent and unlike each other. The members
 * are re-weighted by IDF within the story, clustered by average linkage, and the main split
 * of the dendrogram is taken (small outlying groups are stepped over and join the side they
 * are closer to). The story splits when both sides are big enough, their average similarity
 * is below splitThreshold, and stream-wide they are less alike than mergeThreshold. The
 * side that holds the story's first article keeps the story; the other becomes a new one.
 * O(n^3) in members (n <= MAX_MEMBERS), run only at checkpoints. `dense` is scratch over
 * feature ids, zero on entry and on return; `idOf` gives the new story's id from its first
 * article (see storyIdOf).
 */
export function trySplit(p: ClusterParams, stories: Stories, story: Story, dense: Float64Array, idOf: (first: string) => StoryId): Moved | null {
  const ms = story.members!;
  const n = ms.length;
  const sim = pairwise(p, localWeights(ms), dense);
  const tree = averageLinkage(sim, n);
  const top = mainSplit(tree, n, p.splitMinPart);
  if (top < n) return null;
  if (tree.height[top - n]! >= p.splitThreshold) return null;
  const side = sides(tree, top, sim, n);
  const ia: number[] = [];
  const ib: number[] = [];
  for (let i = 0; i < n; i++) (side[i] ? ib : ia).push(i);
  // Local weighting magnifies any difference, also between two angles of one event (the
  // sandbags and the power cuts of one flood). Halves that are still alike by stream-wide
  // weights, as alike as two stories that merge, stay one story: a split that merge
  // repair would undo is not made.
  const sumOf = (idx: number[]): [Vec, Vec, Vec] => sumOfMembers(idx.map((i) => ms[i]!));
  const ca = sumOf(ia);
  const cb = sumOf(ib);
  if (vectorsSimilarity(p, ca, ca.map(norm), cb, cb.map(norm)) >= p.mergeThreshold) return null;
  // the half holding the story's first member keeps the story
  const [keep, move] = side[0] === 0 ? [ia, ib] : [ib, ia];
  const moved = move.map((i) => ms[i]!);
  // days, last arrival and centroid of both halves are set from their members below
  const fresh = stories.start(idOf(moved[0]!.id), moved[0]!.label, Number.NaN, story.lastArrival, moved);
  fresh.size = moved.length;
  story.members = keep.map((i) => ms[i]!);
  story.size = keep.length;
  for (const st of [story, fresh]) {
    st.lastArrival = Math.max(...st.members!.map((m) => m.arrival));
    settle(st, p.centroidSize, sumOfMembers(st.members!));
  }
  return { story: fresh.id, from: story.id, arrivals: moved.map((m) => m.arrival), ids: moved.map((m) => m.id) };
}

/**
 * Local weighting: inside one story every member shares the topic's words ("quake",
 * "Iran", "magnitude"), which is why two events of one kind look alike under stream-wide
 * IDF. Re-weighted by IDF over the story's own members, the shared words fade and what
 * tells the events apart (the island, the day, the toll) carries the comparison. A
 * feature in one member only cannot link two members and is dropped.
 */
function localWeights(ms: readonly Member[]): Vec[][] {
  const n = ms.length;
  const df = new Map<number, number>();
  for (const m of ms) for (const v of m.vec) for (const k of v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  return ms.map((m) =>
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
}

/**
 * The members' pairwise similarities (n x n): each member in turn spread over the dense
 * scratch array, the later ones read against it from typed arrays.
 */
function pairwise(p: ClusterParams, local: Vec[][], dense: Float64Array): Float64Array {
  const n = local.length;
  const w = [p.wWords, p.wEntities, p.wNumbers];
  const pk = local.map((v) => packed(v as [Vec, Vec, Vec]));
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
  return sim;
}

/**
 * A dendrogram over n leaves: node n + s joins left[s] and right[s] at similarity height[s];
 * nodeSize holds every node's leaf count.
 */
interface Dendrogram {
  readonly left: number[];
  readonly right: number[];
  readonly height: number[];
  readonly nodeSize: number[];
}

/** Average-linkage agglomeration of n items with similarities `sim` (n x n). */
function averageLinkage(sim: Float64Array, n: number): Dendrogram {
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
  return { left, right, height, nodeSize };
}

/**
 * The main split: from the root, step over small groups (outliers join a side later) into the
 * bigger child until both children have at least `minPart` leaves. Returns that node, or a
 * leaf (< n) when there is none.
 */
function mainSplit({ left, right, nodeSize }: Dendrogram, n: number, minPart: number): number {
  let top = 2 * n - 2;
  while (top >= n) {
    const a = left[top - n]!;
    const b = right[top - n]!;
    if (nodeSize[a]! >= minPart && nodeSize[b]! >= minPart) break;
    top = nodeSize[a]! >= nodeSize[b]! ? a : b;
  }
  return top;
}

/**
 * The side (0: left, 1: right) of each item at the split at node `top`; items outside both
 * children go to the side they are on average closer to.
 */
function sides({ left, right }: Dendrogram, top: number, sim: Float64Array, n: number): Uint8Array {
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
  for (let i = 0; i < n; i++) {
    if (side[i] !== 2) continue;
    let sa = 0;
    let sb = 0;
    for (const j of ia0) sa += sim[i * n + j]!;
    for (const j of ib0) sb += sim[i * n + j]!;
    side[i] = sb / ib0.length > sa / ia0.length ? 1 : 0;
  }
  return side;
}

import type { ClusterParams } from './params.js';
import type { Member, Story } from './story.js';
import { CHANNELS, dot, packed, type Vec } from './vectors.js';

/**
 * Similarities of online clustering: an article to a story (its centroid, or its nearest
 * member), a member to its own story without itself, and two stories to each other. Each is a
 * weighted sum of channel cosines over the channels present, with the entity gate and the
 * time decay where an article is involved.
 */

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
export function decay(gap: number, p: ClusterParams): number {
  return gap <= p.graceDays ? p.nearBoost : Math.pow(0.5, (gap - p.graceDays) / p.halfLifeDays);
}

/**
 * A candidate story's similarity to the arriving article (its weights spread in `dense`): the
 * centroid's, or the nearest member's when that is higher (see memberWeight).
 */
export function candidateSimilarity(p: ClusterParams, vec: [Vec, Vec, Vec], s: Story, day: number, dense: Float64Array): number {
  const sim = storySimilarity(p, vec, s, day, dense);
  // the nearest member can vouch for an article the centroid does not: a short report
  // or a new angle close to one earlier article of the story (see memberWeight)
  if (p.memberWeight > 0 && s.members && s.members.length > 1 && sim >= MEMBER_GATE * p.threshold) return Math.max(sim, p.memberWeight * nearestMember(p, s.members, vec, day, dense));
  return sim;
}

/**
 * The article's similarity to a story's centroid. With `dense` the article's weights are in it
 * (the candidate scan) and the centroid is read from typed arrays against it, with
 * no map lookups (map-to-map dot products were a sixth of the time).
 */
export function storySimilarity(p: ClusterParams, vec: [Vec, Vec, Vec], s: Story, day: number, dense: Float64Array | null = null): number {
  const w = [p.wWords, p.wEntities, p.wNumbers];
  const pk = dense ? (s.packedCentroid ??= packed(s.centroid)) : null;
  let sim = 0;
  let weight = 0;
  let entityCos = -1;
  for (let c = 0; c < CHANNELS; c++) {
    if (vec[c]!.size === 0) continue;
    const cn = s.norms[c]!;
    weight += w[c]!;
    let d = 0;
    if (cn > 0) {
      if (pk) for (let i = c === 0 ? 0 : pk.ends[c - 1]!, to = pk.ends[c]!; i < to; i++) d += dense![pk.ids[i]!]! * pk.ws[i]!;
      else d = dot(vec[c]!, s.centroid[c]!);
    }
    const cos = cn > 0 ? d / cn : 0;
    if (c === 1 && cn > 0) entityCos = cos;
    sim += w[c]! * cos;
  }
  return gated(p, sim, weight, entityCos, day, s.firstDay, s.lastDay);
}

/**
 * The end of every article-to-story similarity: the weighted channel cosines `sim` summed
 * over the channels the article has (`weight`), the entity gate and the time decay.
 */
function gated(p: ClusterParams, sim: number, weight: number, entityCos: number, day: number, firstDay: number, lastDay: number): number {
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
export function similarityWithout(p: ClusterParams, m: Member, sum: readonly Vec[], sumNorms: readonly number[], s: Story): number {
  const w = [p.wWords, p.wEntities, p.wNumbers];
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
      const left = y - m.weight * x > 1e-9 ? y - m.weight * x : 0;
      d += x * left;
      sq -= y * y - left * left;
    }
    const n = sq > 1e-12 ? Math.sqrt(sq) : 0;
    const cos = n > 0 ? d / n : 0;
    if (c === 1 && n > 0) entityCos = cos;
    sim += w[c]! * cos;
  }
  return gated(p, sim, weight, entityCos, m.day, s.firstDay, s.lastDay);
}

/**
 * The similarity of the article (its weights spread in `dense`) to the nearest of a
 * story's members: the same weighted channel cosines as for a centroid, with the time
 * decay between the article and that member. Members are packed in typed arrays and the
 * article is a dense array over feature ids, so this is a tight loop with no map lookups.
 */
export function nearestMember(p: ClusterParams, members: readonly Member[], vec: [Vec, Vec, Vec], day: number, dense: Float64Array): number {
  const w = [p.wWords, p.wEntities, p.wNumbers];
  let best = 0;
  for (const m of members) {
    // a round-up (see roundUpPlaces) names several events: it does not vouch for any
    if (m.weight < 1) continue;
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

/** Weighted cosine of two stories' centroids (see vectorsSimilarity). */
export function centroidSimilarity(p: ClusterParams, a: Story, b: Story): number {
  return vectorsSimilarity(p, a.centroid, a.norms, b.centroid, b.norms);
}

/**
 * Weighted cosine of two sets of channel sums, over the channels both have: as for an
 * article, a channel missing on one side does not count against the match (stories with
 * no names, or in a script without capitals, must be able to merge and not be split).
 */
export function vectorsSimilarity(p: ClusterParams, a: readonly Vec[], na: readonly number[], b: readonly Vec[], nb: readonly number[]): number {
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

import { pairFeatures, type ScoreModel, scoreFeatures } from './score.js';
import type { Edge, ResolvedAlignOptions, Sentences } from './types.js';

/**
 * The second step of sentence alignment: each candidate pair gets the pair score (the same
 * as `parallax similarity`). A pair at or above the model's `same` threshold is a
 * paraphrase; a weaker pair where one sentence is mostly contained in the other is partial.
 * A pair next to a paraphrase pair in both articles (i-1, j-1 or i+1, j+1) gets a small
 * bonus: articles tend to tell a story in the same order, so a borderline pair in step with
 * its neighbours is likelier right.
 */

/** The scored pairs, and the scored pair of two sentences (either order) when there is one. */
export interface ScoredPairs {
  readonly edges: readonly Edge[];
  readonly edgeOf: (a: number, b: number) => Edge | undefined;
}

/** Scores the candidate pairs `pairKeys` (sorted keys a * total + b); keeps those a bonus could lift to partial. */
export function scorePairs({ total, vecs }: Sentences, pairKeys: Float64Array, o: ResolvedAlignOptions, model: ScoreModel): ScoredPairs {
  const nu = pairKeys.length;
  const edges: Edge[] = [];
  const edgeAt: (Edge | undefined)[] = new Array<Edge | undefined>(nu);
  for (let i = 0; i < nu; i++) {
    const key = pairKeys[i]!;
    const a = Math.floor(key / total);
    const b = key - a * total;
    const f = pairFeatures(vecs[a]!, vecs[b]!);
    const score = scoreFeatures(f, model);
    if (score >= o.partialThreshold - o.monotoneBonus) {
      const e: Edge = { g: a, h: b, score, f, paraphrase: score >= model.sameThreshold };
      edges.push(e);
      edgeAt[i] = e;
    }
  }
  const findKey = (key: number): number => {
    let lo = 0;
    let hi = nu - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = pairKeys[mid]!;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const edgeOf = (a: number, b: number): Edge | undefined => {
    const i = findKey(Math.min(a, b) * total + Math.max(a, b));
    return i < 0 ? undefined : edgeAt[i];
  };
  return { edges, edgeOf };
}

/**
 * The pairs accepted, with the monotone bonus applied, best first (ties by ids): paraphrases,
 * and partial pairs where one side is mostly contained in the other.
 */
export function acceptPairs({ total, docOf }: Sentences, { edges, edgeOf }: ScoredPairs, o: ResolvedAlignOptions, model: ScoreModel): Edge[] {
  // monotone bonus: a neighbour pair in step is a paraphrase
  const neighbourIsParaphrase = (a: number, b: number, step: number): boolean => {
    const a2 = a + step;
    const b2 = b + step;
    if (a2 < 0 || b2 < 0 || a2 >= total || b2 >= total || docOf[a2] !== docOf[a] || docOf[b2] !== docOf[b]) return false;
    return edgeOf(a2, b2)?.paraphrase ?? false;
  };
  const accepted: Edge[] = [];
  for (const e of edges) {
    let score = e.score;
    if (!e.paraphrase && (neighbourIsParaphrase(e.g, e.h, -1) || neighbourIsParaphrase(e.g, e.h, 1))) score = Math.min(1, score + o.monotoneBonus);
    const paraphrase = score >= model.sameThreshold;
    const contained = Math.max(e.f.coverA, e.f.coverB) >= o.partialCover;
    if (paraphrase || (score >= o.partialThreshold && contained)) accepted.push({ ...e, score, paraphrase });
  }
  accepted.sort((x, y) => y.score - x.score || x.g - y.g || x.h - y.h);
  return accepted;
}

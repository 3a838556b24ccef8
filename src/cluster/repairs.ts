import type { StoryId } from '../domain/ids.js';
import type { Stories } from './lifecycle.js';
import type { ClusterParams } from './params.js';
import { centroidSimilarity, similarityWithout, storySimilarity } from './similarity.js';
import { type Member, type Moved, settle, type Story, sumOfMembers } from './story.js';
import { CHANNELS, norm } from './vectors.js';

/**
 * The repairs of online clustering that act when an article arrives, besides split repair
 * (split.ts): merging the two stories an article bridges, late joining of small stories, and
 * reassignment of single members between neighbouring stories.
 */

/**
 * Merge repair: an article joined `story` and also reached `other` (the runner-up, at or
 * above the join threshold); when the two stories are themselves this close, `other` is
 * merged into `story`. Returns whether it was.
 */
export function mergeBridged(p: ClusterParams, stories: Stories, story: Story, other: Story): boolean {
  if (stories.locked.has(other.index) || centroidSimilarity(p, story, other) < p.mergeThreshold) return false;
  stories.absorb(story, other);
  return true;
}

/**
 * Late joining: the first reports of an event are often short or from another angle, and
 * they start stories of their own before the event's main story has a centroid that
 * covers them (in a shuffled stream this is where most fragments come from). When a story
 * grows, small stories (at most adoptMax articles, and less than half its size) that
 * share its indexed features are compared with it again, each by its best member, and
 * absorbed when that reaches adoptThreshold. Members keep their vectors from arrival, so
 * the comparison uses the IDF of their time, as their own join did. Returns the ids of the
 * stories absorbed.
 */
export function adopt(p: ClusterParams, stories: Stories, story: Story): StoryId[] {
  const cands = stories.index.storiesUnder(story.indexed);
  const out: StoryId[] = [];
  for (const idx of [...cands].sort((a, b) => a - b)) {
    const t = stories.get(idx);
    if (!t || idx === story.index || t.size > p.adoptMax || story.size <= 2 * t.size || stories.locked.has(idx)) continue;
    // stories without members (read from a format-1 state) are left as they are
    if (!t.members || t.members.length !== t.size) continue;
    let best = 0;
    for (const m of t.members) best = Math.max(best, storySimilarity(p, m.vec, story, m.day));
    if (best >= p.adoptThreshold) {
      stories.absorb(story, t);
      out.push(t.id);
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
export function reassign(p: ClusterParams, stories: Stories, a: Story, b: Story): Moved[] {
  const full = (s: Story): boolean => s.members !== null && s.members.length === s.size;
  if (!full(a) || !full(b) || stories.locked.has(a.index) || stories.locked.has(b.index)) return [];
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
      const there = storySimilarity(p, m.vec, dst, m.day);
      if (there >= p.threshold) near.push([m, there]);
    }
    if (near.length === 0) continue;
    // the story as its members make it up (rounded, trimmed vectors), as split repair
    // rebuilds its halves: a member's leave-one-out similarity is measured against it, and
    // the story is rebuilt to it less the members that leave (subtracting a member's trimmed
    // copy from the centroid built from full vectors would leave the rest of it behind)
    const sum = sumOfMembers(src.members!);
    const sumNorms = sum.map(norm);
    const moving: Member[] = [];
    for (const [m, there] of near) {
      if (src.size - moving.length <= 1) break;
      if (there > similarityWithout(p, m, sum, sumNorms, src) + p.moveMargin) moving.push(m);
    }
    if (moving.length === 0) continue;
    for (const m of moving) {
      moved.add(m);
      for (let c = 0; c < CHANNELS; c++) {
        const from = sum[c]!;
        const to = dst.centroid[c]!;
        for (const [k, x] of m.vec[c]!) {
          const left = (from.get(k) ?? 0) - m.weight * x;
          if (left > 1e-9) from.set(k, left);
          else from.delete(k);
          to.set(k, (to.get(k) ?? 0) + m.weight * x);
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
    settle(src, p.centroidSize, sum);
    settle(dst, p.centroidSize);
    out.push({ story: dst.id, from: src.id, arrivals: moving.map((m) => m.arrival), ids: moving.map((m) => m.id) });
  }
  return out;
}

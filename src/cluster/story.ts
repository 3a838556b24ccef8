import type { StoryId } from '../domain/ids.js';
import { detached } from '../util/detach.js';
import { CHANNELS, norm, type Packed, packed, prune, pruned, rounded, type Vec } from './vectors.js';

/**
 * A story of online clustering and the operations on one story: folding an article in,
 * re-settling it after its members changed. What stories exist, and how they start, merge
 * and retire, is lifecycle.ts.
 */

/** A live story: active and not merged away. Retired and merged stories are dropped. */
export interface Story {
  /**
   * the story's creation order, internal to the clusterer: ties between candidates go to the
   * older story, the index posts stories by it, and the boilerplate table names stories by it
   */
  readonly index: number;
  /**
   * the story's identity, everywhere outside the clusterer too (see storyIdOf); changes only
   * when an analyst merges the story into one the clusterer no longer holds (analyst.ts)
   */
  id: StoryId;
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

export interface Member {
  readonly arrival: number;
  readonly id: string;
  readonly label: string;
  /** days since epoch, or NaN */
  readonly day: number;
  readonly vec: [Vec, Vec, Vec];
  /** the same vector in typed arrays (channels one after another), for nearestMember */
  readonly packed: Packed;
  /**
   * the member's share in its story's centroid: 1, or roundUpWeight for a round-up (known
   * from its vector, so set again on load); a member under 1 does not vouch for articles
   */
  weight: number;
}

/** Articles moved from story `from` to story `story` (split repair or reassignment). */
export interface Moved {
  readonly story: StoryId;
  readonly from: StoryId;
  readonly arrivals: readonly number[];
  readonly ids: readonly string[];
}

/**
 * Split repair keeps members' vectors, which costs memory and saved-state size per article,
 * not per story, so they are bounded three ways: a story of MAX_MEMBERS articles is
 * established and is not split any more; a story that has not grown for MEMBER_WINDOW
 * arrivals drops them (a split is checked only when a story grows); and each member keeps its
 * MEMBER_FEATURES strongest features per channel, in memory and saved alike, so a save and
 * load changes nothing (48 cost 0.004 of dev B-cubed F1 against whole vectors; 32 cost 0.006).
 */
export const MAX_MEMBERS = 64;
export const MEMBER_WINDOW = 2_000;
export const MEMBER_FEATURES = 48;

/** The first 140 characters, detached from the article text (see detached). */
export function copyLabel(label: string): string {
  return detached(label.slice(0, 140));
}

/** Sizes at which a story is checked for a split: 6, 8, 12, 16, 24, 32, ... (amortised). */
export function isCheckpoint(size: number): boolean {
  if (size < 6) return false;
  let x = size;
  while (x > 8 && x % 2 === 0) x /= 2;
  return x === 6 || x === 8;
}

/** A new, empty story (see Stories.start, which also makes it live). */
export function emptyStory(index: number, id: StoryId, label: string, day: number, arrival: number, members: Member[] | null): Story {
  return {
    index,
    id,
    size: 0,
    label,
    centroid: [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()],
    norms: [0, 0, 0],
    firstDay: day,
    lastDay: day,
    lastArrival: arrival,
    indexed: [],
    packedCentroid: null,
    members,
  };
}

/** A member as kept: its strongest features, rounded as in the saved state. */
export function newMember(arrival: number, id: string, label: string, day: number, vec: [Vec, Vec, Vec], weight = 1): Member {
  const mv = rounded(pruned(vec, MEMBER_FEATURES));
  return { arrival, id, label, day, vec: mv, packed: packed(mv), weight };
}

/**
 * Folds an article (its vectors `vec`, its day) into `story`, which keeps at most
 * `centroidSize` features per channel; `weight` is its share (see Member.weight).
 */
export function foldArticle(story: Story, vec: [Vec, Vec, Vec], centroidSize: number, member: () => Member, arrival: number, day: number, weight = 1): void {
  for (let c = 0; c < CHANNELS; c++) {
    const cen = story.centroid[c]!;
    for (const [k, x] of vec[c]!) cen.set(k, (cen.get(k) ?? 0) + weight * x);
    prune(cen, centroidSize);
    story.norms[c] = norm(cen);
  }
  story.packedCentroid = null;
  story.size++;
  if (story.members) {
    // a story this big is established; stop keeping members (memory stays bounded)
    if (story.members.length >= MAX_MEMBERS) story.members = null;
    else story.members.push(member());
  }
  story.lastArrival = arrival;
  if (!Number.isNaN(day)) {
    story.firstDay = Number.isNaN(story.firstDay) ? day : Math.min(story.firstDay, day);
    story.lastDay = Number.isNaN(story.lastDay) ? day : Math.max(story.lastDay, day);
  }
}

/** Adds `other`'s centroid, size, members and days to `story` (the merge itself is Stories.absorb). */
export function addStory(story: Story, other: Story, centroidSize: number): void {
  for (let c = 0; c < CHANNELS; c++) {
    const cen = story.centroid[c]!;
    for (const [k, x] of other.centroid[c]!) cen.set(k, (cen.get(k) ?? 0) + x);
    prune(cen, centroidSize);
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
}

/** The sum of members' vectors, each by its weight, per channel. */
export function sumOfMembers(members: readonly Member[]): [Vec, Vec, Vec] {
  const out: [Vec, Vec, Vec] = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  for (const m of members) for (let c = 0; c < CHANNELS; c++) for (const [k, x] of m.vec[c]!) out[c]!.set(k, (out[c]!.get(k) ?? 0) + m.weight * x);
  return out;
}

/**
 * After a split or a move changed a story's members: its centroid (replaced by `centroid`
 * when given) pruned and re-normed, and its dates taken from its members.
 */
export function settle(st: Story, centroidSize: number, centroid?: readonly Vec[]): void {
  for (let c = 0; c < CHANNELS; c++) {
    if (centroid) {
      st.centroid[c]!.clear();
      for (const [k, x] of centroid[c]!) st.centroid[c]!.set(k, x);
    }
    prune(st.centroid[c]!, centroidSize);
    st.norms[c] = norm(st.centroid[c]!);
  }
  st.packedCentroid = null;
  const days = st.members!.map((m) => m.day).filter((d) => !Number.isNaN(d));
  st.firstDay = days.length ? Math.min(...days) : Number.NaN;
  st.lastDay = days.length ? Math.max(...days) : Number.NaN;
}

/** A story's centroid pruned and re-normed, its days from its members when it holds them. */
export function refresh(st: Story, centroidSize: number): void {
  for (let c = 0; c < CHANNELS; c++) {
    prune(st.centroid[c]!, centroidSize);
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

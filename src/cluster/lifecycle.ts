import type { StoryId } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { ClusterParams } from './params.js';
import { StoryIndex } from './postings.js';
import type { ClusterState, SavedMember, SavedStory } from './state.js';
import { addStory, emptyStory, MEMBER_WINDOW, type Member, type Story } from './story.js';
import { norm, packed, packVec, unpackVec, type Vec } from './vectors.js';

/**
 * The stories of online clustering and their lifecycle: a story starts, grows, may absorb
 * others and retires when it goes quiet. Only live stories (active, not merged away) are
 * held, so memory and the saved state follow the active set, not the length of the stream;
 * what became of a story merged away is for the caller to follow (the assignments say it,
 * see StoryTracker). Each live story is in the index (postings.ts) under its strongest
 * features.
 */
export class Stories {
  /** live stories by index; retired and merged ones are dropped */
  private readonly live = new Map<number, Story>();
  /** the index the next story will have */
  get nextIndex(): number {
    return this.created;
  }

  /** live stories by id */
  private readonly byId = new Map<StoryId, Story>();
  /** stories created so far: the next story's index */
  private created = 0;
  /** indexes of stories still active (retirement sweeps only these) */
  private activeList: number[] = [];
  /**
   * stories an analyst corrected (merged, split, moved into or out of): repairs do not split
   * them, move their members, merge them away or absorb them, so a later arrival never undoes
   * a correction; they still grow
   */
  readonly locked = new Set<number>();
  readonly index = new StoryIndex();

  constructor(private readonly params: ClusterParams) {}

  get(index: number): Story | undefined {
    return this.live.get(index);
  }

  /** the live story with id `id` */
  find(id: StoryId): Story | undefined {
    return this.byId.get(id);
  }

  /** all live stories, in no particular order */
  all(): IterableIterator<Story> {
    return this.live.values();
  }

  /**
   * A new, empty, active story `id` at the end of the list. Ids come from the stories' origins
   * (storyIdOf), so two live stories of one id mean an article was added twice.
   */
  start(id: StoryId, label: string, day: number, arrival: number, members: Member[] | null): Story {
    if (this.byId.has(id)) throw createError('INVALID_FIELD', `cluster: story ${id} exists already (an article id given twice in one stream?)`, { subject: 'id' });
    const story = emptyStory(this.created++, id, label, day, arrival, members);
    this.live.set(story.index, story);
    this.byId.set(id, story);
    this.activeList.push(story.index);
    return story;
  }

  /** Merges `other` into `story`. */
  absorb(story: Story, other: Story): void {
    addStory(story, other, this.params.centroidSize);
    // a merged story is never a candidate again: like a retired one it is dropped (and so
    // not re-posted)
    this.drop(other);
  }

  /** Takes a story out: it is never a candidate again. */
  drop(s: Story): void {
    this.live.delete(s.index);
    if (this.byId.get(s.id) === s) this.byId.delete(s.id);
    this.index.remove(s);
  }

  /** Gives live story `s` the id `id`, which no live story has (an analyst's merge, analyst.ts). */
  rename(s: Story, id: StoryId): void {
    if (this.byId.has(id)) throw createError('INVALID_FIELD', `cluster: story ${id} exists already`, { subject: 'id' });
    this.byId.delete(s.id);
    s.id = id;
    this.byId.set(id, s);
  }

  /** Re-posts a live story in the index under its centroid's strongest features. */
  reindex(s: Story): void {
    this.index.remove(s);
    // a dropped story (retired or merged) is only taken out of the postings
    if (this.live.get(s.index) !== s) return;
    this.index.post(s, this.index.topFeatures(s.centroid, this.params.queryFeatures * 2));
  }

  /**
   * Retires the stories gone quiet at arrival `arrivals` (`day`: the stream's clock, NaN when
   * undated), and drops the members of those that stopped growing.
   */
  retire(day: number, arrivals: number): void {
    const p = this.params;
    const still: number[] = [];
    for (const i of this.activeList) {
      const s = this.live.get(i);
      if (!s) continue;
      // dated stories also leave once the stream's clock is far past them; the clock is the
      // latest date seen minus a margin, so articles arriving out of order do not retire stories
      const quietDays = !Number.isNaN(day) && !Number.isNaN(s.lastDay) ? day - s.lastDay : 0;
      if ((quietDays > p.activeDays && arrivals - s.lastArrival > 1000) || arrivals - s.lastArrival > p.activeArrivals) {
        // a retired story is never a candidate again: it is dropped, so memory and the saved
        // state follow the active set, not the length of the stream
        this.drop(s);
        continue;
      }
      if (s.members && arrivals - s.lastArrival > MEMBER_WINDOW) s.members = null;
      still.push(i);
    }
    this.activeList = still;
  }

  /** Feature ids some live story holds (in its centroid, lookup features or members), as 1s. */
  heldFeatures(size: number): Uint8Array {
    const held = new Uint8Array(size);
    for (const s of this.live.values()) {
      for (const v of s.centroid) for (const k of v.keys()) held[k] = 1;
      for (const k of s.indexed) held[k] = 1;
      if (s.members) for (const m of s.members) for (const v of m.vec) for (const k of v.keys()) held[k] = 1;
    }
    return held;
  }

  activeCount(): number {
    return this.activeList.length;
  }

  /** indexes of the live stories (active, not merged), ascending */
  liveIndexes(): number[] {
    return [...this.live.keys()].sort((a, b) => a - b);
  }

  /** The stories' part of the saved state. */
  save(): Pick<ClusterState, 'created' | 'stories'> {
    const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
    return {
      created: this.created,
      stories: this.liveIndexes().map((index): SavedStory => {
        const st = this.live.get(index)!;
        return {
          index,
          id: st.id,
          ...(this.locked.has(index) ? { locked: true } : {}),
          size: st.size,
          label: st.label,
          centroid: st.centroid.map(packVec) as SavedStory['centroid'],
          firstDay: num(st.firstDay),
          lastDay: num(st.lastDay),
          lastArrival: st.lastArrival,
          indexed: st.indexed,
          members: st.members ? st.members.map((m) => [m.arrival, m.id, m.label, num(m.day), ...m.vec.map(packVec)] as SavedMember) : null,
        };
      }),
    };
  }

  static load(params: ClusterParams, state: ClusterState): Stories {
    const s = new Stories(params);
    s.created = state.created;
    const restored: [Story, number[] | undefined][] = [];
    for (const st of state.stories) {
      const centroid = st.centroid.map(unpackVec) as [Vec, Vec, Vec];
      const story: Story = {
        index: st.index,
        id: st.id as StoryId,
        size: st.size,
        label: st.label,
        centroid,
        norms: [norm(centroid[0]), norm(centroid[1]), norm(centroid[2])],
        firstDay: st.firstDay ?? Number.NaN,
        lastDay: st.lastDay ?? Number.NaN,
        lastArrival: st.lastArrival,
        indexed: [],
        packedCentroid: null,
        members: st.members
          ? st.members.map(([arrival, id, label, day, ...packedVec]) => {
              const vec = packedVec.map(unpackVec) as [Vec, Vec, Vec];
              // the weight is set by the clusterer, which knows the places (see roundUpPlaces)
              return { arrival, id, label, day: day ?? Number.NaN, vec, packed: packed(vec), weight: 1 };
            })
          : null,
      };
      s.live.set(story.index, story);
      s.byId.set(story.id, story);
      if (st.locked) s.locked.add(story.index);
      restored.push([story, st.indexed]);
    }
    // the lookup features exactly as they were when saved (recomputed for states saved
    // before they were kept)
    for (const [st, indexed] of restored) {
      if (indexed) s.index.post(st, [...indexed]);
      else s.reindex(st);
    }
    s.activeList = s.liveIndexes();
    return s;
  }
}

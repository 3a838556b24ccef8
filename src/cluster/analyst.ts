import type { Stories } from './lifecycle.js';
import type { ClusterParams } from './params.js';
import { copyLabel, type Member, refresh } from './story.js';
import { CHANNELS } from './vectors.js';

/**
 * Analysts' corrections of online clustering: moving articles to another story, merging two
 * stories. The stories they touch are locked (see Stories.locked), so that no later repair
 * undoes them.
 */

/**
 * An analyst's correction: the articles `ids` leave the live stories that hold them and go to
 * story `to` (a live story) or, with null, to a new story labelled `label`. Their vectors
 * move with them, so later articles like them follow them there. Articles the clusterer no
 * longer holds (retired stories, or stories past MAX_MEMBERS) are left out. The stories
 * touched are locked (see locked). Returns the story they went to.
 */
export function correctMove(p: ClusterParams, stories: Stories, arrivals: number, ids: readonly string[], to: number | null, label: string): number {
  const want = new Set(ids);
  let dst = to === null ? undefined : stories.get(stories.resolve(to));
  dst ??= stories.start(copyLabel(label), Number.NaN, arrivals, []);
  const moving: Member[] = [];
  for (const src of [...stories.all()]) {
    if (src === dst || !src.members) continue;
    const leave = src.members.filter((m) => want.has(m.id));
    if (leave.length === 0) continue;
    src.members = src.members.filter((m) => !want.has(m.id));
    src.size -= leave.length;
    for (const m of leave) {
      for (let c = 0; c < CHANNELS; c++) {
        const cen = src.centroid[c]!;
        for (const [k, x] of m.vec[c]!) {
          const left = (cen.get(k) ?? 0) - x;
          if (left > 1e-9) cen.set(k, left);
          else cen.delete(k);
        }
      }
    }
    stories.locked.add(src.index);
    if (src.size <= 0) {
      stories.drop(src);
    } else {
      if (!src.members.some((m) => m.label === src.label) && src.members.length > 0) src.label = src.members[0]!.label;
      refresh(src, p.centroidSize);
      stories.reindex(src);
    }
    moving.push(...leave);
  }
  for (const m of moving) for (let c = 0; c < CHANNELS; c++) for (const [k, x] of m.vec[c]!) dst.centroid[c]!.set(k, (dst.centroid[c]!.get(k) ?? 0) + x);
  dst.size += moving.length;
  if (dst.members) dst.members = dst.members.concat(moving).sort((x, y) => x.arrival - y.arrival);
  if (moving.length > 0) dst.lastArrival = Math.max(dst.lastArrival, ...moving.map((m) => m.arrival));
  refresh(dst, p.centroidSize);
  stories.locked.add(dst.index);
  stories.reindex(dst);
  return dst.index;
}

/** An analyst's merge of live story `from` into live story `into` (both locked from then on). */
export function correctMerge(stories: Stories, from: number, into: number): void {
  const a = stories.get(stories.resolve(into));
  const b = stories.get(stories.resolve(from));
  if (!a || !b || a === b) return;
  stories.absorb(a, b);
  stories.locked.add(a.index);
  stories.reindex(a);
}

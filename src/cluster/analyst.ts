import type { StoryId } from '../domain/ids.js';
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
 * story `to`: a live story, or else a new story of that id labelled `label` (a story the
 * correction makes, or one the clusterer no longer holds, which the articles then carry on
 * as). Their vectors move with them, so later articles like them follow them there. Articles
 * the clusterer no longer holds (retired stories, or stories past MAX_MEMBERS) are left out.
 * The stories touched are locked (see locked).
 */
export function correctMove(p: ClusterParams, stories: Stories, arrivals: number, ids: readonly string[], to: StoryId, label: string): void {
  const want = new Set(ids);
  const dst = stories.find(to) ?? stories.start(to, copyLabel(label), Number.NaN, arrivals, []);
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
          const left = (cen.get(k) ?? 0) - m.weight * x;
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
  for (const m of moving) for (let c = 0; c < CHANNELS; c++) for (const [k, x] of m.vec[c]!) dst.centroid[c]!.set(k, (dst.centroid[c]!.get(k) ?? 0) + m.weight * x);
  dst.size += moving.length;
  if (dst.members) dst.members = dst.members.concat(moving).sort((x, y) => x.arrival - y.arrival);
  if (moving.length > 0) dst.lastArrival = Math.max(dst.lastArrival, ...moving.map((m) => m.arrival));
  refresh(dst, p.centroidSize);
  stories.locked.add(dst.index);
  stories.reindex(dst);
}

/**
 * An analyst's merge of story `from` into story `into`, locked from then on. When the
 * clusterer no longer holds `into` (it retired), a live `from` carries on as `into`, so that
 * its later articles join the story it was merged into.
 */
export function correctMerge(stories: Stories, from: StoryId, into: StoryId): void {
  const a = stories.find(into);
  const b = stories.find(from);
  if (a && b && a !== b) {
    stories.absorb(a, b);
    stories.reindex(a);
  } else if (b && !a) stories.rename(b, into);
  const kept = a ?? b;
  if (kept) stories.locked.add(kept.index);
}

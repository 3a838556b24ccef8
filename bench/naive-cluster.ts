/**
 * The naive reference for stream clustering: online TF-IDF over lower-cased content words, one
 * centroid per story, an article joins the most similar story seen within `windowDays` days when
 * the cosine reaches `threshold`, else starts one. IDF is learnt from the stream as it arrives.
 * No names, numbers, repair or decay: what a story engine must beat on a real stream.
 */
import { isStopword } from '../src/text/tokens.js';

export interface NaiveInput {
  readonly id: string;
  readonly title?: string | null;
  readonly text: string;
  readonly published?: string | null;
}

export function naiveCluster(items: readonly NaiveInput[], threshold = 0.3, windowDays = 14): number[] {
  const df = new Map<string, number>();
  let docs = 0;
  const stories: { centroid: Map<string, number>; lastDay: number }[] = [];
  const out: number[] = [];
  for (const it of items) {
    const day = it.published ? Date.parse(it.published) / 86_400_000 : Number.NaN;
    const tf = new Map<string, number>();
    for (const w of `${it.title ?? ''}\n${it.text}`.toLowerCase().match(/\p{L}[\p{L}\p{N}']*/gu) ?? []) {
      if (w.length < 3 || isStopword(w)) continue;
      tf.set(w, (tf.get(w) ?? 0) + 1);
    }
    const v = new Map<string, number>();
    let sq = 0;
    for (const [w, c] of tf) {
      const x = (1 + Math.log(c)) * Math.log((docs + 2) / ((df.get(w) ?? 0) + 1));
      v.set(w, x);
      sq += x * x;
    }
    const l = Math.sqrt(sq) || 1;
    for (const [w, x] of v) v.set(w, x / l);
    let best = -1;
    let bestSim = 0;
    stories.forEach((s, i) => {
      if (!Number.isNaN(day) && day - s.lastDay > windowDays) return;
      let d = 0;
      let n = 0;
      for (const x of s.centroid.values()) n += x * x;
      for (const [w, x] of v) d += x * (s.centroid.get(w) ?? 0);
      const sim = n > 0 ? d / Math.sqrt(n) : 0;
      if (sim > bestSim) [best, bestSim] = [i, sim];
    });
    if (best < 0 || bestSim < threshold) {
      best = stories.length;
      stories.push({ centroid: new Map(), lastDay: day });
    }
    const s = stories[best]!;
    for (const [w, x] of v) s.centroid.set(w, (s.centroid.get(w) ?? 0) + x);
    if (!Number.isNaN(day)) s.lastDay = Number.isNaN(s.lastDay) ? day : Math.max(s.lastDay, day);
    for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    docs++;
    out.push(best);
  }
  return out;
}

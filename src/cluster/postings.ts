import type { Story } from './story.js';
import { CHANNELS, strongest, type Vec } from './vectors.js';

/**
 * The inverted index of online clustering: feature id -> the live stories whose centroid
 * carries it strongly, so an arriving article is compared with the stories that share its
 * strongest features, not with all stories.
 */
export class StoryIndex {
  /** feature id -> live story indexes whose centroid carries it strongly */
  private readonly postings = new Map<number, number[]>();
  /** scratch for topFeatures */
  private topIds = new Int32Array(1024);
  private topScores = new Float64Array(1024);
  private topSelect = new Float64Array(1024);

  /**
   * The ids of the k strongest features over the three channels (entities count 1.5 times: a
   * name is the most specific thing to look a story up by); ties go to the smaller id. Callers
   * use the result as a set. Linear-time selection, no sort: this runs for every arrival.
   */
  topFeatures(vec: [Vec, Vec, Vec], k: number): number[] {
    const n = vec[0].size + vec[1].size + vec[2].size;
    if (this.topIds.length < n) {
      this.topIds = new Int32Array(n * 2);
      this.topScores = new Float64Array(n * 2);
      this.topSelect = new Float64Array(n * 2);
    }
    const ids = this.topIds;
    const scores = this.topScores;
    let i = 0;
    for (let c = 0; c < CHANNELS; c++) {
      const boost = c === 1 ? 1.5 : 1;
      for (const [id, x] of vec[c]!) {
        ids[i] = id;
        scores[i++] = x * boost;
      }
    }
    return strongest(ids, scores, n, k, this.topSelect);
  }

  /** Stories posted under any of `features`. */
  storiesUnder(features: Iterable<number>): Set<number> {
    const out = new Set<number>();
    for (const f of features) for (const s of this.postings.get(f) ?? []) out.add(s);
    return out;
  }

  /** Takes story `s` out of the index. */
  remove(s: Story): void {
    for (const f of s.indexed) {
      const list = this.postings.get(f);
      if (list) {
        const i = list.indexOf(s.index);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.postings.delete(f);
      }
    }
    s.indexed = [];
  }

  /** Makes `feats` the features story `s` is looked up by (its old postings already removed). */
  post(s: Story, feats: number[]): void {
    for (const f of feats) {
      let list = this.postings.get(f);
      if (!list) this.postings.set(f, (list = []));
      list.push(s.index);
    }
    s.indexed = feats;
  }
}

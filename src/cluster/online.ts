import { correctMerge, correctMove } from './analyst.js';
import { OutletLines, outletFeatures } from './boilerplate.js';
import type { ClusterInput, Features } from './features.js';
import { Stories } from './lifecycle.js';
import { nameLink } from './names.js';
import { clusterParams, type ClusterParams } from './params.js';
import { adopt, mergeBridged, reassign } from './repairs.js';
import { candidateSimilarity, storySimilarity } from './similarity.js';
import { agesConflict, agesOf } from './specifics.js';
import { trySplit } from './split.js';
import { CLUSTER_FORMAT_VERSION, type ClusterState, parseClusterState } from './state.js';
import { copyLabel, foldArticle, isCheckpoint, type Moved, newMember, type Story } from './story.js';
import type { Vec } from './vectors.js';
import { Vocabulary } from './vocabulary.js';

export { DEFAULT_CLUSTER_PARAMS, type ClusterParams } from './params.js';
export { CLUSTER_FORMAT_VERSION, type ClusterState } from './state.js';
export type { Moved } from './story.js';
export { prune, strongest } from './vectors.js';

/**
 * Online event clustering. Each article, in arrival order, is compared with the active
 * stories that share its strongest features (an inverted index, not all stories) and
 * joins the most similar one above a threshold, or starts a story. Similarity is a
 * weighted sum of cosines over three TF-IDF channels (content-word stems, named
 * entities, numbers), multiplied by a time decay when both sides are dated. IDF is learnt
 * from the stream itself as it arrives (no look-ahead, no shipped model). When an article
 * is close to two stories that are close to each other, they are merged; a story whose
 * members fall into two groups is split (repair, both ways), and a member closer to the
 * neighbouring story than to its own moves there (reassignment). A story's similarity is the
 * larger of its centroid's and its nearest member's.
 * Deterministic: no randomness, ties broken by story creation order.
 *
 * This class coordinates; the parts are: params.ts (parameters), vectors.ts (sparse vectors
 * and selection), vocabulary.ts (terms, IDF, forgetting), postings.ts (the inverted index),
 * story.ts and lifecycle.ts (stories: start, grow, merge, retire), similarity.ts, repairs.ts
 * and split.ts (the repairs), analyst.ts (corrections), boilerplate.ts (the lines each outlet
 * repeats, left out of the features), state.ts (the saved state's codec).
 */

export interface Assignment {
  readonly id: string;
  /** story index at the time of arrival */
  readonly story: number;
  readonly similarity: number;
  readonly created: boolean;
  /** stories merged into this one by this arrival */
  readonly merged: readonly number[];
  /** stories split off by this arrival: the new story and the arrivals (1-based) and ids moved to it */
  readonly splits: readonly Moved[];
  /**
   * members reassigned by this arrival (after any split): from one existing story to another,
   * the arrivals (1-based) and ids moved
   */
  readonly moves: readonly Moved[];
}

/** The stories an arriving article reaches: the best and the runner-up, with their similarities. */
interface Match {
  best: number;
  bestSim: number;
  second: number;
  secondSim: number;
  /** the rare names shared with the best story when it was reached by a name link, else null */
  linked: number[] | null;
}

export class OnlineClusterer {
  readonly params: ClusterParams;
  private vocab = new Vocabulary();
  private stories: Stories;
  private arrivals = 0;
  private latestDay = Number.NEGATIVE_INFINITY;
  /** the outlets' boilerplate lines (see boilerplateArticles); null when disabled */
  private lines: OutletLines | null;

  constructor(params: Partial<ClusterParams> = {}) {
    this.params = clusterParams(params);
    this.stories = new Stories(this.params);
    this.lines = this.params.boilerplateArticles > 0 ? new OutletLines(this.params.boilerplateArticles) : null;
  }

  /**
   * Assigns the next article. `features`, when given, must be extractFeatures(input), computed
   * ahead (e.g. in a worker thread); without them they are extracted here. Either way the
   * lines its outlet is known to repeat are left out (see boilerplate.ts).
   */
  add(input: ClusterInput, label?: string, features?: Features): Assignment {
    const f = outletFeatures(this.lines, input, features);
    const vec = this.vocab.vectors(f, this.params, this.arrivals);
    this.arrivals++;
    this.sweep(f.day);
    const match = this.match(vec, f.day);
    const articleLabel = (): string => copyLabel(label ?? (input.title || input.text.split('\n', 1)[0] || input.id));
    const joined = this.join(match, vec, f.day, input.id, articleLabel);
    const { story, merged, splits, moves } = this.repair(joined.story, joined.created, match);
    this.reindexChanged(story, joined.created, merged, [...splits, ...moves]);
    // document frequencies learnt after use: an article never sees its own counts
    this.vocab.learn(vec);
    // and so are its outlet's lines, with the story it joined
    this.lines?.learn(input, this.arrivals, story.index);
    return { id: input.id, story: story.index, similarity: joined.created ? 0 : match.bestSim, created: joined.created, merged, splits, moves };
  }

  /** The amortised sweeps of an arrival: retirement and forgetting. */
  private sweep(day: number): void {
    const p = this.params;
    // retirement sweeps are amortised: every 256 arrivals
    if (!Number.isNaN(day) && day > this.latestDay) this.latestDay = day;
    if ((this.arrivals & 255) === 0) this.stories.retire(Number.isFinite(this.latestDay) ? this.latestDay : Number.NaN, this.arrivals);
    // vocabulary sweeps: a quarter of the horizon apart, at most 8,192 arrivals (a sweep is
    // linear in the vocabulary and the live stories' features)
    if (p.forgetArrivals > 0 && this.arrivals % Math.max(1, Math.min(8192, Math.floor(p.forgetArrivals / 4))) === 0) {
      this.vocab.forget(this.stories.heldFeatures(this.vocab.size), this.arrivals - p.forgetArrivals);
    }
  }

  /**
   * The best and runner-up among the candidate stories (those posted under the article's
   * strongest features), or a story reached by a name link when none reaches the article in
   * time.
   */
  private match(vec: [Vec, Vec, Vec], day: number): Match {
    const p = this.params;
    const dense = this.vocab.dense;
    for (const v of vec) for (const [k, x] of v) dense[k] = x;
    const candidates = this.stories.index.storiesUnder(this.stories.index.topFeatures(vec, p.queryFeatures));
    const m: Match = { best: -1, bestSim: 0, second: -1, secondSim: 0, linked: null };
    // the people's ages (see specifics.ts): a story that gives others is a worse match; judged
    // only where it decides something (a match that could join or bridge)
    const ages = p.ageWeight > 0 && p.ageMax > 0 && p.ageVeto < 1 ? agesOf(vec[2], (id) => this.vocab.isAge(id)) : [];
    const vetoed = (s: Story, sim: number): number =>
      ages.length > 0 &&
      sim >= p.threshold &&
      agesConflict(
        ages,
        agesOf(s.centroid[2], (id) => this.vocab.isAge(id)),
        p.ageMax,
      )
        ? sim * p.ageVeto
        : sim;
    for (const idx of [...candidates].sort((a, b) => a - b)) {
      const s = this.stories.get(idx);
      if (!s) continue;
      const sim = vetoed(s, candidateSimilarity(p, vec, s, day, dense));
      if (sim > m.bestSim) {
        m.second = m.best;
        m.secondSim = m.bestSim;
        m.best = idx;
        m.bestSim = sim;
      } else if (sim > m.secondSim) {
        m.second = idx;
        m.secondSim = sim;
      }
    }
    // a name link: no story reaches the article in time, but one shares its rare names
    if (p.nameLinks > 0 && m.bestSim < p.threshold && !Number.isNaN(day)) {
      const link = nameLink(
        vec[1],
        candidates,
        (i) => this.stories.get(i),
        (id) => this.vocab.isRareName(id, p.nameMaxDf),
        p.nameLinks,
        (s) => vetoed(s, storySimilarity(p, vec, s, Number.NaN, dense)),
        p.nameThreshold,
        p.namePerson > 0 ? (id) => this.vocab.isPersonName(id) : undefined,
      );
      if (link) [m.best, m.bestSim, m.second, m.secondSim, m.linked] = [link.story, link.similarity, -1, 0, link.names];
    }
    for (const v of vec) for (const k of v.keys()) dense[k] = 0;
    return m;
  }

  /** The article joins its best match when that reaches the threshold, or starts a story. */
  private join(m: Match, vec: [Vec, Vec, Vec], day: number, id: string, label: () => string): { story: Story; created: boolean } {
    const p = this.params;
    const joins = m.best >= 0 && m.bestSim >= p.threshold;
    // members serve split repair, nearest-member matching and late joining
    const story = joins ? this.stories.get(m.best)! : this.stories.start(label(), day, this.arrivals, p.splitThreshold > 0 || p.memberWeight > 0 || p.adoptThreshold > 0 ? [] : null);
    foldArticle(story, vec, p.centroidSize, () => newMember(this.arrivals, id, label(), day, vec), this.arrivals, day);
    return { story, created: !joins };
  }

  /**
   * The repairs after an arrival: merging the runner-up it bridges to, late joining, split
   * repair, then reassignment between the two stories it reached. Returns the story the
   * article is in after them.
   */
  private repair(joined: Story, created: boolean, m: Match): { story: Story; merged: number[]; splits: Moved[]; moves: Moved[] } {
    const p = this.params;
    let story = joined;
    const merged: number[] = [];
    const bridged = !created && m.second >= 0 && m.secondSim >= p.threshold;
    if (bridged) {
      const other = this.stories.get(m.second)!;
      if (mergeBridged(p, this.stories, story, other)) merged.push(other.index);
    }
    // a name link reaches back months: the small stories of the months in between, which the
    // story's days now span, are not its to adopt
    if (p.adoptThreshold > 0 && !created && m.linked === null) merged.push(...adopt(p, this.stories, story));
    const splits: Moved[] = [];
    if (p.splitThreshold > 0 && story.members && story.size >= 2 * p.splitMinPart && isCheckpoint(story.size) && !this.stories.locked.has(story.index)) {
      const part = trySplit(p, this.stories, story, this.vocab.dense);
      if (part) {
        splits.push(part);
        if (part.arrivals.includes(this.arrivals)) story = this.stories.get(part.story)!;
      }
    }
    // reassignment between the two stories the article reached (see reassign)
    const moves: Moved[] = [];
    const runnerUp = bridged && p.moveMargin >= 0 ? this.stories.get(m.second) : undefined;
    if (runnerUp && runnerUp !== story) {
      for (const mv of reassign(p, this.stories, story, runnerUp)) {
        moves.push(mv);
        // the article itself may be the one that moves
        if (mv.arrivals.includes(this.arrivals)) story = this.stories.get(mv.story)!;
      }
    }
    return { story, merged, splits, moves };
  }

  /** Re-posts in the index the stories an arrival changed. */
  private reindexChanged(story: Story, created: boolean, merged: readonly number[], moved: readonly Moved[]): void {
    // a story's strongest features settle as it grows: re-index it on every early article,
    // then every fourth (sorting the centroid on each arrival was a tenth of the time)
    if (created || merged.length > 0 || moved.length > 0 || story.size <= 8 || story.size % 4 === 0) this.stories.reindex(story);
    // and every other story a split or a move changed (both sides of each)
    const changed = new Set<number>();
    for (const mv of moved) changed.add(mv.story).add(mv.from);
    changed.delete(story.index);
    for (const idx of changed) {
      const st = this.stories.get(idx);
      if (st) this.stories.reindex(st);
    }
  }

  /**
   * A plain, JSON-safe snapshot of the state (format CLUSTER_FORMAT_VERSION): the live
   * stories, the merges and the recent vocabulary, so its size follows the active set.
   */
  toState(): ClusterState {
    return {
      version: CLUSTER_FORMAT_VERSION,
      params: { ...this.params },
      ...this.vocab.save(),
      arrivals: this.arrivals,
      latestDay: Number.isFinite(this.latestDay) ? this.latestDay : null,
      ...this.stories.save(),
      ...(this.lines ? { lines: this.lines.toState() } : {}),
    };
  }

  /**
   * A clusterer from a saved state of any format this Parallax reads (see state.ts), parsed
   * first: a state of another format, or a malformed one, is refused with an error that says
   * what is wrong.
   */
  static fromState(saved: unknown): OnlineClusterer {
    const state = parseClusterState(saved);
    const c = new OnlineClusterer(state.params);
    c.vocab = Vocabulary.load(state);
    c.arrivals = state.arrivals;
    c.latestDay = state.latestDay ?? Number.NEGATIVE_INFINITY;
    c.stories = Stories.load(c.params, state);
    if (state.lines && c.lines) c.lines = OutletLines.fromState(state.lines);
    return c;
  }

  /**
   * An analyst's correction: the articles `ids` leave the live stories that hold them and go to
   * story `to` (a live story) or, with null, to a new story labelled `label` (see analyst.ts).
   * Returns the story they went to.
   */
  correctMove(ids: readonly string[], to: number | null, label: string): number {
    return correctMove(this.params, this.stories, this.arrivals, ids, to, label);
  }

  /** An analyst's merge of live story `from` into live story `into` (both locked from then on). */
  correctMerge(from: number, into: number): void {
    correctMerge(this.stories, from, into);
  }

  /** Marks a live story corrected (see Stories.locked). */
  lock(index: number): void {
    if (this.stories.get(index)) this.stories.locked.add(index);
  }

  isLocked(index: number): boolean {
    return this.stories.locked.has(index);
  }

  /** Resolves a story index through merges to the story that now holds its articles. */
  resolve(index: number): number {
    return this.stories.resolve(index);
  }

  /** stories created and not merged away (retired ones included) */
  storyCount(): number {
    return this.stories.count();
  }

  activeCount(): number {
    return this.stories.activeCount();
  }

  /** the label of a live story ('' once it is retired) */
  labelOf(index: number): string {
    return this.stories.get(this.resolve(index))?.label ?? '';
  }

  /** indexes of the live stories (active, not merged), ascending */
  liveStories(): number[] {
    return this.stories.liveIndexes();
  }
}

/**
 * Follows a stream's assignments to the end: split repair moves earlier arrivals to a new
 * story and merges fold stories into others, so an article's final story is known only
 * once the stream is over.
 */
class StreamTracker {
  private readonly ids: string[] = [];
  private readonly story: number[] = [];

  constructor(private readonly clusterer: OnlineClusterer) {}

  add(a: Assignment): void {
    this.ids.push(a.id);
    this.story.push(a.story);
    // split repair and reassignment move earlier arrivals (1-based) to another story
    for (const sp of a.splits) for (const arrival of sp.arrivals) this.story[arrival - 1] = sp.story;
    for (const mv of a.moves) for (const arrival of mv.arrivals) this.story[arrival - 1] = mv.story;
  }

  result(): { id: string; story: number }[] {
    return this.ids.map((id, i) => ({ id, story: this.clusterer.resolve(this.story[i]!) }));
  }
}

/** Clusters a whole stream in order; returns the final story index of each article. */
export function clusterStream(inputs: Iterable<ClusterInput>, params: Partial<ClusterParams> = {}): { id: string; story: number }[] {
  const c = new OnlineClusterer(params);
  const t = new StreamTracker(c);
  for (const input of inputs) t.add(c.add(input));
  return t.result();
}

/**
 * clusterStream over articles whose features may already be extracted (in worker threads,
 * see engine/prepare.ts); the same stories as clusterStream for the same inputs.
 */
export async function clusterPrepared(
  items: AsyncIterable<{ readonly input: ClusterInput; readonly features?: Features | null }>,
  params: Partial<ClusterParams> = {},
): Promise<{ id: string; story: number }[]> {
  const c = new OnlineClusterer(params);
  const t = new StreamTracker(c);
  for await (const { input, features } of items) t.add(c.add(input, undefined, features ?? undefined));
  return t.result();
}

import { type StoryId, storyIdOf } from '../domain/ids.js';
import { correctMerge, correctMove } from './analyst.js';
import { OutletLines, outletFeatures } from './boilerplate.js';
import type { KeptAnalysis } from '../text/analyse.js';
import type { ClusterInput, Features } from './features.js';
import { Stories } from './lifecycle.js';
import { nameLink } from './names.js';
import { clusterParams, type ClusterParams } from './params.js';
import { adopt, mergeBridged, reassign } from './repairs.js';
import { candidateSimilarity, storySimilarity } from './similarity.js';
import { agesConflict, agesOf, isRoundUp } from './specifics.js';
import { trySplit } from './split.js';
import { CLUSTER_FORMAT_VERSION, type ClusterState, parseClusterState } from './state.js';
import { copyLabel, foldArticle, isCheckpoint, MEMBER_FEATURES, type Moved, newMember, type Story } from './story.js';
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
 * Deterministic: no randomness, ties broken by story creation order. A story is known by its
 * StoryId (storyIdOf: the article that started it, or the arrival that split it off), in the
 * assignments, the saved state and the analyst's corrections alike; the index each story has
 * inside (its creation order) never leaves the clusterer.
 *
 * This class coordinates; the parts are: params.ts (parameters), vectors.ts (sparse vectors
 * and selection), vocabulary.ts (terms, IDF, forgetting), postings.ts (the inverted index),
 * story.ts and lifecycle.ts (stories: start, grow, merge, retire), similarity.ts, repairs.ts
 * and split.ts (the repairs), analyst.ts (corrections), boilerplate.ts (the lines each outlet
 * repeats, left out of the features), state.ts (the saved state's codec).
 */

export interface Assignment {
  readonly id: string;
  /** the story the article is in after this arrival (after any split or move below) */
  readonly story: StoryId;
  /**
   * the story it joined, or started when `created`, before the repairs; the stories in
   * `merged` went into it, and a split or move that took the article took it from there
   */
  readonly joined: StoryId;
  readonly similarity: number;
  readonly created: boolean;
  /** stories merged into `joined` by this arrival */
  readonly merged: readonly StoryId[];
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
  /** split-offs named as the releases before 2026-12-05 named them (see splitsKeyedByIndex) */
  private indexKeyedSplits = false;
  /**
   * the parameters an arrival is judged by: `params`, but for the near-days boost while it
   * warms up over the stream's first articles (see nearWarmup)
   */
  private now: ClusterParams;

  constructor(params: Partial<ClusterParams> = {}) {
    this.params = clusterParams(params);
    this.stories = new Stories(this.params);
    this.lines = this.params.boilerplateArticles > 0 ? new OutletLines(this.params.boilerplateArticles) : null;
    this.now = this.params;
  }

  /**
   * The parameters of the next arrival (see warmup). Early in a stream the vocabulary does not
   * yet know which words every report of it carries: on a stream of one kind of event IDF
   * still rates "shooting" and the city as rare, so same-day reports of two events look alike.
   * Until `warmup` articles are counted, dated reports of the same days get no boost (it
   * chained a city's first days' shootings into one story), and the IDF prior weighs from half
   * to all of idfPriorDocs as the count grows, so the words the first articles all share fade
   * sooner (the gun-violence dev stream cut into fresh 10-day streams: B-cubed precision 0.920
   * -> 0.956; a step to the whole prior at 50 gave 0.963 but cost ECB+ dev 0.0004, paired). The
   * document count is saved with the vocabulary, so a reloaded state goes on alike.
   */
  private warm(): void {
    const p = this.params;
    const docs = this.vocab.documents;
    this.now = p.warmup <= 0 || docs >= p.warmup ? p : { ...p, nearBoost: Math.min(1, p.nearBoost), idfPriorDocs: p.idfPriorDocs * (0.5 + (0.5 * docs) / p.warmup) };
  }

  /**
   * Assigns the next article. `features`, when given, must be extractFeatures(input), computed
   * ahead (e.g. in a worker thread); without them they are extracted here. Either way the
   * lines its outlet is known to repeat are left out (see boilerplate.ts). `analysis`, when
   * given with `features`, must be keptAnalysis(featuresAnalysis(input)): what is left out of the text
   * is then not analysed again.
   */
  add(input: ClusterInput, label?: string, features?: Features, analysis?: KeptAnalysis): Assignment {
    const f = outletFeatures(this.lines, input, features, analysis);
    this.warm();
    const vec = this.vocab.vectors(f, this.now, this.arrivals);
    this.arrivals++;
    this.sweep(f.day);
    const roundUp = this.isRoundUp(vec[1]);
    const match = this.match(vec, f.day, roundUp);
    const articleLabel = (): string => copyLabel(label ?? (input.title || input.text.split('\n', 1)[0] || input.id));
    const joined = this.join(match, vec, f.day, input.id, articleLabel, roundUp ? this.params.roundUpWeight : 1);
    // read before the repairs: the joined story keeps its id through them, but say so here
    const joinedId = joined.story.id;
    const { story, merged, splits, moves } = this.repair(joined.story, joined.created, match, roundUp);
    this.reindexChanged(story, joined.created, merged, [...splits, ...moves]);
    // document frequencies learnt after use: an article never sees its own counts
    this.vocab.learn(vec);
    // and so are its outlet's lines, with the story it joined
    this.lines?.learn(input, this.arrivals, story.index);
    return { id: input.id, story: story.id, joined: joinedId, similarity: joined.created ? 0 : match.bestSim, created: joined.created, merged, splits, moves };
  }

  /** Whether an article's names (or a member's) make it a round-up (see roundUpPlaces). */
  private isRoundUp(names: Vec): boolean {
    return isRoundUp(names, (id) => this.vocab.isPlace(id), this.params.roundUpPlaces, MEMBER_FEATURES);
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
  private match(vec: [Vec, Vec, Vec], day: number, roundUp: boolean): Match {
    const p = this.now;
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
    // a name link: no story reaches the article in time, but one shares its rare names (not
    // for a round-up, whose names are several events' people: it linked a city's round-ups
    // of two years into one story)
    if (p.nameLinks > 0 && m.bestSim < p.threshold && !Number.isNaN(day) && !roundUp) {
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
  private join(m: Match, vec: [Vec, Vec, Vec], day: number, id: string, label: () => string, weight: number): { story: Story; created: boolean } {
    const p = this.now;
    const joins = m.best >= 0 && m.bestSim >= p.threshold;
    // members serve split repair, nearest-member matching and late joining
    const story = joins
      ? this.stories.get(m.best)!
      : this.stories.start(storyIdOf({ kind: 'started', article: id }), label(), day, this.arrivals, p.splitThreshold > 0 || p.memberWeight > 0 || p.adoptThreshold > 0 ? [] : null);
    foldArticle(story, vec, p.centroidSize, () => newMember(this.arrivals, id, label(), day, vec, weight), this.arrivals, day, weight);
    return { story, created: !joins };
  }

  /**
   * The repairs after an arrival: merging the runner-up it bridges to, late joining, split
   * repair, then reassignment between the two stories it reached. Returns the story the
   * article is in after them.
   */
  private repair(joined: Story, created: boolean, m: Match, roundUp: boolean): { story: Story; merged: StoryId[]; splits: Moved[]; moves: Moved[] } {
    const p = this.now;
    let story = joined;
    const merged: StoryId[] = [];
    // a round-up reaches the stories of the events it names: they are not one story for that
    const bridged = !created && !roundUp && m.second >= 0 && m.secondSim >= p.threshold;
    if (bridged) {
      const other = this.stories.get(m.second)!;
      if (mergeBridged(p, this.stories, story, other)) merged.push(other.id);
    }
    // a name link reaches back months: the small stories of the months in between, which the
    // story's days now span, are not its to adopt
    if (p.adoptThreshold > 0 && !created && !roundUp && m.linked === null) merged.push(...adopt(p, this.stories, story));
    const splits: Moved[] = [];
    if (p.splitThreshold > 0 && story.members && story.size >= 2 * p.splitMinPart && isCheckpoint(story.size) && !this.stories.locked.has(story.index)) {
      const part = trySplit(p, this.stories, story, this.vocab.dense, (first) =>
        this.indexKeyedSplits ? storyIdOf({ kind: 'split-by-index', article: first, index: this.stories.nextIndex }) : storyIdOf({ kind: 'split', article: first, arrival: this.arrivals }),
      );
      if (part) {
        splits.push(part);
        if (part.arrivals.includes(this.arrivals)) story = this.stories.find(part.story)!;
      }
    }
    // reassignment between the two stories the article reached (see reassign)
    const moves: Moved[] = [];
    const runnerUp = bridged && p.moveMargin >= 0 ? this.stories.get(m.second) : undefined;
    if (runnerUp && runnerUp !== story) {
      for (const mv of reassign(p, this.stories, story, runnerUp)) {
        moves.push(mv);
        // the article itself may be the one that moves
        if (mv.arrivals.includes(this.arrivals)) story = this.stories.find(mv.story)!;
      }
    }
    return { story, merged, splits, moves };
  }

  /** Re-posts in the index the stories an arrival changed. */
  private reindexChanged(story: Story, created: boolean, merged: readonly StoryId[], moved: readonly Moved[]): void {
    // a story's strongest features settle as it grows: re-index it on every early article,
    // then every fourth (sorting the centroid on each arrival was a tenth of the time)
    if (created || merged.length > 0 || moved.length > 0 || story.size <= 8 || story.size % 4 === 0) this.stories.reindex(story);
    // and every other story a split or a move changed (both sides of each)
    const changed = new Set<StoryId>();
    for (const mv of moved) changed.add(mv.story).add(mv.from);
    changed.delete(story.id);
    for (const id of changed) {
      const st = this.stories.find(id);
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
   * what is wrong. `legacyIds`: for a state before format 6, the id of each live story by its
   * index, as saved beside the state (see parseClusterState).
   */
  static fromState(saved: unknown, legacyIds?: ReadonlyMap<number, string>): OnlineClusterer {
    const state = parseClusterState(saved, legacyIds);
    // A state saved before round-ups and the warm-up folded every member at full weight: with
    // round-ups on, a moved round-up would take a quarter of itself out of a centroid that holds
    // all of it (member weights are read from names on load, not saved). So such a state goes on
    // without them, as the run that saved it did; the parameters saved from now on say so.
    const given = { ...state.params };
    if (!('roundUpPlaces' in given)) given['roundUpPlaces'] = 0;
    if (!('warmup' in given)) given['warmup'] = 0;
    const c = new OnlineClusterer(given);
    c.vocab = Vocabulary.load(state);
    c.arrivals = state.arrivals;
    c.latestDay = state.latestDay ?? Number.NEGATIVE_INFINITY;
    c.stories = Stories.load(c.params, state);
    // the members' weights follow from their names (see roundUpPlaces)
    if (c.params.roundUpPlaces > 0) {
      for (const i of c.stories.liveIndexes()) for (const m of c.stories.get(i)!.members ?? []) if (c.isRoundUp(m.vec[1])) m.weight = c.params.roundUpWeight;
    }
    c.warm();
    if (state.lines && c.lines) c.lines = OutletLines.fromState(state.lines);
    return c;
  }

  /**
   * An analyst's correction: the articles `ids` leave the live stories that hold them and go to
   * story `to`, a live story or else a new one of that id labelled `label` (see analyst.ts).
   */
  correctMove(ids: readonly string[], to: StoryId, label: string): void {
    correctMove(this.params, this.stories, this.arrivals, ids, to, label);
  }

  /**
   * An analyst's merge of story `from` into story `into` (locked from then on); a live `from`
   * whose `into` the clusterer no longer holds carries on as `into` (see analyst.ts).
   */
  correctMerge(from: StoryId, into: StoryId): void {
    correctMerge(this.stories, from, into);
  }

  /** whether live story `id` was corrected by an analyst (see Stories.locked) */
  isLocked(id: StoryId): boolean {
    const s = this.stories.find(id);
    return s !== undefined && this.stories.locked.has(s.index);
  }

  /**
   * While on, a split-off story takes the id the releases before 2026-12-05 gave it (keyed by
   * the story's index, which this clusterer numbers alike): for replaying the articles such a
   * release clustered and stored after its last saved state, so that the stories the replay
   * splits off have the ids it stored. Off by default, and after that replay.
   */
  splitsKeyedByIndex(on: boolean): void {
    this.indexKeyedSplits = on;
  }

  activeCount(): number {
    return this.stories.activeCount();
  }

  /** the label of a live story ('' when the clusterer does not hold it) */
  labelOf(id: StoryId): string {
    return this.stories.find(id)?.label ?? '';
  }

  /** the live stories (active, not merged), oldest first */
  liveStories(): StoryId[] {
    return this.stories.liveIndexes().map((i) => this.stories.get(i)!.id);
  }
}

/**
 * Follows a stream's assignments (of one clusterer, saved and reloaded along the way or not)
 * to the end: split repair and reassignment move earlier arrivals to another story and merges
 * fold stories into others, so an article's final story is known only once the stream is
 * over. The clusterer keeps no history of merges (it holds the live stories only); this does.
 */
export class StoryTracker {
  private readonly ids: string[] = [];
  private readonly story: StoryId[] = [];
  /** merged story -> the story it was merged into */
  private readonly merges = new Map<StoryId, StoryId>();

  add(a: Assignment): void {
    this.ids.push(a.id);
    this.story.push(a.story);
    for (const m of a.merged) this.merges.set(m, a.joined);
    // split repair and reassignment move earlier arrivals (1-based) to another story
    for (const sp of a.splits) for (const arrival of sp.arrivals) this.story[arrival - 1] = sp.story;
    for (const mv of a.moves) for (const arrival of mv.arrivals) this.story[arrival - 1] = mv.story;
  }

  /** An analyst's merge (OnlineClusterer.correctMerge) of `from` into `into`. */
  merge(from: StoryId, into: StoryId): void {
    if (from !== into) this.merges.set(from, into);
  }

  /** The story that holds the articles of story `id` now (through merges). */
  resolve(id: StoryId): StoryId {
    let s = id;
    for (let next = this.merges.get(s); next !== undefined; next = this.merges.get(s)) s = next;
    return s;
  }

  /** Each article's story now, in arrival order. */
  result(): { id: string; story: StoryId }[] {
    return this.ids.map((id, i) => ({ id, story: this.resolve(this.story[i]!) }));
  }
}

/** Clusters a whole stream in order; returns the final story of each article. */
export function clusterStream(inputs: Iterable<ClusterInput>, params: Partial<ClusterParams> = {}): { id: string; story: StoryId }[] {
  const c = new OnlineClusterer(params);
  const t = new StoryTracker();
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
): Promise<{ id: string; story: StoryId }[]> {
  const c = new OnlineClusterer(params);
  const t = new StoryTracker();
  for await (const { input, features } of items) t.add(c.add(input, undefined, features ?? undefined));
  return t.result();
}

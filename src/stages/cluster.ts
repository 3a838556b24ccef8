import { z } from 'zod';
import type { Article } from '../domain/article.js';
import { bestLabel } from '../domain/headline.js';
import { type ArticleId, type StoryId, storyIdOf } from '../domain/ids.js';
import type { ChangedArticle, PendingBatch, Stage } from './stage.js';
import { createError } from '../errors.js';
import type { Store } from '../store/store.js';
import { clusterInputOf, type Features } from '../cluster/features.js';
import type { KeptAnalysis } from '../text/analyse.js';
import { OnlineClusterer, type ClusterParams } from '../cluster/online.js';
import { checkCorrection, CLUSTER_STATE_KEY, correctionLog, type Correction, type CorrectionResult } from './corrections.js';

/**
 * Clustering as an ingest stage: new articles join stories as they are stored, and their
 * memberships are written in the batch's transaction. The clusterer's state (stage state
 * `cluster`) holds the live stories only, each with its id, so its size follows the active
 * set, not the store; but on a long stream that is megabytes, and saving it with
 * every batch was most of the cost of ingest at scale (10 MB a batch at 20k articles of a
 * mixed stream). So it is saved with the first batch, then every `snapshotEvery` new
 * articles, and when the engine closes; it names the last article it holds (`through`),
 * and `open` replays the articles stored after that one, in the order they were stored,
 * which is the order they were clustered in. A crash loses nothing: the replay rebuilds the
 * same state. A story's id is the clusterer's (storyIdOf: the article that started it, or the
 * arrival that split it off), so it is the same on every run over the same stream, replayed
 * or not, and this stage keeps no ids of its own.
 */
const KEY = CLUSTER_STATE_KEY;
/**
 * Format of the saved stage state: 6 drops `storyIds` (each story's id is in the clusterer's
 * state, format 6, see cluster/state.ts); 5 adds `through` (the state may be older than the
 * store); 4 and before were saved with every batch. A Parallax that reads 4 at most refuses 5
 * (it would not replay), one that reads 5 at most refuses 6 (it would find no ids). The
 * clusterer's own state inside has its own version.
 */
export const STATE_FORMAT = 6;
/** New articles between saved states: the most a restart after a crash replays. */
export const SNAPSHOT_EVERY = 10_000;
/** Articles read from the store at a time while replaying. */
const REPLAY_PAGE = 1000;

const stateSchema = z.object({
  clusterer: z.object({ version: z.number() }).passthrough(),
  // formats 4 and 5: [story index, id] of the live stories; before: the id of every story by
  // index; from 6 on the ids are in the clusterer's state
  storyIds: z.union([z.array(z.tuple([z.number().int(), z.string()])), z.array(z.string())]).optional(),
  // format 5: the last article the state holds
  through: z.string().nullable().optional(),
});

/** The ids saved beside the clusterer's state before format 6, by story index. */
function legacyIds(saved: NonNullable<z.infer<typeof stateSchema>['storyIds']>): Map<number, string> {
  const ids = new Map<number, string>();
  saved.forEach((entry, i) => (Array.isArray(entry) ? ids.set(entry[0], entry[1]) : ids.set(i, entry)));
  return ids;
}

/** A new story's label: its first article's headline (the store relabels it as the story grows). */
export function storyLabel(a: Article): string {
  return bestLabel([{ title: a.title, lead: a.text.slice(0, 400), outlet: a.meta.outlet?.value ?? null, fallback: a.externalId }]);
}

export class ClusterStage implements Stage {
  readonly name = 'cluster';
  readonly wants = { features: true, article: 'whole' } as const;
  private readonly snapshotEvery: number;
  private readonly params: Partial<ClusterParams>;
  private clusterer: OnlineClusterer;
  /** the last article clustered, and new articles clustered since the state was last saved */
  private through: ArticleId | null = null;
  private unsaved = 0;

  /**
   * `snapshotEvery`: new articles between saved states (SNAPSHOT_EVERY); 1 saves with every
   * batch. `params`: the clusterer's parameters for a store without a saved state (a saved
   * state carries its own).
   */
  constructor(options: { snapshotEvery?: number; params?: Partial<ClusterParams> } = {}) {
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? SNAPSHOT_EVERY);
    this.params = options.params ?? {};
    this.clusterer = new OnlineClusterer(this.params);
  }

  async open(store: Store): Promise<void> {
    this.through = null;
    const saved = await store.states.get(KEY);
    if (!saved) {
      this.clusterer = new OnlineClusterer(this.params);
      // the first batch saves a state, so that no state means nothing was clustered yet
      this.unsaved = Infinity;
      return;
    }
    // formats 1 (before split repair: no members yet) and 2 (split parameters of an earlier
    // meaning) are read as well; OnlineClusterer.fromState brings them to the current format
    if (saved.formatVersion < 1 || saved.formatVersion > STATE_FORMAT) {
      throw createError('FORMAT_VERSION', `cluster: the store holds clustering state format ${saved.formatVersion}; this Parallax reads 1 to ${STATE_FORMAT}`, { subject: KEY });
    }
    const parsed = stateSchema.parse(JSON.parse(new TextDecoder().decode(saved.data)));
    // before format 6 the ids were saved here, beside the clusterer's state: its upgrade puts
    // them in the stories' records
    if (saved.formatVersion < 6 && parsed.storyIds === undefined)
      throw createError('MALFORMED_STATE', `cluster: the saved clustering state (format ${saved.formatVersion}) has no story ids`, { subject: KEY });
    this.clusterer = OnlineClusterer.fromState(parsed.clusterer, saved.formatVersion < 6 ? legacyIds(parsed.storyIds!) : undefined);
    this.unsaved = 0;
    // formats before 5 were saved with every batch: nothing to replay, but the next batch
    // saves in format 5 (until then a crash would find a state without `through`)
    if (parsed.through === undefined || parsed.through === null) {
      this.unsaved = Infinity;
      return;
    }
    this.through = parsed.through as ArticleId;
    // what a release before format 6 stored after its last saved state named its split-offs by
    // the clusterer's story index: the replay names them alike, as they are stored
    this.clusterer.splitsKeyedByIndex(saved.formatVersion < 6);
    try {
      await this.replay(store);
    } finally {
      this.clusterer.splitsKeyedByIndex(false);
    }
  }

  /**
   * Another writer stored (and clustered) articles since this stage last wrote: they come
   * after `through` in stored order, and are folded in as a replay after a crash would, so
   * the state is what it would be had this process stored them. A stage that has clustered
   * nothing yet, or holds a state without `through`, loads the stored state afresh.
   */
  async catchUp(store: Store, othersWrote: boolean): Promise<void> {
    if (!othersWrote) return;
    if (this.through === null) return this.open(store);
    await this.replay(store);
  }

  /**
   * The articles stored after `through` whose memberships are stored (clustered after the
   * state was saved, or by another writer): folded in again, in the order they were stored,
   * which is the order they were clustered in, with what they wrote thrown away.
   */
  private async replay(store: Store): Promise<void> {
    const scratch = { stories: [], memberships: [], storyMerges: [], events: [] } as unknown as PendingBatch;
    // the page cursor is the last article read, not the last folded: a page of articles that
    // are all passed over must not be read again
    for (let cursor: ArticleId = this.through!; ;) {
      // each as first stored, which is how it was clustered (a later version keeps its story)
      const page = await store.articlesStoredAfter(cursor, REPLAY_PAGE, { firstVersions: true });
      if (page.length > 0) cursor = page[page.length - 1]!.id;
      for (const article of page) {
        // stored by a pipeline without this stage (a library engine): never clustered, so
        // not replayed either (the state stays what the stored memberships say)
        if ((await store.stories.storyOf(article.id)) === null) continue;
        this.fold(article, undefined, scratch);
      }
      scratch.stories.length = 0;
      scratch.memberships.length = 0;
      scratch.storyMerges.length = 0;
      scratch.events.length = 0;
      if (page.length < REPLAY_PAGE) break;
      // a long replay (a server catching up on a large ingest by another process) lets the
      // event loop answer readers between pages; nothing is written until it is done
      await new Promise((r) => setImmediate(r));
    }
  }

  apply(changed: readonly ChangedArticle[], batch: PendingBatch): void {
    let touched = false;
    for (const { article, status, analysis } of changed) {
      // an updated article keeps its story; its new text does not re-cluster it
      if (status !== 'new') continue;
      this.fold(article, analysis?.features, batch, analysis?.text);
      touched = true;
    }
    if (touched && this.unsaved >= this.snapshotEvery) this.save(batch);
  }

  checkpoint(batch: PendingBatch): void {
    if (this.unsaved > 0 && this.through !== null) this.save(batch);
  }

  /** Clusters one new article, adding what it changes to the batch. */
  private fold(article: Article, features: Features | undefined, batch: PendingBatch, text?: KeptAnalysis): void {
    const label = storyLabel(article);
    const a = this.clusterer.add(clusterInputOf(article), label, features, text);
    this.through = article.id;
    this.unsaved++;
    // the story the article joined (or started): a split or a reassignment below may move it on
    const joined = a.joined;
    if (a.created) {
      batch.stories.push({ id: joined, label });
      batch.events.push({ type: 'story.created', id: joined });
    } else batch.events.push({ type: 'story.changed', id: joined });
    batch.memberships.push({ article: article.id, story: joined, similarity: a.similarity });
    for (const m of a.merged) batch.storyMerges.push({ from: m, into: joined });
    // split repair: the moved articles (this one among them, perhaps) go to a new story; the
    // story they left is upserted so its counts are redone
    for (const sp of a.splits) {
      batch.stories.push({ id: sp.story, label: this.clusterer.labelOf(sp.story) }, { id: sp.from, label: this.clusterer.labelOf(sp.from) });
      batch.events.push({ type: 'story.created', id: sp.story }, { type: 'story.changed', id: sp.from });
      for (const moved of sp.ids) batch.memberships.push({ article: moved as ArticleId, story: sp.story, similarity: 0 });
    }
    // reassignment: the moved articles go to another existing story; both are upserted so
    // their counts are redone
    for (const mv of a.moves) {
      batch.stories.push({ id: mv.story, label: this.clusterer.labelOf(mv.story) }, { id: mv.from, label: this.clusterer.labelOf(mv.from) });
      batch.events.push({ type: 'story.changed', id: mv.story }, { type: 'story.changed', id: mv.from });
      for (const moved of mv.ids) batch.memberships.push({ article: moved as ArticleId, story: mv.story, similarity: 0 });
    }
  }

  private save(batch: PendingBatch): void {
    const data = new TextEncoder().encode(JSON.stringify({ clusterer: this.clusterer.toState(), through: this.through }));
    batch.states.push({ key: KEY, formatVersion: STATE_FORMAT, data });
    this.unsaved = 0;
  }

  /**
   * An analyst's correction (see corrections.ts): the stored memberships change, and so do the
   * clusterer's stories, which are locked against repairs from then on; the state is saved
   * in the same batch, so a restart or a replay starts from the corrected stories. A story the
   * clusterer no longer holds (retired) changes in the store only; when a live story is merged
   * into a retired one, the live one carries on under the retired one's id, so its later
   * articles join the story it was merged into (see OnlineClusterer.correctMerge).
   */
  async correct(c: Correction, batch: PendingBatch, store: Store): Promise<CorrectionResult> {
    const { from, articles, to } = await checkCorrection(c, store);
    const labelOf = async (id: StoryId): Promise<string> => (await store.stories.get(id))?.label ?? '';
    if (c.kind === 'merge') {
      const into = c.into;
      this.clusterer.correctMerge(from, into);
      batch.storyMerges.push({ from, into });
      batch.stories.push({ id: into, label: await labelOf(into) });
      batch.events.push({ type: 'story.changed', id: into });
      this.save(batch);
      return { kind: c.kind, story: into, changed: [into, from], articles };
    }
    let target = to;
    let label = target === null ? '' : await labelOf(target);
    if (target === null) {
      const first = (await store.getArticle(articles[0]!))!;
      label = storyLabel(first);
      target = storyIdOf({ kind: 'corrected', article: first.id, seq: (await correctionLog(store)).length + 1 });
      batch.events.push({ type: 'story.created', id: target });
    }
    // a target the clusterer no longer holds (retired) is started again under its id
    this.clusterer.correctMove(articles, target, label);
    batch.stories.push({ id: target, label }, { id: from, label: await labelOf(from) });
    for (const a of articles) batch.memberships.push({ article: a, story: target, similarity: 0 });
    batch.events.push({ type: 'story.changed', id: target }, { type: 'story.changed', id: from });
    this.save(batch);
    return { kind: c.kind, story: target, changed: [target, from], articles };
  }
}

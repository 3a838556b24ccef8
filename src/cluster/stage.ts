import { z } from 'zod';
import type { Article } from '../domain/article.js';
import { type ArticleId, storyIdFromKey, type StoryId } from '../domain/ids.js';
import type { ChangedArticle, PendingBatch, Stage } from '../engine/stage.js';
import { createError } from '../errors.js';
import type { Store } from '../store/store.js';
import { clusterInputOf } from './features.js';
import { CLUSTER_FORMAT_VERSION, OnlineClusterer, type ClusterState } from './online.js';

/**
 * Clustering as an ingest stage: new articles join stories as they are stored. The
 * clusterer's state is saved with every batch (stage state `cluster`), together with the
 * memberships, in the batch's transaction; it holds the live stories only (and their ids
 * here), so its size follows the active set, not the store. A story's id comes from the
 * article that started it, so it is the same on every run over the same stream.
 */
const KEY = 'cluster';

const stateSchema = z.object({
  clusterer: z.object({ version: z.number() }).passthrough(),
  // format 4: [story index, id] of the live stories; before: the id of every story by index
  storyIds: z.union([z.array(z.tuple([z.number().int(), z.string()])), z.array(z.string())]),
});

export function storyLabel(a: Article): string {
  const first = a.sentences[0] ? a.text.slice(a.sentences[0].start, a.sentences[0].end) : a.text;
  const label = a.title ?? first;
  return label.length > 140 ? `${label.slice(0, 137)}...` : label;
}

export class ClusterStage implements Stage {
  readonly name = 'cluster';
  readonly usesClusterFeatures = true;
  private clusterer = new OnlineClusterer();
  /** story ids by clusterer index, for the live stories (and those touched in this batch) */
  private storyIds = new Map<number, StoryId>();

  async open(store: Store): Promise<void> {
    const saved = await store.getState(KEY);
    if (!saved) {
      this.clusterer = new OnlineClusterer();
      this.storyIds = new Map();
      return;
    }
    // formats 1 (before split repair: no members yet) and 2 (split parameters of an earlier
    // meaning) are read as well; OnlineClusterer.fromState brings them to the current format
    if (saved.formatVersion < 1 || saved.formatVersion > CLUSTER_FORMAT_VERSION) {
      throw createError('FORMAT_VERSION', `cluster: the store holds clustering state format ${saved.formatVersion}; this Parallax reads 1 to ${CLUSTER_FORMAT_VERSION}`, { subject: KEY });
    }
    const parsed = stateSchema.parse(JSON.parse(new TextDecoder().decode(saved.data)));
    this.clusterer = OnlineClusterer.fromState(parsed.clusterer as unknown as ClusterState);
    const ids = parsed.storyIds;
    this.storyIds = new Map();
    for (const index of this.clusterer.liveStories()) {
      const id = typeof ids[index] === 'string' ? (ids[index] as string) : undefined;
      if (id !== undefined) this.storyIds.set(index, id as StoryId);
    }
    for (const entry of ids) if (Array.isArray(entry)) this.storyIds.set(entry[0], entry[1] as StoryId);
  }

  apply(changed: readonly ChangedArticle[], batch: PendingBatch): void {
    let touched = false;
    for (const { article, status, features } of changed) {
      // an updated article keeps its story; its new text does not re-cluster it
      if (status !== 'new') continue;
      const label = storyLabel(article);
      const a = this.clusterer.add(clusterInputOf(article), label, features);
      touched = true;
      if (a.created) {
        const id = storyIdFromKey(`story:${article.id}`);
        this.storyIds.set(a.story, id);
        batch.stories.push({ id, label });
        batch.events.push({ type: 'story.created', id });
      }
      // the story the article joined: a split below may move it on to a new story
      const joined = a.splits.find((sp) => sp.ids.includes(article.id))?.from ?? a.story;
      const joinedId = this.idOf(joined);
      if (!a.created) batch.events.push({ type: 'story.changed', id: joinedId });
      batch.memberships.push({ article: article.id, story: joinedId, similarity: a.similarity });
      for (const m of a.merged) batch.storyMerges.push({ from: this.idOf(m), into: joinedId });
      // split repair: the moved articles (this one among them, perhaps) go to a new story,
      // keyed by the first of them and the story's index (an article can start a story,
      // see it merged away, and be moved again: the key must not meet a deleted id); the
      // story they left is upserted so its counts are redone
      for (const sp of a.splits) {
        const id = storyIdFromKey(`story:${sp.ids[0]!}:${sp.story}`);
        this.storyIds.set(sp.story, id);
        const from = this.idOf(sp.from);
        batch.stories.push({ id, label: this.clusterer.labelOf(sp.story) }, { id: from, label: this.clusterer.labelOf(sp.from) });
        batch.events.push({ type: 'story.created', id }, { type: 'story.changed', id: from });
        for (const moved of sp.ids) batch.memberships.push({ article: moved as ArticleId, story: id, similarity: 0 });
      }
    }
    if (touched) {
      // ids of stories retired or merged away are no longer needed (nothing refers to them again)
      const live = this.clusterer.liveStories();
      const kept = new Map<number, StoryId>();
      for (const index of live) kept.set(index, this.idOf(index));
      this.storyIds = kept;
      const data = new TextEncoder().encode(JSON.stringify({ clusterer: this.clusterer.toState(), storyIds: [...kept] }));
      batch.states.push({ key: KEY, formatVersion: CLUSTER_FORMAT_VERSION, data });
    }
  }

  private idOf(index: number): StoryId {
    const id = this.storyIds.get(index);
    // every index the clusterer reports was created here or loaded with the state; a miss
    // means the stored state is inconsistent
    if (id === undefined) throw createError('DB_INCOMPATIBLE', `cluster: the stored clustering state has no story id for story index ${index}`, { subject: KEY });
    return id;
  }
}

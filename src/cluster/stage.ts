import { z } from 'zod';
import type { Article } from '../domain/article.js';
import { type ArticleId, storyIdFromKey, type StoryId } from '../domain/ids.js';
import type { ChangedArticle, PendingBatch, Stage } from '../engine/stage.js';
import { createError } from '../errors.js';
import type { Store } from '../store/store.js';
import { CLUSTER_FORMAT_VERSION, OnlineClusterer, type ClusterState } from './online.js';

/**
 * Clustering as an ingest stage: new articles join stories as they are stored. The
 * clusterer's state is saved with every batch (stage state `cluster`), together with the
 * memberships, in the batch's transaction. A story's id comes from the article that
 * started it, so it is the same on every run over the same stream.
 */
const KEY = 'cluster';

const stateSchema = z.object({
  clusterer: z.object({ version: z.number() }).passthrough(),
  storyIds: z.array(z.string()),
});

export function inputOf(a: Article): { id: string; text: string; title: string | null; sentences: Article['sentences']; published: string | null } {
  return { id: a.id, text: a.text, title: a.title, sentences: a.sentences, published: a.meta.published?.value ?? null };
}

export function storyLabel(a: Article): string {
  const first = a.sentences[0] ? a.text.slice(a.sentences[0].start, a.sentences[0].end) : a.text;
  const label = a.title ?? first;
  return label.length > 140 ? `${label.slice(0, 137)}...` : label;
}

export class ClusterStage implements Stage {
  readonly name = 'cluster';
  private clusterer = new OnlineClusterer();
  private storyIds: StoryId[] = [];

  async open(store: Store): Promise<void> {
    const saved = await store.getState(KEY);
    if (!saved) {
      this.clusterer = new OnlineClusterer();
      this.storyIds = [];
      return;
    }
    // formats 1 (before split repair: no members yet) and 2 (split parameters of an earlier
    // meaning) are read as well; OnlineClusterer.fromState brings them to the current format
    if (saved.formatVersion < 1 || saved.formatVersion > CLUSTER_FORMAT_VERSION) {
      throw createError('FORMAT_VERSION', `cluster: the store holds clustering state format ${saved.formatVersion}; this Parallax reads 1 to ${CLUSTER_FORMAT_VERSION}`, { subject: KEY });
    }
    const parsed = stateSchema.parse(JSON.parse(new TextDecoder().decode(saved.data)));
    this.clusterer = OnlineClusterer.fromState(parsed.clusterer as unknown as ClusterState);
    this.storyIds = parsed.storyIds as StoryId[];
  }

  apply(changed: readonly ChangedArticle[], batch: PendingBatch): void {
    let touched = false;
    for (const { article, status } of changed) {
      // an updated article keeps its story; its new text does not re-cluster it
      if (status !== 'new') continue;
      const label = storyLabel(article);
      const a = this.clusterer.add(inputOf(article), label);
      touched = true;
      if (a.created) {
        const id = storyIdFromKey(`story:${article.id}`);
        this.storyIds[a.story] = id;
        batch.stories.push({ id, label });
        batch.events.push({ type: 'story.created', id });
      }
      // the story the article joined: a split below may move it on to a new story
      const joined = a.splits.find((sp) => sp.ids.includes(article.id))?.from ?? a.story;
      if (!a.created) batch.events.push({ type: 'story.changed', id: this.storyIds[joined]! });
      batch.memberships.push({ article: article.id, story: this.storyIds[joined]!, similarity: a.similarity });
      for (const m of a.merged) batch.storyMerges.push({ from: this.storyIds[m]!, into: this.storyIds[joined]! });
      // split repair: the moved articles (this one among them, perhaps) go to a new story,
      // keyed by the first of them and the story's index (an article can start a story,
      // see it merged away, and be moved again: the key must not meet a deleted id); the
      // story they left is upserted so its counts are redone
      for (const sp of a.splits) {
        const id = storyIdFromKey(`story:${sp.ids[0]!}:${sp.story}`);
        this.storyIds[sp.story] = id;
        const from = this.storyIds[sp.from]!;
        batch.stories.push({ id, label: this.clusterer.labelOf(sp.story) }, { id: from, label: this.clusterer.labelOf(sp.from) });
        batch.events.push({ type: 'story.created', id }, { type: 'story.changed', id: from });
        for (const moved of sp.ids) batch.memberships.push({ article: moved as ArticleId, story: id, similarity: 0 });
      }
    }
    if (touched) {
      const data = new TextEncoder().encode(JSON.stringify({ clusterer: this.clusterer.toState(), storyIds: this.storyIds }));
      batch.states.push({ key: KEY, formatVersion: CLUSTER_FORMAT_VERSION, data });
    }
  }
}

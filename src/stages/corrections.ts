import type { ArticleId, StoryId } from '../domain/ids.js';
import type { PendingBatch, StageRunner } from './stage.js';
import type { Correction, CorrectionResult, LoggedCorrection } from '../cluster/correction.js';
import { createError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { OnlineClusterer } from '../cluster/online.js';
import { explainStory, type StoryWhy } from '../cluster/why.js';
import { OutletLines } from '../cluster/boilerplate.js';
import { DEFAULT_CLUSTER_PARAMS } from '../cluster/online.js';
import { z } from 'zod';

export const CORRECTIONS_KEY = 'cluster.corrections';
/** The cluster stage's state key (cluster.ts reads it from here). */
export const CLUSTER_STATE_KEY = 'cluster';
const LOG_FORMAT = 1;

/** The corrections made so far, oldest first. */
export async function correctionLog(store: Store): Promise<LoggedCorrection[]> {
  const saved = await store.states.get(CORRECTIONS_KEY);
  if (!saved) return [];
  if (saved.formatVersion !== LOG_FORMAT)
    throw createError('FORMAT_VERSION', `cluster: the store holds a corrections log of format ${saved.formatVersion}; this Parallax reads ${LOG_FORMAT}`, { subject: CORRECTIONS_KEY });
  return JSON.parse(new TextDecoder().decode(saved.data)) as LoggedCorrection[];
}

/** What a stage that takes corrections offers (the clustering stage). */
export interface CorrectableStage {
  correct(c: Correction, batch: PendingBatch, store: Store): Promise<CorrectionResult>;
}

/**
 * Applies a correction through the engine: the stored memberships change, the clusterer's
 * stories change with them (so later articles follow the correction; see
 * OnlineClusterer.correctMove) and its state is saved in the same transaction, and the
 * correction is logged. UNKNOWN_ID for a story or article that is not stored; INVALID_FIELD for
 * a correction that would change nothing or empty a story by a split.
 */
export async function applyCorrection(engine: StageRunner, c: Correction): Promise<CorrectionResult> {
  return engine.withStage('cluster', async (stage, batch) => {
    const result = await (stage as unknown as CorrectableStage).correct(c, batch, engine.store);
    const log = await correctionLog(engine.store);
    log.push({ seq: log.length + 1, at: new Date().toISOString(), correction: c, result });
    batch.states.push({ key: CORRECTIONS_KEY, formatVersion: LOG_FORMAT, data: new TextEncoder().encode(JSON.stringify(log)) });
    return result;
  });
}

/** Checks a correction against the store; returns the stories and articles it names. */
export async function checkCorrection(c: Correction, store: Store): Promise<{ from: StoryId; articles: ArticleId[]; to: StoryId | null }> {
  const story = async (id: StoryId, field: string) => {
    const s = await store.stories.get(id);
    if (!s) throw createError('UNKNOWN_ID', `${field}: no story with id ${id}`, { subject: field });
    return s;
  };
  if (c.kind === 'merge') {
    const from = await story(c.story, 'story');
    await story(c.into, 'into');
    if (c.story === c.into) throw createError('INVALID_FIELD', `into: a story cannot be merged into itself (${c.into})`, { subject: 'into' });
    return { from: from.id, articles: from.members.map((m) => m.id), to: c.into };
  }
  if (c.kind === 'split') {
    const s = await story(c.story, 'story');
    if (c.articles.length === 0) throw createError('INVALID_FIELD', 'articles: name at least one article to split off', { subject: 'articles' });
    const held = new Set<string>(s.members.map((m) => m.id));
    for (const a of c.articles) if (!held.has(a)) throw createError('INVALID_FIELD', `articles: article ${a} is not in story ${c.story}`, { subject: 'articles' });
    const articles = [...new Set(c.articles)];
    if (articles.length >= s.size) throw createError('INVALID_FIELD', `articles: a split must leave story ${c.story} at least one article (it has ${s.size})`, { subject: 'articles' });
    return { from: s.id, articles, to: null };
  }
  if (!(await store.getArticle(c.article))) throw createError('UNKNOWN_ID', `article: no article with id ${c.article}`, { subject: 'article' });
  const from = await store.stories.storyOf(c.article);
  if (!from) throw createError('INVALID_FIELD', `article: article ${c.article} is in no story yet`, { subject: 'article' });
  if (c.to !== null) {
    await story(c.to, 'to');
    if (c.to === from) throw createError('INVALID_FIELD', `to: article ${c.article} is already in story ${c.to}`, { subject: 'to' });
  } else {
    const s = await story(from, 'story');
    if (s.size === 1) throw createError('INVALID_FIELD', `to: article ${c.article} is alone in its story already`, { subject: 'to' });
  }
  return { from, articles: [c.article], to: c.to };
}

export type { OnlineClusterer };
export type { Correction, CorrectionResult, LoggedCorrection };

/** The evidence for each member of a stored story (see explainStory); null for an unknown story. */
export async function loadStoryWhy(store: Store, id: StoryId): Promise<StoryWhy | null> {
  const story = await store.stories.get(id);
  if (!story) return null;
  const articles = await store.getArticles(story.members.map((m) => m.id));
  const byId = new Map(articles.map((a) => [a.id, a]));
  return explainStory(
    id,
    story.members.map((m) => byId.get(m.id)!).filter((a) => a !== undefined),
    await correctionLog(store),
    DEFAULT_CLUSTER_PARAMS,
    await savedOutletLines(store),
  );
}

const savedLinesSchema = z.object({ clusterer: z.object({ lines: z.unknown().optional() }).passthrough() }).passthrough();

/**
 * The outlets' boilerplate as the cluster stage last saved it (stage state `cluster`); null when
 * nothing was saved, or the state predates it. What it knows now is what the why evidence
 * leaves out: at least what the clusterer left out when each article arrived.
 */
async function savedOutletLines(store: Store): Promise<OutletLines | null> {
  const saved = await store.states.get(CLUSTER_STATE_KEY);
  if (!saved) return null;
  const lines = savedLinesSchema.parse(JSON.parse(new TextDecoder().decode(saved.data))).clusterer.lines;
  return lines === undefined ? null : OutletLines.fromState(lines);
}

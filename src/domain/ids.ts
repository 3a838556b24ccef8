import { hash } from 'node:crypto';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** An article id: `a` + 16 hex digits of SHA-256 over the article's identity key. */
export type ArticleId = Brand<string, 'ArticleId'>;
/** A story id: `s` + 16 hex digits. */
export type StoryId = Brand<string, 'StoryId'>;

const ARTICLE_ID = /^a[0-9a-f]{16}$/;
const STORY_ID = /^s[0-9a-f]{16}$/;

export function sha256Hex(text: string): string {
  // the one-shot hash: for keys this short, making a Hash object per call costs more than hashing
  return hash('sha256', text, 'hex');
}

export function articleIdFromKey(identityKey: string): ArticleId {
  return `a${sha256Hex(identityKey).slice(0, 16)}` as ArticleId;
}

/**
 * Where a story came from, which is all its id is made of (see storyIdOf): never a position in
 * a list, so that the same stream gives the same ids in every process, before and after a
 * restart, whatever else the clusterer holds.
 */
export type StoryOrigin =
  /** started by article `article` (an article starts at most one story) */
  | { readonly kind: 'started'; readonly article: string }
  /**
   * split off by split repair at the clusterer's arrival `arrival` (1-based, at most one split
   * an arrival), `article` its first article: an article can start a story, see it merged away
   * and be split off again, so the article alone could meet an id the store has merged away
   */
  | { readonly kind: 'split'; readonly article: string; readonly arrival: number }
  /** made by an analyst's correction, `seq` its place in the correction log, `article` its first article */
  | { readonly kind: 'corrected'; readonly article: string; readonly seq: number }
  /**
   * split off as the releases before 2026-12-05 named it: by its first article and the
   * clusterer's story index. Only to replay what such a release stored after its last saved
   * state, so that the replayed stories have the ids it stored (ClusterStage.open)
   */
  | { readonly kind: 'split-by-index'; readonly article: string; readonly index: number };

/**
 * The id of a story: the one place a StoryId is made. `s` + 16 hex digits of SHA-256 over a
 * key of the story's origin. The keys of a started story and of a correction's are those of
 * the releases before this function, so stored ids stay what they were; a split-off's key
 * names the arrival, not the clusterer's story index its key named before.
 */
export function storyIdOf(origin: StoryOrigin): StoryId {
  const key =
    origin.kind === 'started'
      ? `story:${origin.article}`
      : origin.kind === 'split'
        ? `story:${origin.article}:split:${origin.arrival}`
        : origin.kind === 'corrected'
          ? `story:${origin.article}:correction:${origin.seq}`
          : `story:${origin.article}:${origin.index}`;
  return `s${sha256Hex(key).slice(0, 16)}` as StoryId;
}

export function isArticleId(s: string): s is ArticleId {
  return ARTICLE_ID.test(s);
}

export function isStoryId(s: string): s is StoryId {
  return STORY_ID.test(s);
}

/** Parses an untrusted string into an ArticleId, or null when it is not of that form. */
export function parseArticleId(s: string): ArticleId | null {
  return isArticleId(s) ? s : null;
}

export function parseStoryId(s: string): StoryId | null {
  return isStoryId(s) ? s : null;
}

import { createHash } from 'node:crypto';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** An article id: `a` + 16 hex digits of SHA-256 over the article's identity key. */
export type ArticleId = Brand<string, 'ArticleId'>;
/** A story id: `s` + 16 hex digits. */
export type StoryId = Brand<string, 'StoryId'>;

const ARTICLE_ID = /^a[0-9a-f]{16}$/;
const STORY_ID = /^s[0-9a-f]{16}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function articleIdFromKey(identityKey: string): ArticleId {
  return `a${sha256Hex(identityKey).slice(0, 16)}` as ArticleId;
}

export function storyIdFromKey(key: string): StoryId {
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

import { readFileSync } from 'node:fs';
import type { Article } from '../src/domain/article.js';
import { buildArticle, readText } from '../src/ingest/index.js';
import { articleFrom } from './helpers/articles.js';
import { ECBPLUS, SEED_A, SEED_B } from './helpers/paths.js';

/** The seed pair, read the way ingest reads text files (the MENAFN header line is stripped). */
export function seedPair(): [Article, Article] {
  const read = (path: string): Article => buildArticle(readText(readFileSync(path, 'utf8'), { source: path, fetchedAt: '2026-11-25T00:00:00.000Z' }));
  return [read(SEED_A), read(SEED_B)];
}

export interface EcbRow {
  id: string;
  topic: number;
  story: string;
  text: string;
}

let rows: EcbRow[] | null = null;
export function ecbRows(): EcbRow[] {
  rows ??= readFileSync(ECBPLUS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EcbRow);
  return rows;
}

/** The articles of one ECB+ gold story, built as ingest would. */
export function ecbStory(story: string): Article[] {
  return ecbRows()
    .filter((r) => r.story === story)
    .map((r) => articleFrom(r.text, { source: `ecbplus:${r.id}` }));
}

export function sentence(a: Article, i: number): string {
  const s = a.sentences[i]!;
  return a.text.slice(s.start, s.end);
}

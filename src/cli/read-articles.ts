import type { Article } from '../domain/article.js';
import { buildArticle } from '../ingest/build.js';
import { type ReadOptions, readInputs } from '../ingest/read.js';
import type { Io } from './context.js';
import { OutletNames } from '../ingest/outlets.js';
import { userOutlets } from './outlets.js';

/**
 * Reads inputs into articles for the stateless commands (cluster, dupes, compare): the same
 * readers and the same article building as ingest, with each failed input reported on
 * stderr by name and counted, and the rest kept.
 */
export async function readArticles(inputs: readonly string[], io: Io, options: Partial<ReadOptions> = {}): Promise<{ articles: Article[]; failed: number }> {
  const articles: Article[] = [];
  let failed = 0;
  const outlets = new OutletNames(undefined, userOutlets(io));
  for await (const item of readInputs(inputs, options)) {
    if (!item.ok) {
      failed++;
      io.err(`parallax: ${item.error.message}\n`);
      continue;
    }
    try {
      articles.push(buildArticle(item.draft, { outlets }));
    } catch (e) {
      failed++;
      io.err(`parallax: ${(e as Error).message}\n`);
    }
  }
  return { articles, failed };
}

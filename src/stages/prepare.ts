import { clusterInputOf, extractFeatures, type Features } from '../cluster/features.js';
import { sketchText, type PrintSketch } from '../dedup/prints.js';
import { paramsKey, type DedupParams } from '../dedup/signature.js';
import type { Article } from '../domain/article.js';
import { identityKey } from '../domain/identity.js';
import { buildArticle } from '../ingest/build.js';
import type { Draft } from '../ingest/draft.js';
import { leanArticle, reprintInput, type ReprintInput } from '../ingest/lean.js';
import type { OutletNames } from '../ingest/outlets.js';

/**
 * Preparation: the per-article work that needs nothing but the article, done before the
 * sequential part of the pipeline (identity, stages, storage): building the article and the
 * analyses of its text that the stages read (clustering features, the reprint sketch). Each
 * text is analysed here once; the stages take the results from ChangedArticle.analysis.
 * Pure, the same in a worker thread (engine/prepare.ts) and in the engine's thread.
 */

/** What the selected stages ask of each article. */
export interface Wants {
  /**
   * Build lean articles (ingest/lean.ts): only text, id and the input's own fields, the rest
   * read on first use. For a pipeline of stages that read no more, over a store not kept.
   */
  readonly lean: boolean;
  /** extract clustering features ahead */
  readonly features: boolean;
  /** sketch the text for reprint detection ahead, with these parameters */
  readonly print: DedupParams | null;
}

/** The analyses of an article's text made ahead, for the stages. */
export interface Analysis {
  readonly features?: Features;
  readonly print?: PrintSketch;
}

export interface Prepared {
  readonly article: Article;
  /** its identity key (domain/identity.ts) */
  readonly key: string;
  readonly analysis: Analysis;
}

/** A prepared article as it crosses from a worker thread (a lean article is rebuilt on this side: its fields are read lazily). */
export type PreparedWire =
  | { readonly kind: 'article'; readonly article: Article; readonly key: string; readonly analysis: Analysis }
  | { readonly kind: 'lean'; readonly input: ReprintInput; readonly analysis: Analysis };

/** The pure work for one draft. */
export function prepareWire(draft: Draft, wants: Wants, outlets?: OutletNames): PreparedWire {
  if (wants.lean) {
    const input = reprintInput(draft);
    return { kind: 'lean', input, analysis: wants.print ? { print: sketchText(input.text, wants.print, paramsKey(wants.print)) } : {} };
  }
  const article = buildArticle(draft, outlets ? { outlets } : {});
  const analysis: { features?: Features; print?: PrintSketch } = {};
  if (wants.features) analysis.features = extractFeatures(clusterInputOf(article));
  if (wants.print) analysis.print = sketchText(article.text, wants.print, paramsKey(wants.print));
  return { kind: 'article', article, key: identityKey(article), analysis };
}

export function fromWire(w: PreparedWire): Prepared {
  return w.kind === 'article' ? { article: w.article, key: w.key, analysis: w.analysis } : { article: leanArticle(w.input), key: w.input.key, analysis: w.analysis };
}

export function prepareDraft(draft: Draft, wants: Wants, outlets?: OutletNames): Prepared {
  return fromWire(prepareWire(draft, wants, outlets));
}

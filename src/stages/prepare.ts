import { clusterInputOf, extractFeatures, featuresAnalysis, type Features } from '../cluster/features.js';
import { sketchText, sketchTokens, type PrintSketch } from '../dedup/prints.js';
import { paramsKey, type DedupParams } from '../dedup/signature.js';
import type { Article } from '../domain/article.js';
import { identityKey } from '../domain/identity.js';
import { buildArticle } from '../ingest/build.js';
import type { Draft } from '../ingest/draft.js';
import { jsonlLineItem, type JsonlChunk } from '../ingest/read.js';
import { leanArticle, reprintInput, type ReprintInput } from '../ingest/lean.js';
import type { OutletNames } from '../ingest/outlets.js';
import { keptAnalysis, tokensFrom, type KeptAnalysis } from '../text/analyse.js';

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
  /**
   * The text's analysis the features were made from (featuresAnalysis, without its token
   * objects: keptAnalysis), where it is at hand: made in this thread (not from a worker thread:
   * it is larger than the text), for what a stage reads of the text besides (the clusterer: the
   * text without its outlet's boilerplate).
   */
  readonly text?: KeptAnalysis;
}

export interface Prepared {
  readonly article: Article;
  /** its identity key (domain/identity.ts) */
  readonly key: string;
  readonly analysis: Analysis;
}

/** A prepared article as it crosses from a worker thread (a lean article is rebuilt on this side: its fields are read lazily). */
export type PreparedWire =
  { readonly kind: 'article'; readonly article: Article; readonly key: string; readonly analysis: Analysis } | { readonly kind: 'lean'; readonly input: ReprintInput; readonly analysis: Analysis };

/** The pure work for one draft. */
export function prepareWire(draft: Draft, wants: Wants, outlets?: OutletNames): PreparedWire {
  if (wants.lean) {
    const input = reprintInput(draft);
    // title, date and credits are read from the text on first use: for the related articles
    // only, over a store that keeps articles as given (MemoryStoreOptions.asGiven)
    return { kind: 'lean', input, analysis: wants.print ? { print: sketchText(input.text, wants.print, paramsKey(wants.print)) } : {} };
  }
  const article = buildArticle(draft, outlets ? { outlets } : {});
  return { kind: 'article', article, key: identityKey(article), analysis: analyseArticle(article, wants) };
}

/**
 * The analyses `wants` asks for that `given` lacks, from one analysis of the text (tokens;
 * the sentences are those stored, split once when it was built): the sketch reads the text's
 * tokens from the features' analysis, which holds them after the headline when the text
 * does not open with it. The engine calls it for the new articles of a batch when nothing
 * was made ahead (engine.ts), so a text is analysed once, in a worker thread or not.
 * `keepText`: keep the text's analysis too (Analysis.text), in the thread that uses it.
 */
export function analyseArticle(article: Article, wants: Pick<Wants, 'features' | 'print'>, given: Analysis = {}, keepText = false): Analysis {
  const key = wants.print ? paramsKey(wants.print) : null;
  const needFeatures = wants.features && !given.features;
  const needPrint = wants.print !== null && given.print?.params !== key;
  if (!needFeatures && !needPrint) return given;
  const analysis: { features?: Features; print?: PrintSketch; text?: KeptAnalysis } = { ...given };
  const input = needFeatures ? clusterInputOf(article) : null;
  const an = input ? featuresAnalysis(input) : null;
  if (input && an) analysis.features = extractFeatures(input, an);
  if (an && keepText) analysis.text = keptAnalysis(an);
  if (needPrint && wants.print && key !== null) {
    analysis.print = an ? sketchTokens(article.text, tokensFrom(an, an.text.length - article.text.length), wants.print, key) : sketchText(article.text, wants.print, key);
  }
  return analysis;
}

export function fromWire(w: PreparedWire): Prepared {
  return w.kind === 'article' ? { article: w.article, key: w.key, analysis: w.analysis } : { article: leanArticle(w.input), key: w.input.key, analysis: w.analysis };
}

export function prepareDraft(draft: Draft, wants: Wants, outlets?: OutletNames): Prepared {
  return fromWire(prepareWire(draft, wants, outlets));
}

/**
 * A unit of input for a lean pipeline (a store not kept, stages that read only text and
 * dates): a chunk of raw JSON Lines lines, decoded, parsed and prepared here line by line as
 * readInputs and prepareWire would, or drafts read already (pages, feeds, text files). Handed
 * to a worker thread whole, so that a large file is read, parsed and sketched on every core.
 */
export type LeanUnit = { readonly kind: 'jsonl'; readonly chunk: JsonlChunk } | { readonly kind: 'drafts'; readonly drafts: readonly { readonly draft: Draft; readonly bytes: number | undefined }[] };

type LeanWire = Extract<PreparedWire, { kind: 'lean' }>;

/** One input's outcome, in input order; `warning` is what reading its line reported (ReadOptions.onWarning: source, message). */
export type LeanEntry =
  | { readonly ok: true; readonly wire: LeanWire; readonly bytes: number | undefined; readonly warning?: readonly [string, string] }
  | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined; readonly warning?: readonly [string, string] }
  | { readonly ok: null; readonly warning: readonly [string, string] };

export interface LeanResult {
  readonly entries: LeanEntry[];
  /** JSON Lines records in the unit (lines that were not blank): a file with none is a failure */
  readonly records: number;
}

function leanEntry(draft: Draft, bytes: number | undefined, wants: Wants): LeanEntry {
  try {
    return { ok: true, wire: prepareWire(draft, wants) as LeanWire, bytes };
  } catch (e) {
    return { ok: false, source: draft.source, error: e, bytes };
  }
}

/** The pure work for one lean unit (wants.lean must be set). */
export function prepareLeanUnit(unit: LeanUnit, wants: Wants): LeanResult {
  const entries: LeanEntry[] = [];
  if (unit.kind === 'drafts') {
    for (const d of unit.drafts) entries.push(leanEntry(d.draft, d.bytes, wants));
    return { entries, records: 0 };
  }
  const { firstLine, path, fetchedAt } = unit.chunk;
  // a Buffer over the chunk: its indexOf is memchr, a typed array's goes element by element
  const bytes = Buffer.from(unit.chunk.bytes.buffer, unit.chunk.bytes.byteOffset, unit.chunk.bytes.length);
  let records = 0;
  let lineNo = firstLine;
  for (let start = 0; start < bytes.length; lineNo++) {
    let nl = bytes.indexOf(10, start);
    const lineBytes = nl < 0 ? bytes.length - start : nl - start + 1;
    if (nl < 0) nl = bytes.length;
    const { item, warning } = jsonlLineItem(bytes.subarray(start, nl), lineNo, lineBytes, path, fetchedAt);
    start = nl + 1;
    const w = warning !== undefined ? { warning: [`${path}:${lineNo}`, warning] as const } : {};
    if (item === null) {
      if (w.warning) entries.push({ ok: null, warning: w.warning });
      continue;
    }
    records++;
    const entry: LeanEntry = item.ok ? leanEntry(item.draft, item.bytes, wants) : { ok: false, source: item.source, error: item.error, bytes: item.bytes };
    entries.push(w.warning ? { ...entry, ...w } : entry);
  }
  return { entries, records };
}

import { basename } from 'node:path';
import type { Article } from '../domain/article.js';
import { createError } from '../errors.js';
import { type AlignDocument, type AlignOptions, type Alignment, alignSentences } from '../align/align.js';
import type { IdfTable } from '../align/idf.js';
import { DEFAULT_MODEL, type ScoreModel, scorePair } from '../align/score.js';
import { vectorizeSentences } from '../align/vectorize.js';
import { speakerKey } from '../claims/attribution.js';
import { type Conflict, type LocatedFigure, findConflicts } from '../claims/conflicts.js';
import { extractClaims } from '../claims/extract.js';
import { selectBrief } from './brief.js';
import type { PreparedArticle } from './prepared.js';
import { COMPARISON_VERSION, type Comparison, type ComparisonArticle } from '../contract/comparison.js';
import { articleIds } from '../domain/input-id.js';

export type { PreparedArticle } from './prepared.js';

export interface CompareOptions {
  readonly idf?: IdfTable;
  readonly model?: ScoreModel;
  readonly align?: Omit<AlignOptions, 'model'>;
  /** most brief sentences (3-8) */
  readonly briefMax?: number;
}

function label(a: Article): string {
  const m = a.meta;
  return m.outlet?.value ?? m.credits[0]?.value ?? m.syndicator?.value ?? a.title?.slice(0, 40) ?? a.externalId ?? basename(a.source);
}

/** Short, distinct labels: the same outlet twice becomes "Reuters (2)". */
function labels(articles: readonly Article[]): string[] {
  const seen = new Map<string, number>();
  return articles.map((a) => {
    const l = label(a);
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/**
 * Compares the articles of one story: aligned facts, what each source adds, quotes with
 * speakers matched across sources, attributed figures, conflicting figures and an
 * extractive brief. Pure and synchronous; the caller reads and builds the articles.
 */
export function compareArticles(input: readonly Article[], options: CompareOptions = {}): Comparison {
  if (input.length === 0) throw createError('USAGE', 'compare: expected at least one article, found none', { subject: 'articles' });
  const model = options.model ?? DEFAULT_MODEL;
  const warnings: string[] = [];
  // the same article given twice would align with itself
  const seen = new Set<string>();
  const articles: Article[] = [];
  for (const a of input) {
    if (seen.has(a.id)) {
      warnings.push(`article ${a.id} (${a.source}) was given more than once; compared once`);
      continue;
    }
    seen.add(a.id);
    articles.push(a);
  }
  const vopts = options.idf ? { idf: options.idf } : {};
  const prepared: PreparedArticle[] = articles.map((article) => {
    const texts = article.sentences.map((s) => article.text.slice(s.start, s.end));
    return { article, texts, vectors: vectorizeSentences(article.text, article.sentences, vopts), claims: extractClaims(texts, { published: article.meta.published?.value ?? null }) };
  });

  if (articles.length === 1) warnings.push('only one article: nothing to compare it with, so every sentence is listed as unique');
  for (const p of prepared) if (p.texts.length === 0) warnings.push(`article ${p.article.id} (${p.article.source}) has no text`);
  const languages = new Map<string, number>();
  for (const a of articles) {
    const l = a.meta.language.value;
    if (l !== 'und') languages.set(l, (languages.get(l) ?? 0) + 1);
  }
  if (languages.size > 1) {
    const list = [...languages].map(([l, n]) => `${l}: ${n}`).join(', ');
    warnings.push(`articles are in different languages (${list}); only articles in the same language are aligned`);
  }

  const docs: AlignDocument[] = prepared.map((p) => ({ vectors: p.vectors, texts: p.texts, language: p.article.meta.language.value }));
  const alignment = alignSentences(docs, { ...options.align, model });
  const ids = articles.map((a) => a.id as string);
  const tags = labels(articles);

  const comparisonArticles: ComparisonArticle[] = articles.map((a, i) => ({
    id: a.id,
    ...articleIds(a),
    title: a.title,
    outlet: a.meta.outlet?.value ?? null,
    published: a.meta.published?.value ?? null,
    credits: a.meta.credits.map((c) => c.value),
    source: a.source,
    language: a.meta.language.value,
    label: tags[i]!,
  }));
  const sentences = prepared.flatMap((p, d) => p.texts.map((text, index) => ({ article: ids[d]!, index, text })));
  const facts = alignment.facts.map((f) => ({
    sentences: f.sentences.map((s) => ({ article: ids[s.article]!, index: s.index })),
    relation: f.relation,
    score: round(f.score),
    articles: f.articles,
  }));
  const unique: Record<string, number[]> = {};
  alignment.unique.forEach((list, d) => (unique[ids[d]!] = [...list]));

  const quotes = matchQuotes(prepared, ids, model, vopts);
  const figures = prepared.flatMap((p, d) =>
    p.claims.figures.map((f) => ({
      article: ids[d]!,
      index: f.index,
      value: f.value,
      unit: f.unit,
      kind: f.kind,
      measure: f.measure,
      qualifier: f.qualifier,
      attribution: f.attribution,
      text: f.text,
    })),
  );
  const conflicts = conflictsOf(prepared, alignment, model).map((c) => ({
    measure: c.measure,
    unit: c.unit,
    values: c.values.map((v) => ({ article: ids[v.article]!, index: v.index, value: v.figure.value, qualifier: v.figure.qualifier, attribution: v.figure.attribution })),
  }));
  const brief = selectBrief(prepared, alignment, { max: options.briefMax ?? 8, model }).map((b) => ({
    article: ids[b.article]!,
    index: b.index,
    text: prepared[b.article]!.texts[b.index]!,
    sources: b.sources.map((s) => ids[s]!),
  }));
  return { version: COMPARISON_VERSION, articles: comparisonArticles, sentences, facts, unique, quotes, figures, conflicts, brief, warnings };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Quotes matched across sources by the pair scorer, whether or not each source prints
 * them in quote marks: each article's quotes and reported clauses are aligned like
 * sentences; a group counts as a quote when at least one member is a quote (marked, or
 * first-person speech), so a reporter's own summary attributed to someone is not one.
 */
function matchQuotes(prepared: readonly PreparedArticle[], ids: readonly string[], model: ScoreModel, vopts: { idf?: IdfTable }): Comparison['quotes'] {
  interface Item {
    article: number;
    index: number;
    text: string;
    speaker: string | null;
    marked: boolean;
    isQuote: boolean;
  }
  const perDoc: Item[][] = prepared.map((p, d) => {
    const items: Item[] = p.claims.quotes.map((q) => ({ article: d, index: q.index, text: q.text, speaker: q.speaker, marked: q.marked, isQuote: true }));
    for (const r of p.claims.reported) {
      if (items.some((q) => q.index === r.index)) continue;
      items.push({ article: d, index: r.index, text: r.text, speaker: r.speaker, marked: false, isQuote: false });
    }
    return items;
  });
  const docs: AlignDocument[] = perDoc.map((items, d) => {
    const text = items.map((q) => q.text).join('\n');
    let at = 0;
    const spans = items.map((q) => {
      const s = { start: at, end: at + q.text.length };
      at += q.text.length + 1;
      return s;
    });
    return { vectors: vectorizeSentences(text, spans, vopts), language: prepared[d]!.article.meta.language.value };
  });
  // quotes are matched strictly: the same words, give or take punctuation and tense
  const alignment = alignSentences(docs, { model, partialThreshold: model.sameThreshold, partialCover: 0.8 });
  const groups: Item[][] = alignment.facts.map((f) => f.sentences.map((s) => perDoc[s.article]![s.index]!));
  alignment.unique.forEach((list, d) => list.forEach((i) => groups.push([perDoc[d]![i]!])));
  const out: Comparison['quotes'] = [];
  for (const g of groups) {
    if (!g.some((q) => q.isQuote)) continue;
    g.sort((a, b) => a.article - b.article || a.index - b.index);
    const display = g.find((q) => q.marked) ?? g.find((q) => q.isQuote) ?? g[0]!;
    // the speaker most sources name, in the words of the first source naming it
    const votes = new Map<string, { n: number; form: string }>();
    for (const q of g) {
      if (!q.speaker) continue;
      const k = speakerKey(q.speaker);
      const v = votes.get(k);
      if (v) v.n++;
      else votes.set(k, { n: 1, form: q.speaker.replace(/^(The|A|An)\b/, (w) => w.toLowerCase()) });
    }
    let speaker: string | null = null;
    let best = 0;
    for (const v of votes.values()) if (v.n > best) ({ n: best, form: speaker } = v);
    out.push({
      text: display.text,
      speaker,
      occurrences: g.map((q) => ({ article: ids[q.article]!, index: q.index, marked: q.marked, speaker: q.speaker })),
    });
  }
  out.sort((a, b) => ids.indexOf(a.occurrences[0]!.article) - ids.indexOf(b.occurrences[0]!.article) || a.occurrences[0]!.index - b.occurrences[0]!.index);
  return out;
}

/** How far apart two reports may be published and still count the same thing at comparable times. */
const COMPARABLE_MS = 2 * 86_400_000;

/**
 * Whether two articles can disagree: different sources (not one outlet's update of its own
 * report) writing at comparable times (a count two days later may have grown: a victim died).
 */
function comparableSources(a: Article, b: Article): boolean {
  const oa = a.meta.outlet?.value.toLowerCase();
  const ob = b.meta.outlet?.value.toLowerCase();
  if (oa !== undefined && oa === ob) return false;
  const pa = a.meta.published ? Date.parse(a.meta.published.value) : Number.NaN;
  const pb = b.meta.published ? Date.parse(b.meta.published.value) : Number.NaN;
  return Number.isNaN(pa) || Number.isNaN(pb) || Math.abs(pa - pb) <= COMPARABLE_MS;
}

/** Conflicts between figures whose sentences say the same thing (one fact, or similar enough). */
function conflictsOf(prepared: readonly PreparedArticle[], alignment: Alignment, model: ScoreModel): Conflict[] {
  const factOf = new Map<string, number>();
  alignment.facts.forEach((f, i) => f.sentences.forEach((s) => factOf.set(`${s.article}:${s.index}`, i)));
  const located: LocatedFigure[] = prepared.flatMap((p, d) => p.claims.figures.map((figure) => ({ figure, article: d, index: figure.index })));
  return findConflicts(located, (a, b) => {
    if (!comparableSources(prepared[a.article]!.article, prepared[b.article]!.article)) return false;
    const fa = factOf.get(`${a.article}:${a.index}`);
    if (fa !== undefined && fa === factOf.get(`${b.article}:${b.index}`)) return true;
    const va = prepared[a.article]!.vectors[a.index];
    const vb = prepared[b.article]!.vectors[b.index];
    // the sentences must say the same thing, numbers apart (the scorer already discounts a
    // number conflict, so a true conflict still passes)
    return va !== undefined && vb !== undefined && scorePair(va, vb, model) >= model.sameThreshold;
  });
}

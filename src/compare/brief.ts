import type { Alignment } from '../align/align.js';
import { DEFAULT_MODEL, type ScoreModel, scorePair } from '../align/score.js';
import type { PreparedArticle } from './prepared.js';

export interface BriefItem {
  readonly article: number;
  readonly index: number;
  /** documents reporting it */
  readonly sources: readonly number[];
}

const MIN_WORDS = 6;
const MAX_WORDS = 60;
const MIN_ITEMS = 3;

function words(t: string): number {
  return t.split(/\s+/).filter(Boolean).length;
}

/**
 * An extractive brief: sentences copied from the articles, never written. Facts are
 * ranked by how many sources report them (then by how well they agree); each fact is
 * represented by its most central sentence (highest summed similarity to the others, the
 * shorter on ties); the chosen sentences are put in story order (mean relative position).
 * With fewer than three shared facts (one article, or sources that share little), the
 * lead sentences of the best-covered article fill in.
 */
export function selectBrief(prepared: readonly PreparedArticle[], alignment: Alignment, options: { max: number; model?: ScoreModel }): BriefItem[] {
  const model = options.model ?? DEFAULT_MODEL;
  const max = Math.max(MIN_ITEMS, Math.min(8, options.max));
  const textOf = (a: number, i: number): string => prepared[a]!.texts[i] ?? '';
  const ranked = alignment.facts
    .filter((f) => f.articles >= 2)
    .map((f) => {
      const members = f.sentences.filter((s) => {
        const n = words(textOf(s.article, s.index));
        return n >= MIN_WORDS && n <= MAX_WORDS;
      });
      const position = f.sentences.reduce((sum, s) => sum + s.index / Math.max(1, prepared[s.article]!.texts.length), 0) / f.sentences.length;
      return { f, members, position };
    })
    .filter((x) => x.members.length > 0)
    .sort((x, y) => y.f.articles - x.f.articles || y.f.score - x.f.score || x.position - y.position);

  const chosen: Array<BriefItem & { position: number }> = [];
  for (const { f, members, position } of ranked.slice(0, max)) {
    // a split fact has two sentences from one article; the brief wants a whole sentence
    const sample = members.slice(0, 30);
    let best = sample[0]!;
    let bestScore = -1;
    for (const m of sample) {
      const v = prepared[m.article]!.vectors[m.index]!;
      let sum = 0;
      for (const o of sample) if (o !== m) sum += scorePair(v, prepared[o.article]!.vectors[o.index]!, model);
      const better = sum > bestScore + 1e-9 || (Math.abs(sum - bestScore) <= 1e-9 && textOf(m.article, m.index).length < textOf(best.article, best.index).length);
      if (better) {
        best = m;
        bestScore = sum;
      }
    }
    chosen.push({ article: best.article, index: best.index, sources: [...new Set(f.sentences.map((s) => s.article))].sort((a, b) => a - b), position });
  }
  if (chosen.length < MIN_ITEMS) {
    // lead sentences of the article with the most facts (the first on ties)
    const count = prepared.map(() => 0);
    for (const f of alignment.facts) for (const s of new Set(f.sentences.map((x) => x.article))) count[s]!++;
    let lead = 0;
    for (let d = 1; d < prepared.length; d++) if (count[d]! > count[lead]!) lead = d;
    const texts = prepared[lead]?.texts ?? [];
    for (let i = 0; i < texts.length && chosen.length < MIN_ITEMS; i++) {
      const n = words(texts[i]!);
      if (n < MIN_WORDS || n > MAX_WORDS || chosen.some((c) => c.article === lead && c.index === i)) continue;
      // skip sentences already represented through a fact
      if (alignment.facts.some((f) => chosen.some((c) => f.sentences.some((s) => s.article === c.article && s.index === c.index)) && f.sentences.some((s) => s.article === lead && s.index === i)))
        continue;
      chosen.push({ article: lead, index: i, sources: [lead], position: i / Math.max(1, texts.length) });
    }
  }
  chosen.sort((x, y) => x.position - y.position);
  return chosen.map(({ article, index, sources }) => ({ article, index, sources }));
}

import type { Figure } from './figures.js';

/**
 * Conflicting figures: the same measure (what is counted, with its time scope) given
 * different values by different sources. Two figures are only compared when
 * they speak of the same thing: the caller says so through `related` (their sentences
 * are aligned, or similar enough), because "22 killed" in one strike and "104 killed" in
 * a day are both `killed` but not in conflict. Hedged values agree with larger ones
 * ("at least 22" and "25"; "more than 100" and "105").
 */
export interface LocatedFigure {
  readonly figure: Figure;
  readonly article: number;
  readonly index: number;
}

export interface Conflict {
  readonly measure: string;
  readonly unit: string | null;
  readonly values: readonly LocatedFigure[];
}

const LOWER_BOUND = /^(at least|more than|over|some|an estimated)$/;
const UPPER_BOUND = /^(nearly|almost|up to|fewer than|less than)$/;
const APPROX = /^(about|around|roughly|some|an estimated)$/;

/** Whether two values of one measure can both be true. */
export function compatible(a: Figure, b: Figure): boolean {
  if (a.value === b.value) return true;
  if (typeof a.value !== 'number' || typeof b.value !== 'number') return false;
  const [lo, hi] = a.value < b.value ? [a, b] : [b, a];
  if (lo.qualifier && LOWER_BOUND.test(lo.qualifier)) return true;
  if (hi.qualifier && UPPER_BOUND.test(hi.qualifier)) return true;
  if ((lo.qualifier && APPROX.test(lo.qualifier)) || (hi.qualifier && APPROX.test(hi.qualifier))) {
    return Math.abs((hi.value as number) - (lo.value as number)) <= 0.1 * (hi.value as number);
  }
  return false;
}

export function findConflicts(figures: readonly LocatedFigure[], related: (a: LocatedFigure, b: LocatedFigure) => boolean): Conflict[] {
  const byMeasure = new Map<string, LocatedFigure[]>();
  for (const f of figures) {
    // dates and durations are context, not claims that conflict
    if (f.figure.kind === 'date' || f.figure.measure === 'duration') continue;
    const key = `${f.figure.kind}\u0000${f.figure.measure}\u0000${f.figure.unit ?? ''}`;
    const list = byMeasure.get(key) ?? [];
    list.push(f);
    byMeasure.set(key, list);
  }
  const out: Conflict[] = [];
  for (const list of byMeasure.values()) {
    if (list.length < 2) continue;
    // the figures of one measure, sentence by sentence: "seven life sentences and four ..."
    // in two sources is two values each, and agreement, not a conflict of 7 with 4
    const bySentence = new Map<string, LocatedFigure[]>();
    for (const f of list) {
      const k = `${f.article}:${f.index}`;
      bySentence.set(k, [...(bySentence.get(k) ?? []), f]);
    }
    const sentences = [...bySentence.values()];
    const involved = new Set<LocatedFigure>();
    for (let i = 0; i < sentences.length; i++) {
      for (let j = i + 1; j < sentences.length; j++) {
        const a = sentences[i]!;
        const b = sentences[j]!;
        // one source does not conflict with itself (a story that updates its count)
        if (a[0]!.article === b[0]!.article || !related(a[0]!, b[0]!)) continue;
        // a conflict when each side states a value the other contradicts
        const lonelyA = a.filter((x) => !b.some((y) => compatible(x.figure, y.figure)));
        const lonelyB = b.filter((y) => !a.some((x) => compatible(x.figure, y.figure)));
        if (lonelyA.length === 0 || lonelyB.length === 0) continue;
        for (const x of [...lonelyA, ...lonelyB]) involved.add(x);
      }
    }
    if (involved.size > 0) {
      const values = [...involved].sort((x, y) => x.article - y.article || x.index - y.index);
      out.push({ measure: values[0]!.figure.measure, unit: values[0]!.figure.unit, values });
    }
  }
  return out;
}

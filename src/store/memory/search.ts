/**
 * Full-text matching for the memory store, as the SQL stores search: every word of the query
 * (letters and digits, at most 16) is a prefix of a word of the title or the text, case and
 * diacritics ignored; no query syntax.
 */

export interface Word {
  readonly norm: string;
  readonly start: number;
  readonly end: number;
}

function fold(w: string): string {
  return w
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) out.push({ norm: fold(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** The query's terms, or null when it has nothing to search for. */
export function queryTerms(text: string): string[] | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words.slice(0, 16).map(fold);
}

const matches = (w: Word, terms: readonly string[]): boolean => terms.some((t) => w.norm.startsWith(t));

/** How often the terms occur in the title and text, or 0 unless every term occurs in one of them. */
export function score(terms: readonly string[], title: string | null, text: string): number {
  const words = [...wordsOf(title ?? ''), ...wordsOf(text)];
  let n = 0;
  for (const t of terms) {
    const c = words.filter((w) => w.norm.startsWith(t)).length;
    if (c === 0) return 0;
    n += c;
  }
  return n;
}

/** About 16 words of the text around its first match, with the matched words' offsets. */
export function snippetOf(terms: readonly string[], text: string): { snippet: string; highlights: { start: number; end: number }[] } {
  const words = wordsOf(text);
  if (words.length === 0) return { snippet: '', highlights: [] };
  const first = Math.max(
    0,
    words.findIndex((w) => matches(w, terms)),
  );
  const from = Math.max(0, Math.min(first - 4, words.length - 16));
  const to = Math.min(words.length, from + 16) - 1;
  const lead = from > 0 ? '...' : '';
  const start = from > 0 ? words[from]!.start : 0;
  const end = to < words.length - 1 ? words[to]!.end : text.length;
  const snippet = `${lead}${text.slice(start, end)}${to < words.length - 1 ? '...' : ''}`;
  const highlights: { start: number; end: number }[] = [];
  for (let i = from; i <= to; i++) {
    const w = words[i]!;
    if (matches(w, terms)) highlights.push({ start: lead.length + w.start - start, end: lead.length + w.end - start });
  }
  return { snippet, highlights };
}

/** Full-text search helpers shared by the article and story listings. */

/** FTS5 query from user text: every word a prefix term, joined by AND; no query syntax leaks through. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return null;
  return words
    .slice(0, 16)
    .map((w) => `"${w}"*`)
    .join(' ');
}

/**
 * FTS5 marks matches with two control characters (char(1), char(2)), which text
 * normalisation removes from stored texts, so they cannot come from the article: the snippet
 * goes out as plain text with the matches as offsets, and whoever renders it escapes the text
 * before marking it.
 */
export function splitSnippet(marked: string): { snippet: string; highlights: { start: number; end: number }[] } {
  let snippet = '';
  const highlights: { start: number; end: number }[] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === '\u0001') open = snippet.length;
    else if (ch === '\u0002') {
      if (open >= 0 && snippet.length > open) highlights.push({ start: open, end: snippet.length });
      open = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

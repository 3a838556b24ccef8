/**
 * Diacritics folded for full-text search, as SQLite's FTS5 (`remove_diacritics 2`) and the
 * memory store do: "Zürich" and "zurich" find each other. PostgreSQL has `unaccent`, but as an
 * extension (contrib, created by a superuser) and not immutable, so no generated column can use
 * it; `translate` is built in and immutable. The table maps every precomposed Latin letter whose
 * canonical decomposition is a letter plus combining marks to that letter, one character to one,
 * so a folded text keeps the offsets of the original (a snippet found in the folded text is cut
 * from the original at the same place). Canonical decompositions are stable across Unicode
 * versions, so the table computed here is the one the database's function was created with.
 */
const RANGES: readonly (readonly [number, number])[] = [
  [0x00c0, 0x024f], // Latin-1 Supplement, Latin Extended-A and -B
  [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese and others)
];

function table(): { from: string; to: string } {
  let from = '';
  let to = '';
  for (const [lo, hi] of RANGES) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCodePoint(c);
      const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
      if (base !== ch && base.length === 1) {
        from += ch;
        to += base;
      }
    }
  }
  return { from, to };
}

export const FOLD = table();
const MAP = new Map<string, string>([...FOLD.from].map((ch, i) => [ch, FOLD.to[i]!]));

/** A text with its diacritics folded as the database's `parallax_fold` does; the same length. */
export function foldDiacritics(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const mapped = MAP.get(text[i]!);
    if (mapped === undefined) continue;
    out += text.slice(from, i) + mapped;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** A SQL string literal (standard conforming strings: only the quote is special). */
const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The database function, created by the articles track's migration 3. */
export const FOLD_FUNCTION_SQL = `CREATE OR REPLACE FUNCTION parallax_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $fold$ SELECT translate(t, ${literal(FOLD.from)}, ${literal(FOLD.to)}) $fold$`;

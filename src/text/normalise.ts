/**
 * Text normalisation applied once, at ingest, to every article text. All character
 * offsets in Parallax point into the normalised text, so every stage sees the same
 * characters: NFC, straight quotes, ASCII hyphens for the dash family, one space for
 * any run of horizontal white space, `\n` line ends, at most one blank line between
 * paragraphs, no soft hyphens, zero-width or control characters.
 */

// Characters removed outright: soft hyphen, zero-width space/joiners used as breaks,
// word joiner, BOM, and C0/C1 controls other than tab and newline.
const REMOVE = /[\u00AD\u200B\u2060\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u301D\u301E\uFF02]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2039\u203A\uFF07`\u00B4]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const ELLIPSIS = /\u2026/g;
// runs of horizontal space other than a single space (which is left alone: replacing each of
// a text's hundreds of single spaces with itself was a third of the time of normalising it)
const HSPACE = /[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000][\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]*| [\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
// a space before or after a line break (a bare line break is not replaced by itself)
const LINE_EDGES = / \n ?|\n /g;

export function normaliseText(raw: string): string {
  let s = raw.normalize('NFC');
  s = s.replace(LINE_BREAKS, '\n');
  s = s.replace(REMOVE, '');
  s = s.replace(DOUBLE_QUOTES, '"').replace(SINGLE_QUOTES, "'");
  s = s.replace(DASHES, '-').replace(ELLIPSIS, '...');
  s = s.replace(HSPACE, ' ');
  // trim each line (the only white space left is a single space or a line break), then keep
  // at most one empty line between paragraphs; one pass, no array of lines
  s = s.replace(LINE_EDGES, '\n').replace(/\n{3,}/g, '\n\n');
  return s.trim();
}

/** Normalises a one-line field (title, outlet, byline): same rules, all white space to one space. */
export function normaliseInline(raw: string): string {
  return normaliseText(raw).replace(/\s+/g, ' ');
}

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

// every character the five replacements above change, in one class: line breaks, removed
// characters, quotes, dashes and the ellipsis are each replaced by one string, whatever
// surrounds them, so one pass gives what the five in turn give (line breaks first: U+0085
// is a line break, not a removed control)
const SPECIAL = new RegExp(`${LINE_BREAKS.source}|${REMOVE.source}|${DOUBLE_QUOTES.source}|${SINGLE_QUOTES.source}|${DASHES.source}|${ELLIPSIS.source}`, 'g');
const replacements = new Map<string, string>();
const replacementOf = (m: string): string => {
  let r = replacements.get(m);
  if (r === undefined) {
    r =
      m.charCodeAt(0) === 13 || m === '\u2028' || m === '\u2029' || m === '\u0085'
        ? '\n'
        : m === '\u2026'
          ? '...'
          : (replaced(m, DOUBLE_QUOTES, '"') ?? replaced(m, SINGLE_QUOTES, "'") ?? replaced(m, DASHES, '-') ?? '');
    replacements.set(m, r);
  }
  return r;
};
function replaced(m: string, re: RegExp, by: string): string | null {
  re.lastIndex = 0;
  return re.test(m) ? by : null;
}
// what HSPACE can match: a character of its class, or two spaces
const HSPACE_CHAR = /[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/;

/** Whether a line break has a space beside it (what LINE_EDGES matches), by the line breaks alone. */
function spaceAtLineEdge(s: string): boolean {
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) if (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i + 1) === 32) return true;
  return false;
}

// What the first pass over a text found (scan): each flag spares a pass when it is not set.
const SPECIAL_CHAR = 1; // a character SPECIAL replaces or removes
const HSPACE_FOUND = 2; // a character of HSPACE's class
const NOT_NFC_SAFE = 4; // a character NFC may change or combine (from U+0300 up, outside the sets above)
const WIDE = 8; // a character above U+00FF that the replacements keep
const ABOVE_FF = 16; // a character above U+00FF

/** Flags of the BMP's code units for scan, filled on first use (bit 7: known). */
const CHAR_FLAGS = new Uint8Array(0x10000);
const MARK = /\p{M}/u;
function flagsOf(c: number): number {
  const ch = String.fromCharCode(c);
  let f = 0;
  SPECIAL.lastIndex = 0;
  if (SPECIAL.test(ch)) f |= SPECIAL_CHAR;
  if (HSPACE_CHAR.test(ch)) f |= HSPACE_FOUND;
  // NFC changes a text only where a character decomposes (its NFC is another), combines with
  // the one before it (combining marks, Hangul vowel and final jamo) or must be reordered
  // among marks: a text of other characters is its own NFC (a test checks this on random
  // strings of them). Below U+0300 there are none. A replaced character is gone whatever
  // NFC would make of it, if NFC keeps it alone; surrogates: NFC reads the pair, not each half.
  if (c >= 0x300 && (ch.normalize('NFC') !== ch || MARK.test(ch) || (c >= 0x1160 && c <= 0x11ff) || (c >= 0xd800 && c <= 0xdfff))) f |= NOT_NFC_SAFE;
  if (c > 0xff) f |= (f & (SPECIAL_CHAR | HSPACE_FOUND)) === 0 ? WIDE | ABOVE_FF : ABOVE_FF;
  return f | 0x80;
}

/**
 * The first pass over a text: the flags of its characters, or'ed, and SPECIAL's replacements
 * made by char codes as it goes (the text itself when there are none). It stops at the first
 * character NFC may change: such a text is normalised by NFC and the regular expression, and
 * no other flag is read.
 */
function scanAndReplace(s: string): { found: number; replaced: string } {
  let all = 0;
  let out = '';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let f = CHAR_FLAGS[c]!;
    if (f === 0) CHAR_FLAGS[c] = f = flagsOf(c);
    all |= f;
    if ((f & (SPECIAL_CHAR | NOT_NFC_SAFE)) === 0) continue;
    if ((f & NOT_NFC_SAFE) !== 0) return { found: all, replaced: s };
    out += s.slice(from, i);
    // \r\n is one line break
    if (c === 13 && s.charCodeAt(i + 1) === 10) {
      out += '\n';
      i++;
    } else out += replacementOf(s[i]!);
    from = i + 1;
  }
  return { found: all, replaced: from === 0 ? s : out + s.slice(from) };
}

export function normaliseText(raw: string): string {
  // most texts are Latin-1 with a few typographic quotes or dashes, or Chinese: one pass by
  // char codes says which of the passes below they need, and makes the replacements (NFC and
  // the replacements were a Unicode table lookup and a regular expression per character, slow
  // on two-byte strings)
  const { found, replaced } = scanAndReplace(raw);
  let s = found & NOT_NFC_SAFE ? raw.normalize('NFC').replace(SPECIAL, replacementOf) : replaced;
  // the regular expressions below cost a pass each; most texts need none of them
  if (s.includes('  ') || (found & NOT_NFC_SAFE ? HSPACE_CHAR.test(s) : (found & HSPACE_FOUND) !== 0)) s = s.replace(HSPACE, ' ');
  // trim each line (the only white space left is a single space or a line break), then keep
  // at most one empty line between paragraphs; one pass, no array of lines
  if (spaceAtLineEdge(s)) s = s.replace(LINE_EDGES, '\n');
  if (s.includes('\n\n\n')) s = s.replace(/\n{3,}/g, '\n\n');
  s = s.trim();
  // a text of Latin-1 characters decoded from a line that also held wider ones (a curly
  // quote, replaced above) is still a two-byte string, on which every later pass (boilerplate,
  // tokens, the copy to another thread) works at half speed: copied into a one-byte string
  return (found & (ABOVE_FF | WIDE | NOT_NFC_SAFE)) === ABOVE_FF ? oneByte(s) : s;
}

/** The same Latin-1 text as a one-byte string (Node's latin1 decoding makes one). */
function oneByte(s: string): string {
  return typeof Buffer === 'undefined' ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/** Normalises a one-line field (title, outlet, byline): same rules, all white space to one space. */
export function normaliseInline(raw: string): string {
  return normaliseText(raw).replace(/\s+/g, ' ');
}

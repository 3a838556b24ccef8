import { FLAG_CAPITALISED, FLAG_NUMBER } from '../../src/text/tokens.js';

/**
 * The tokeniser's rules one character at a time, for texts without scripts written without
 * spaces (their words come from ICU's word breaker, the same code either way): the reference
 * text/tokens.ts is checked against. Tokens are runs of letters, marks and digits; an
 * apostrophe between letters stays inside (a possessive 's at the end is dropped); a number
 * keeps an inner `.` or `,` between digits; each token has the FNV-1a hash of its lower-cased
 * code units and its flags.
 */
export function tokenizeReference(text: string): { start: number[]; end: number[]; hash: number[]; flags: number[] } {
  const out = { start: [] as number[], end: [] as number[], hash: [] as number[], flags: [] as number[] };
  const word = (i: number): boolean => i < text.length && /[\p{L}\p{M}\p{N}]/u.test(String.fromCodePoint(text.codePointAt(i)!));
  const digit = (i: number): boolean => i >= 0 && i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
  const lower = (c: number): number => {
    if (c >= 65 && c <= 90) return c | 0x20;
    if (c < 128) return c;
    const l = String.fromCharCode(c).toLowerCase();
    return l.length === 1 ? l.charCodeAt(0) : c;
  };
  let i = 0;
  while (i < text.length) {
    if (!word(i)) {
      i++;
      continue;
    }
    const s = i;
    let h = 0x811c9dc5;
    let allDigits = true;
    let end = -1;
    let next = -1;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (word(i)) {
        if (!digit(i)) allDigits = false;
        h = Math.imul(h ^ lower(d), 0x01000193);
        // a letter outside the BMP: its low surrogate is hashed too
        if (d >= 0xd800 && d <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          h = Math.imul(h ^ text.charCodeAt(i + 1), 0x01000193);
          i++;
        }
        i++;
        continue;
      }
      if (d === 39 && word(i + 1) && !digit(i + 1) && !digit(i - 1)) {
        const c = text.charCodeAt(i + 1);
        if ((c === 115 || c === 83) && !word(i + 2)) {
          end = i;
          next = i + 2;
          break;
        }
        h = Math.imul(h ^ 39, 0x01000193);
        i++;
        continue;
      }
      if ((d === 46 || d === 44) && allDigits && digit(i + 1) && digit(i - 1)) {
        h = Math.imul(h ^ d, 0x01000193);
        i++;
        continue;
      }
      break;
    }
    if (end < 0) {
      end = i;
      next = i;
    }
    const c = text.charCodeAt(s);
    const capital = (c >= 65 && c <= 90) || (c >= 128 && text[s] !== text[s]!.toLowerCase());
    out.start.push(s);
    out.end.push(end);
    out.hash.push(h >>> 0);
    out.flags.push((allDigits ? FLAG_NUMBER : 0) | (capital ? FLAG_CAPITALISED : 0));
    i = next;
  }
  return out;
}

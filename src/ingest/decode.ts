import type chardetModule from 'chardet';
import type iconvModule from 'iconv-lite';
import { createError } from '../errors.js';
import { lazyRequire } from '../util/lazy.js';

// only text that is not UTF-8 needs them
const chardetLib = lazyRequire<typeof chardetModule>('chardet');
const iconvLib = lazyRequire<typeof iconvModule>('iconv-lite');

/**
 * Bytes to text. Order of evidence: a byte-order mark; UTF-16 without one (NUL in every other
 * byte); strict UTF-8; UTF-8 with a few bad bytes (replaced with U+FFFD, and said so); a
 * declared charset (HTTP header, `<meta charset>`, XML prolog); then statistical detection
 * (chardet) for legacy single-byte encodings. Binary data is refused with the offset of the
 * first byte that gave it away.
 */

export interface Decoded {
  readonly text: string;
  readonly encoding: string;
  /** Set when bytes were not valid in the encoding and were replaced: what and where. */
  readonly warning?: string;
}

const SNIFF_BYTES = 8192;

function findBinary(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let controls = 0;
  let firstControl = -1;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return i;
    // C0 controls other than tab, LF, FF, CR, ESC (and DEL) are rare in text
    if ((b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) || b === 127) {
      controls++;
      if (firstControl < 0) firstControl = i;
    }
  }
  // one stray control in a long text is text; in a few bytes it is noise (2% either way)
  return controls * 50 > n ? firstControl : -1;
}

function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head) ?? /<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']/i.exec(head);
  return m?.[1]?.toLowerCase() ?? null;
}

function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*"?([A-Za-z0-9_.:-]+)/i.exec(contentType);
  return m?.[1]?.toLowerCase() ?? null;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Counts in valid UTF-8: multi-byte sequences, and bytes that fit no sequence, with the offset
 * of the first such byte. Linear, one pass.
 */
function utf8Census(bytes: Uint8Array): { multi: number; invalid: number; firstInvalid: number } {
  let multi = 0;
  let invalid = 0;
  let firstInvalid = -1;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let len = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) [len, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [len, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [len, min] = [4, 0x10000];
    let ok = len > 0 && i + len <= n;
    let cp = len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      multi++;
      i += len;
    } else {
      if (firstInvalid < 0) firstInvalid = i;
      invalid++;
      i++;
    }
  }
  return { multi, invalid, firstInvalid };
}

/**
 * UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte. Seen on
 * the first 4 KiB; most code units in the other byte's parity must be non-zero.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  let controlsLe = 0;
  let controlsBe = 0;
  const control = (u: number): boolean => u < 32 && u !== 9 && u !== 10 && u !== 13;
  for (let i = 0; i < n; i += 2) {
    const a = bytes[i]!;
    const b = bytes[i + 1]!;
    if (a === 0) zeroEven++;
    if (b === 0) zeroOdd++;
    if (control(a | (b << 8))) controlsLe++;
    if (control((a << 8) | b)) controlsBe++;
  }
  const units = n / 2;
  // and the code units must read as text, not as control characters
  if (zeroOdd >= units * 0.4 && zeroEven <= units * 0.05 && controlsLe * 50 <= units) return 'utf-16le';
  if (zeroEven >= units * 0.4 && zeroOdd <= units * 0.05 && controlsBe * 50 <= units) return 'utf-16be';
  return null;
}

/** One JSON Lines record: UTF-8, with bad bytes replaced (and said so), never refused whole. */
export function decodeLine(bytes: Uint8Array): { text: string; warning?: string } {
  const text = strictUtf8(bytes);
  if (text !== null) return { text };
  const { invalid, firstInvalid } = utf8Census(bytes);
  return {
    text: new TextDecoder('utf-8').decode(bytes),
    warning: `${invalid} byte${invalid === 1 ? '' : 's'} not valid UTF-8 (first at offset ${firstInvalid} of the line) replaced with U+FFFD`,
  };
}

export function decodeBytes(bytes: Uint8Array, subject: string, contentType?: string | null): Decoded {
  if (bytes.length === 0) {
    throw createError('EMPTY_INPUT', `ingest: ${subject} is empty (0 bytes); expected an article`, { subject });
  }
  // byte-order marks
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    if (text !== null) return { text, encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
    return { text, encoding: utf16, warning: `no byte-order mark; read as ${utf16.toUpperCase()} (a NUL byte in every other position)` };
  }
  const binaryAt = findBinary(bytes);
  if (binaryAt >= 0) {
    throw createError('BINARY_INPUT', `ingest: expected text in ${subject}, found binary data (byte 0x${bytes[binaryAt]!.toString(16).padStart(2, '0')} at offset ${binaryAt})`, { subject });
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  // Mostly UTF-8 with a few bad bytes (a cut sequence, a stray Latin-1 byte): the bad bytes
  // are replaced where they are and reported; reading the whole file as a legacy encoding
  // would turn every good "é" into "Ã©". Legacy text has (almost) no valid multi-byte
  // sequences, so it still goes to the legacy path below.
  const census = utf8Census(bytes);
  if (census.multi > 0 && census.multi >= census.invalid) {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      encoding: 'utf-8',
      warning: `${census.invalid} byte${census.invalid === 1 ? '' : 's'} not valid UTF-8 (first at offset ${census.firstInvalid}) replaced with U+FFFD; the rest read as UTF-8`,
    };
  }

  const declared = charsetFromContentType(contentType) ?? declaredCharset(bytes);
  const iconv = iconvLib();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && iconv.encodingExists(declared)) {
    return { text: iconv.decode(Buffer.from(bytes), declared), encoding: declared };
  }
  const sample = bytes.subarray(0, 65536);
  const guess = chardetLib().detect(sample);
  const legacy = guess?.toLowerCase() ?? null;
  const buf = Buffer.from(bytes);
  // Latin-1 text is nearly always really Windows-1252 (curly quotes in 0x80-0x9F). The
  // detector confuses Western (1252) and Central European (1250) single-byte text, whose
  // scores are close; 1250 letters read as 1252 become symbols inside words (Polish "ł"
  // as "³"), so we take 1252 unless that reading puts such symbols between letters.
  if (legacy && /^(iso-8859-(1|2|15)|windows-125[02])$/.test(legacy)) {
    const western = iconv.decode(buf, 'windows-1252');
    if (!/\p{L}[\u00B2\u00B3\u00B9\u00BF\u00A6\u00A8\u00B4\u00B8\u00BC\u00BD\u00BE\u009C\u009F\u008C\u008F]|[\u00B2\u00B3\u00B9\u00A6\u00A8\u00B4\u00B8\u00BC\u00BD\u00BE]\p{L}/u.test(western)) {
      return { text: western, encoding: 'windows-1252' };
    }
    return { text: iconv.decode(buf, 'windows-1250'), encoding: 'windows-1250' };
  }
  if (legacy && legacy !== 'utf-8' && iconv.encodingExists(legacy)) {
    return { text: iconv.decode(buf, legacy), encoding: legacy };
  }
  throw createError(
    'UNKNOWN_ENCODING',
    `ingest: cannot determine the text encoding of ${subject}: not valid UTF-8 and no known legacy encoding fits (detector said ${guess ?? 'nothing'}); convert it to UTF-8`,
    { subject },
  );
}

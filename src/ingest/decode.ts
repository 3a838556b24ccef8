import type chardetModule from 'chardet';
import type iconvModule from 'iconv-lite';
import { createError } from '../errors.js';
import { lazyRequire } from '../util/lazy.js';

// only text that is not UTF-8 needs them
const chardetLib = lazyRequire<typeof chardetModule>('chardet');
const iconvLib = lazyRequire<typeof iconvModule>('iconv-lite');

/**
 * Bytes to text. Order of evidence: a byte-order mark; a declared charset (HTTP header,
 * `<meta charset>`, XML prolog) when the bytes agree; strict UTF-8; then statistical
 * detection (chardet) for legacy single-byte encodings. Binary data is refused with the
 * offset of the first byte that gave it away.
 */

export interface Decoded {
  readonly text: string;
  readonly encoding: string;
}

const SNIFF_BYTES = 8192;

function findBinary(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return i;
    // C0 controls other than tab, LF, FF, CR, ESC are rare in text
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) {
      controls++;
      if (controls > 8 && controls * 50 > n) return i;
    }
  }
  return -1;
}

function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head) ??
    /<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']/i.exec(head);
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
  const binaryAt = findBinary(bytes);
  if (binaryAt >= 0) {
    throw createError(
      'BINARY_INPUT',
      `ingest: expected text in ${subject}, found binary data (byte 0x${bytes[binaryAt]!.toString(16).padStart(2, '0')} at offset ${binaryAt})`,
      { subject },
    );
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };

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

import type { DedupDoc, Fingerprint } from './detect.js';
import { winnow } from './index-lsh.js';
import { shingle, shingleSet } from './shingle.js';
import { minhash, type DedupParams } from './signature.js';

/**
 * What reprint detection computes from a text alone: its shingles, their set, the MinHash
 * signature and the anchors. Made once per text, where the article is built (in a worker
 * thread when there are any), and handed to the dedup stage, which then never shingles the
 * text again.
 */
export interface PrintSketch {
  /** the parameters it was made with (paramsKey) */
  readonly params: string;
  readonly hashes: Uint32Array;
  readonly first: Int32Array;
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  readonly tokens: number;
  readonly set: Uint32Array;
  readonly sig: Uint32Array;
  readonly anchors: Uint32Array;
}

export function sketchText(text: string, params: DedupParams, key: string): PrintSketch {
  const sh = shingle(text, params.shingleSize);
  return { params: key, ...sh, set: shingleSet(sh), sig: minhash(sh.hashes, params), anchors: winnow(sh.hashes, params.anchorWindow) };
}

/** The fingerprint of a document whose text was sketched ahead: what `fingerprint` gives for it. */
export function fingerprintOf(doc: DedupDoc, s: PrintSketch): Fingerprint {
  return { doc, shingles: { hashes: s.hashes, first: s.first, tokenStart: s.tokenStart, tokenEnd: s.tokenEnd, tokens: s.tokens }, set: s.set, sig: s.sig };
}

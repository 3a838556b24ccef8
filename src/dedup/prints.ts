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

/** A sketch whose typed arrays were packed into a shared buffer (packSketches): their lengths. */
export interface SketchShape {
  readonly params: string;
  readonly tokens: number;
  /** hashes and first */
  readonly shingles: number;
  /** tokenStart and tokenEnd */
  readonly kept: number;
  readonly setSize: number;
  readonly sigSize: number;
  readonly anchorCount: number;
}

/**
 * Sketches' typed arrays copied into one buffer, each sketch replaced by its shape: a message
 * between threads then carries one buffer (moved, not copied) instead of seven per sketch,
 * which the receiving thread would otherwise allocate and later collect one by one.
 */
export function packSketches(sketches: readonly PrintSketch[]): { buffer: ArrayBuffer; shapes: SketchShape[] } {
  let words = 0;
  for (const s of sketches) words += s.hashes.length * 2 + s.tokenStart.length * 2 + s.set.length + s.sig.length + s.anchors.length;
  const buffer = new ArrayBuffer(words * 4);
  const bytes = new Uint8Array(buffer);
  const shapes: SketchShape[] = [];
  let at = 0;
  // copied as bytes: one kind of typed array whatever the source's (set between a Uint32Array
  // and an Int32Array view, or with both kinds through one call site, took the slow path, 8 %
  // of a worker's time)
  const put = (a: Uint32Array | Int32Array): void => {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  };
  for (const s of sketches) {
    put(s.hashes);
    put(s.first);
    put(s.tokenStart);
    put(s.tokenEnd);
    put(s.set);
    put(s.sig);
    put(s.anchors);
    shapes.push({ params: s.params, tokens: s.tokens, shingles: s.hashes.length, kept: s.tokenStart.length, setSize: s.set.length, sigSize: s.sig.length, anchorCount: s.anchors.length });
  }
  return { buffer, shapes };
}

/** The sketches of packSketches, as views into its buffer, in the same order. */
export function unpackSketches(shapes: readonly SketchShape[], buffer: ArrayBuffer): PrintSketch[] {
  let at = 0;
  const u32 = (n: number): Uint32Array => {
    const a = new Uint32Array(buffer, at * 4, n);
    at += n;
    return a;
  };
  const i32 = (n: number): Int32Array => {
    const a = new Int32Array(buffer, at * 4, n);
    at += n;
    return a;
  };
  return shapes.map((p) => {
    const hashes = u32(p.shingles);
    const first = i32(p.shingles);
    const tokenStart = i32(p.kept);
    const tokenEnd = i32(p.kept);
    return { params: p.params, hashes, first, tokenStart, tokenEnd, tokens: p.tokens, set: u32(p.setSize), sig: u32(p.sigSize), anchors: u32(p.anchorCount) };
  });
}

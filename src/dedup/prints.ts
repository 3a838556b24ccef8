import type { DedupDoc, Fingerprint } from './detect.js';
import { winnow } from './index-lsh.js';
import type { TokenTable } from '../text/tokens.js';
import { identity, isIdentity, shingle, shingleSet, shingleTokens, type Shingles } from './shingle.js';
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
  return sketchShingles(shingle(text, params.shingleSize), params, key);
}

/** The sketch of a text whose tokens are known (the text's part of the analysis clustering reads, stages/prepare.ts). */
export function sketchTokens(text: string, tokens: TokenTable, params: DedupParams, key: string): PrintSketch {
  return sketchShingles(shingleTokens(text, tokens, params.shingleSize), params, key);
}

function sketchShingles(sh: Shingles, params: DedupParams, key: string): PrintSketch {
  // (a literal of one shape, not a spread: one sketch per article)
  return {
    params: key,
    hashes: sh.hashes,
    first: sh.first,
    tokenStart: sh.tokenStart,
    tokenEnd: sh.tokenEnd,
    tokens: sh.tokens,
    set: shingleSet(sh),
    sig: minhash(sh.hashes, params),
    anchors: winnow(sh.hashes, params.anchorWindow),
  };
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
  /** first[i] = i for every shingle (as shingle makes it): not packed, a view of one shared array */
  readonly firstIsIndex: boolean;
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
  const byIndex = sketches.map((s) => isIdentity(s.first));
  let words = 0;
  sketches.forEach((s, i) => (words += s.hashes.length * (byIndex[i] ? 1 : 2) + s.tokenStart.length * 2 + s.set.length + s.sig.length + s.anchors.length));
  const buffer = new ArrayBuffer(words * 4);
  const bytes = new Uint8Array(buffer);
  const shapes: SketchShape[] = [];
  let at = 0;
  // most of the time here is the first write to each page of the new buffer (a fresh
  // allocation each time: the buffer moves to another thread), so it holds no more than it
  // must: `first` is left out when it is the index, as shingle makes it
  const put = (a: Uint32Array | Int32Array): void => {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  };
  sketches.forEach((s, i) => {
    put(s.hashes);
    if (!byIndex[i]) put(s.first);
    put(s.tokenStart);
    put(s.tokenEnd);
    put(s.set);
    put(s.sig);
    put(s.anchors);
    shapes.push({
      params: s.params,
      tokens: s.tokens,
      shingles: s.hashes.length,
      firstIsIndex: byIndex[i]!,
      kept: s.tokenStart.length,
      setSize: s.set.length,
      sigSize: s.sig.length,
      anchorCount: s.anchors.length,
    });
  });
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
    const first = p.firstIsIndex ? identity(p.shingles) : i32(p.shingles);
    const tokenStart = i32(p.kept);
    const tokenEnd = i32(p.kept);
    return { params: p.params, hashes, first, tokenStart, tokenEnd, tokens: p.tokens, set: u32(p.setSize), sig: u32(p.sigSize), anchors: u32(p.anchorCount) };
  });
}

import { reprintPrint, type ReprintPrint } from '../dedup/prints.js';
import type { DedupParams } from '../dedup/signature.js';
import { createError, ERROR_CODES, isParallaxError, type ErrorCode } from '../errors.js';
import type { Draft } from '../ingest/draft.js';
import { jsonlLineItem, type JsonlChunk } from '../ingest/read.js';

/**
 * The per-input work of signing for reprint detection (dedup/prints.ts), on a unit of input:
 * a chunk of raw JSON Lines (decoded, parsed and signed line by line, as readInputs and
 * reprintPrint would) or a batch of drafts. The same function runs in a worker thread
 * (sign-worker.ts) and in the calling thread, so the results do not depend on where.
 */
export type SignJob = { readonly kind: 'jsonl'; readonly chunk: JsonlChunk } | { readonly kind: 'drafts'; readonly drafts: readonly { readonly draft: Draft; readonly bytes: number | undefined }[] };

/** One input's outcome, in input order; `warning` is what reading its line reported (ReadOptions.onWarning). */
export type SignEntry =
  | { readonly ok: true; readonly print: ReprintPrint; readonly bytes: number | undefined; readonly warning?: readonly [string, string] }
  | { readonly ok: false; readonly source: string; readonly error: unknown; readonly bytes: number | undefined; readonly warning?: readonly [string, string] }
  | { readonly ok: null; readonly warning: readonly [string, string] };

export interface SignResult {
  readonly entries: SignEntry[];
  /** JSON Lines records in the chunk (lines that were not blank) */
  readonly records: number;
}

function signDraft(draft: Draft, bytes: number | undefined, params: DedupParams): SignEntry {
  try {
    return { ok: true, print: reprintPrint(draft, params), bytes };
  } catch (e) {
    return { ok: false, source: draft.source, error: e, bytes };
  }
}

export function signUnit(job: SignJob, params: DedupParams): SignResult {
  const entries: SignEntry[] = [];
  if (job.kind === 'drafts') {
    for (const d of job.drafts) entries.push(signDraft(d.draft, d.bytes, params));
    return { entries, records: 0 };
  }
  const { firstLine, path, fetchedAt } = job.chunk;
  // a Buffer over the chunk: its indexOf is memchr, a typed array's goes element by element
  const bytes = Buffer.from(job.chunk.bytes.buffer, job.chunk.bytes.byteOffset, job.chunk.bytes.length);
  let records = 0;
  let lineNo = firstLine;
  for (let start = 0; start < bytes.length; lineNo++) {
    let nl = bytes.indexOf(10, start);
    const lineBytes = nl < 0 ? bytes.length - start : nl - start + 1;
    if (nl < 0) nl = bytes.length;
    const { item, warning } = jsonlLineItem(bytes.subarray(start, nl), lineNo, lineBytes, path, fetchedAt);
    start = nl + 1;
    const w = warning !== undefined ? { warning: [`${path}:${lineNo}`, warning] as const } : {};
    if (item === null) {
      if (w.warning) entries.push({ ok: null, warning: w.warning });
      continue;
    }
    records++;
    const entry: SignEntry = item.ok ? signDraft(item.draft, item.bytes, params) : { ok: false, source: item.source, error: item.error, bytes: item.bytes };
    entries.push(w.warning ? { ...entry, ...w } : entry);
  }
  return { entries, records };
}

/** An error as it crosses threads (classes do not): catalogue errors by code, bugs with their stack. */
export interface WireError {
  readonly code: string | null;
  readonly message: string;
  readonly subject: string | undefined;
  readonly stack?: string;
}

export function toWire(e: unknown): WireError {
  return {
    code: isParallaxError(e) ? e.code : null,
    message: e instanceof Error ? e.message : String(e),
    subject: isParallaxError(e) ? e.subject : undefined,
    ...(!isParallaxError(e) && e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}

export function fromWire(r: WireError): unknown {
  if (r.code !== null && r.code in ERROR_CODES) return createError(r.code as ErrorCode, r.message, { subject: r.subject });
  // a bug in the worker: its own stack, which says where
  const e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}

/**
 * The prints' typed arrays copied into one buffer, each replaced by its length: a message
 * then carries one buffer (moved, not copied) instead of seven per print, which the
 * receiving thread would allocate and later collect one by one.
 */
export function packPrints(entries: SignEntry[]): ArrayBuffer {
  let words = 0;
  for (const e of entries) {
    if (e.ok !== true) continue;
    const p = e.print;
    words += p.hashes.length * 2 + p.tokenStart.length * 2 + p.set.length + p.sig.length + p.anchors.length;
  }
  const buffer = new ArrayBuffer(words * 4);
  const u32 = new Uint32Array(buffer);
  const i32 = new Int32Array(buffer);
  let at = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.ok !== true) continue;
    const p = e.print;
    u32.set(p.hashes, at);
    at += p.hashes.length;
    i32.set(p.first, at);
    at += p.first.length;
    i32.set(p.tokenStart, at);
    at += p.tokenStart.length;
    i32.set(p.tokenEnd, at);
    at += p.tokenEnd.length;
    u32.set(p.set, at);
    at += p.set.length;
    u32.set(p.sig, at);
    at += p.sig.length;
    u32.set(p.anchors, at);
    at += p.anchors.length;
    const packed: PackedPrint = { input: p.input, tokens: p.tokens, shingles: p.hashes.length, kept: p.tokenStart.length, setSize: p.set.length, sigSize: p.sig.length, anchorCount: p.anchors.length };
    entries[i] = { ...e, print: packed as unknown as ReprintPrint };
  }
  return buffer;
}

interface PackedPrint {
  readonly input: ReprintPrint['input'];
  readonly tokens: number;
  readonly shingles: number;
  readonly kept: number;
  readonly setSize: number;
  readonly sigSize: number;
  readonly anchorCount: number;
}

/** The prints of packed entries (packPrints), as views into the one buffer. */
export function unpackPrints(entries: SignEntry[], buffer: ArrayBuffer): void {
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
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.ok !== true) continue;
    const p = e.print as unknown as PackedPrint;
    const hashes = u32(p.shingles);
    const first = i32(p.shingles);
    const tokenStart = i32(p.kept);
    const tokenEnd = i32(p.kept);
    const print: ReprintPrint = { input: p.input, hashes, first, tokenStart, tokenEnd, tokens: p.tokens, set: u32(p.setSize), sig: u32(p.sigSize), anchors: u32(p.anchorCount) };
    entries[i] = { ...e, print };
  }
}

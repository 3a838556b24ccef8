import { detached } from '../util/detach.js';
import type { Span } from '../domain/article.js';
import { lineContinues, splitSentences } from './sentences.js';
import { FLAG_CAPITALISED, FLAG_NUMBER, FLAG_SENTENCE_START, FLAG_STOPWORD, isStopword, stem, tokenize, type Token, type TokenTable } from './tokens.js';

/** Everything the later stages read from one text, computed once. */
export interface Analysis {
  readonly text: string;
  readonly sentences: readonly Span[];
  readonly table: TokenTable;
  /** sentence index of each token */
  readonly tokenSentence: Int32Array;
  readonly tokens: readonly Token[];
}

interface Word {
  readonly norm: string;
  readonly stop: boolean;
  /** Porter stem, computed when first needed */
  stem: string | undefined;
}

/**
 * ASCII words seen before, by the FNV hash tokenize already computed: a repeated word (most
 * words of a news text) reuses its lower-cased string, stop-word flag and stem instead of
 * slicing, lower-casing and hashing a new string for two map lookups, which was a third of
 * analyse. The cached word is checked character by character (hashes collide); words with
 * non-ASCII letters take the plain path, since lower-casing them can depend on context.
 */
const WORDS_MAX = 200_000;
/**
 * The cache is an open-addressing table keyed by the hash, not a Map: the hashes are unsigned
 * 32-bit, mostly beyond V8's small-integer range, so a Map boxed and re-hashed each one as a
 * double (a tenth of the clustering profile). Capacity 2^19 keeps the load under 0.4.
 */
const WORDS_BITS = 19;
const WORDS_MASK = (1 << WORDS_BITS) - 1;
const wordKeys = new Int32Array(1 << WORDS_BITS);
const wordVals: (Word | undefined)[] = new Array<Word | undefined>(1 << WORDS_BITS).fill(undefined);
let wordCount = 0;

/** The slot of `hash`: where it is, or the empty slot where it would go. */
function wordSlot(hash: number): number {
  const key = hash | 0;
  // Fibonacci scrambling spreads FNV's low bits over the table
  let i = Math.imul(key, 0x9e3779b1) >>> (32 - WORDS_BITS);
  while (wordVals[i] !== undefined && wordKeys[i] !== key) i = (i + 1) & WORDS_MASK;
  return i;
}

function wordAt(text: string, start: number, end: number, hash: number): Word {
  let slot = wordSlot(hash);
  const known = wordVals[slot];
  if (known && known.norm.length === end - start) {
    let same = true;
    for (let i = start, j = 0; i < end; i++, j++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c |= 0x20;
      if (c !== known.norm.charCodeAt(j) || c >= 128) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const norm = text.slice(start, end).toLowerCase();
  const word: Word = { norm, stop: isStopword(norm), stem: undefined };
  let ascii = true;
  for (let j = 0; j < norm.length; j++) if (norm.charCodeAt(j) >= 128) ascii = false;
  if (ascii && !known) {
    if (wordCount >= WORDS_MAX) {
      wordVals.fill(undefined);
      wordCount = 0;
      slot = wordSlot(hash);
    }
    // the word outlives its article here (and in the stem cache, handed this same string)
    const kept = { ...word, norm: detached(norm) };
    wordKeys[slot] = hash | 0;
    wordVals[slot] = kept;
    wordCount++;
    return kept;
  }
  return word;
}

/**
 * Full analysis of a normalised text. `sentences` may be passed when known (a stored
 * article) so offsets agree with what was stored.
 */
export function analyse(text: string, sentences: readonly Span[] = splitSentences(text)): Analysis {
  const table = tokenize(text);
  const tokenSentence = new Int32Array(table.count);
  const tokens = new Array<Token>(table.count);
  let si = 0;
  let prevSentence = -1;
  for (let i = 0; i < table.count; i++) {
    const s = table.start[i]!;
    while (si < sentences.length - 1 && s >= sentences[si]!.end) si++;
    tokenSentence[i] = si;
    const word = wordAt(text, s, table.end[i]!, table.hash[i]!);
    const norm = word.norm;
    let flags = table.flags[i]!;
    const stop = word.stop;
    if (stop) flags |= FLAG_STOPWORD;
    const first = si !== prevSentence;
    if (first) flags |= FLAG_SENTENCE_START;
    prevSentence = si;
    table.flags[i] = flags;
    tokens[i] = {
      start: s,
      end: table.end[i]!,
      sentence: si,
      norm,
      // numbers and stop words are not stemmed: no stage reads their stems, and stop words
      // are nearly half the tokens of a text
      stem: flags & (FLAG_NUMBER | FLAG_STOPWORD) ? norm : (word.stem ??= stem(norm)),
      hash: table.hash[i]!,
      isNumber: (flags & FLAG_NUMBER) !== 0,
      isCapitalised: (flags & FLAG_CAPITALISED) !== 0,
      isStopword: stop,
      isSentenceStart: first,
    };
  }
  return { text, sentences, table, tokenSentence, tokens };
}

/**
 * The analysis of `head + '\n' + text`, where `text` is a stored article's text with its
 * `sentences` (a headline given apart from the text: clustering reads the two as one). The
 * text's sentences are not split again: only the head is, and the text's spans follow it
 * (no sentence rule looks across a line break the next line does not run on over, see
 * lineContinues; when it does run on, or the sentences are not known, the whole is split).
 * The tokens of the text are then the tail of the analysis's (no token spans a line break):
 * `tokensFrom` gives them to the stages that read the text alone.
 */
export function analyseHeaded(head: string, text: string, sentences?: readonly Span[]): Analysis {
  const joined = `${head}\n${text}`;
  if (!sentences || head === '' || lineContinues(head.charCodeAt(head.length - 1), text[0] ?? '')) return analyse(joined);
  const shift = head.length + 1;
  const spans = splitSentences(head);
  for (const s of sentences) spans.push({ start: s.start + shift, end: s.end + shift });
  return analyse(joined, spans);
}

/**
 * The token table of `an.text.slice(from)`, offsets counted from `from`, which must be where
 * a line starts (or 0): the tokens of a text that `an` analysed after a headline
 * (analyseHeaded). Offsets and hashes only, as `tokenize(text, { flags: false })` gives them.
 */
export function tokensFrom(an: Analysis, from: number): TokenTable {
  const t = an.table;
  if (from === 0) return { count: t.count, start: t.start, end: t.end, hash: t.hash, flags: new Uint8Array(t.count) };
  let first = 0;
  while (first < t.count && t.start[first]! < from) first++;
  const count = t.count - first;
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    start[i] = t.start[first + i]! - from;
    end[i] = t.end[first + i]! - from;
  }
  return { count, start, end, hash: t.hash.subarray(first), flags: new Uint8Array(count) };
}

/**
 * What analyseJoined reads of an analysis: all of it but the token objects, whose strings are
 * kept in two arrays (the rest is in the table). An analysis held for later (the clusterer's,
 * for a batch of articles, stages/prepare.ts) is held so: the token objects were most of its
 * size, and holding a batch's of them cost the ingest benchmark a third more memory and its
 * collection more CPU than analysing the few texts concerned again.
 */
export interface KeptAnalysis {
  readonly text: string;
  readonly sentences: readonly Span[];
  readonly table: TokenTable;
  readonly norms: readonly string[];
  readonly stems: readonly string[];
}

export function keptAnalysis(an: Analysis): KeptAnalysis {
  const norms = new Array<string>(an.tokens.length);
  const stems = new Array<string>(an.tokens.length);
  for (let i = 0; i < an.tokens.length; i++) {
    norms[i] = an.tokens[i]!.norm;
    stems[i] = an.tokens[i]!.stem;
  }
  return { text: an.text, sentences: an.sentences, table: an.table, norms, stems };
}

/** A part of a text being put together from others (analyseJoined). */
export type Piece =
  /** whole lines `[start, end)` of an analysed text: its tokens and, where they still apply, its sentences are reused */
  | { readonly from: Analysis | KeptAnalysis; readonly start: number; readonly end: number }
  /** a string analysed here (a headline put together anew: a few words) */
  | string;

/** One line of the joined text: where it starts there, and where it came from. */
interface JoinedLine {
  readonly at: number;
  readonly length: number;
  readonly from: Analysis | KeptAnalysis;
  /** its start in `from`'s text */
  readonly sourceAt: number;
}

/**
 * Whether a sentence runs on over the line break before `at` in `text` (what splitSentences
 * decides there): the break is one it looks at (not in a run of white space after another
 * break, which it skips) and lineContinues says so.
 */
function runsOn(text: string, at: number): boolean {
  if (text.charCodeAt(at - 1) !== 10) return false;
  for (let k = at - 2; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 10) return false;
    if (c !== 32 && c !== 9 && c !== 13) break;
  }
  return lineContinues(text.charCodeAt(at - 2), text[at] ?? '');
}

/**
 * The analysis of `pieces` joined by line breaks, equal to `analyse` of the joined text, from
 * the analyses the pieces come from: what clustering compares once an outlet's boilerplate
 * lines are left out of an article (cluster/boilerplate.ts) is its text without them, whose
 * words were analysed already. Tokens are taken over (none spans a line break); sentences are
 * taken over for each run of lines that is one paragraph in both texts (no sentence rule looks
 * across a line break a sentence does not run on over, see lineContinues), and split here for
 * a paragraph that leaving lines out joined anew (rare: a line in lower case after a removed one).
 */
export function analyseJoined(pieces: readonly Piece[]): Analysis {
  const parts: string[] = [];
  const lines: JoinedLine[] = [];
  let at = 0;
  for (const p of pieces) {
    const s = typeof p === 'string' ? p : p.from.text.slice(p.start, p.end);
    const from = typeof p === 'string' ? analyse(p) : p.from;
    const base = typeof p === 'string' ? 0 : p.start;
    let ls = 0;
    for (;;) {
      const nl = s.indexOf('\n', ls);
      const le = nl < 0 ? s.length : nl;
      lines.push({ at: at + ls, length: le - ls, from, sourceAt: base + ls });
      if (nl < 0) break;
      ls = nl + 1;
    }
    parts.push(s);
    at += s.length + 1;
  }
  const text = parts.join('\n');
  // paragraphs (runs of lines a sentence may run on over) of the joined text, and their sentences
  const sentences: Span[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i + 1;
    while (j < lines.length && runsOn(text, lines[j]!.at)) j++;
    const first = lines[i]!;
    const last = lines[j - 1]!;
    const end = last.at + last.length;
    const src = first.from;
    // the same lines, one after another, in the text they come from, and a paragraph there too
    let same = true;
    for (let k = i + 1; k < j && same; k++) same = lines[k]!.from === src && lines[k]!.sourceAt === lines[k - 1]!.sourceAt + lines[k - 1]!.length + 1;
    const srcEnd = first.sourceAt + (end - first.at);
    const lineStart = first.sourceAt === 0 || src.text.charCodeAt(first.sourceAt - 1) === 10;
    if (same && lineStart && !runsOn(src.text, first.sourceAt) && (srcEnd >= src.text.length || !runsOn(src.text, srcEnd + 1))) {
      const shift = first.at - first.sourceAt;
      for (const s of src.sentences) if (s.start >= first.sourceAt && s.end <= srcEnd) sentences.push({ start: s.start + shift, end: s.end + shift });
    } else {
      for (const s of splitSentences(text.slice(first.at, end))) sentences.push({ start: s.start + first.at, end: s.end + first.at });
    }
    i = j;
  }
  // tokens, in order, with their new places and sentences
  let count = 0;
  for (const l of lines) {
    const [a, b] = tokenRange(l.from, l.sourceAt, l.sourceAt + l.length);
    count += b - a;
  }
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  const hash = new Uint32Array(count);
  const flags = new Uint8Array(count);
  const tokenSentence = new Int32Array(count);
  const tokens = new Array<Token>(count);
  let n = 0;
  let si = 0;
  let prevSentence = -1;
  for (const l of lines) {
    const shift = l.at - l.sourceAt;
    const [a, b] = tokenRange(l.from, l.sourceAt, l.sourceAt + l.length);
    const table = l.from.table;
    const words = 'norms' in l.from ? l.from : null;
    const objects = 'tokens' in l.from ? l.from.tokens : null;
    for (let q = a; q < b; q++) {
      const s = table.start[q]! + shift;
      const e = table.end[q]! + shift;
      while (si < sentences.length - 1 && s >= sentences[si]!.end) si++;
      const firstOf = si !== prevSentence;
      prevSentence = si;
      const f = table.flags[q]!;
      start[n] = s;
      end[n] = e;
      hash[n] = table.hash[q]!;
      flags[n] = (f & ~FLAG_SENTENCE_START) | (firstOf ? FLAG_SENTENCE_START : 0);
      tokenSentence[n] = si;
      tokens[n] = {
        start: s,
        end: e,
        sentence: si,
        norm: words ? words.norms[q]! : objects![q]!.norm,
        stem: words ? words.stems[q]! : objects![q]!.stem,
        hash: table.hash[q]!,
        isNumber: (f & FLAG_NUMBER) !== 0,
        isCapitalised: (f & FLAG_CAPITALISED) !== 0,
        isStopword: (f & FLAG_STOPWORD) !== 0,
        isSentenceStart: firstOf,
      };
      n++;
    }
  }
  return { text, sentences, table: { count, start, end, hash, flags }, tokenSentence, tokens };
}

/** The indexes [a, b) of `an`'s tokens within `[from, to)` of its text. */
function tokenRange(an: Pick<Analysis, 'table'>, from: number, to: number): [number, number] {
  const s = an.table.start;
  let lo = 0;
  let hi = an.table.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  let b = lo;
  while (b < an.table.count && s[b]! < to) b++;
  return [lo, b];
}

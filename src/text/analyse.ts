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

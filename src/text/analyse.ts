import type { Span } from '../domain/article.js';
import { splitSentences } from './sentences.js';
import {
  FLAG_CAPITALISED,
  FLAG_NUMBER,
  FLAG_SENTENCE_START,
  FLAG_STOPWORD,
  isStopword,
  stem,
  tokenize,
  type Token,
  type TokenTable,
} from './tokens.js';

/** Everything the later stages read from one text, computed once. */
export interface Analysis {
  readonly text: string;
  readonly sentences: readonly Span[];
  readonly table: TokenTable;
  /** sentence index of each token */
  readonly tokenSentence: Int32Array;
  readonly tokens: readonly Token[];
}

/**
 * Full analysis of a normalised text. `sentences` may be passed when known (a stored
 * article) so offsets agree with what was stored.
 */
export function analyse(text: string, sentences: readonly Span[] = splitSentences(text)): Analysis {
  const table = tokenize(text);
  const tokenSentence = new Int32Array(table.count);
  const tokens: Token[] = new Array(table.count);
  let si = 0;
  let prevSentence = -1;
  for (let i = 0; i < table.count; i++) {
    const s = table.start[i]!;
    while (si < sentences.length - 1 && s >= sentences[si]!.end) si++;
    tokenSentence[i] = si;
    const norm = text.slice(s, table.end[i]!).toLowerCase();
    let flags = table.flags[i]!;
    const stop = isStopword(norm);
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
      stem: flags & (FLAG_NUMBER | FLAG_STOPWORD) ? norm : stem(norm),
      hash: table.hash[i]!,
      isNumber: (flags & FLAG_NUMBER) !== 0,
      isCapitalised: (flags & FLAG_CAPITALISED) !== 0,
      isStopword: stop,
      isSentenceStart: first,
    };
  }
  return { text, sentences, table, tokenSentence, tokens };
}

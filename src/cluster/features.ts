import { createRequire } from 'node:module';
import type { Article, Span } from '../domain/article.js';
import { analyse, analyseHeaded, type Analysis } from '../text/analyse.js';
import { isUnspacedScript, stem, type Token } from '../text/tokens.js';
import { extractAges } from './specifics.js';

/**
 * Function words of the article's language when it is not English, from the `stopword`
 * package (MIT), for the languages whose lists were checked to hold function words only, or,
 * for German, nouns that are capitalised in text and so never taken for one (see below). The
 * text analysis flags English ones (and those of Chinese, Japanese and Thai) for every stage;
 * other languages' lists cannot join it, since their words are English content words ("die",
 * "war"). Without them, early in a stream, before IDF learns that "los" and "del" are
 * everywhere, two unrelated Spanish reports looked alike. stopwords-iso was tried first: its lists
 * hold news words (ru "москва", "война"; es "acuerdo", "estado"; it "città").
 */
const STOPWORD_LISTS: Readonly<Record<string, string>> = { de: 'deu', es: 'spa', fr: 'fra', it: 'ita', pt: 'por', nl: 'nld', ru: 'rus' };
const stopwordPackage = createRequire(import.meta.url)('stopword') as Record<string, unknown>;
const languageStops = new Map<string, ReadonlySet<string> | null>();
function stopsOf(language: string): ReadonlySet<string> | null {
  let set = languageStops.get(language);
  if (set === undefined) {
    const key = Object.hasOwn(STOPWORD_LISTS, language) ? STOPWORD_LISTS[language]! : null;
    const list = key ? stopwordPackage[key] : null;
    set = Array.isArray(list) ? new Set(list.map((w) => String(w).toLowerCase())) : null;
    languageStops.set(language, set);
  }
  return set;
}

/**
 * Language detection on a short text is a guess (franc on a sentence or two took English
 * snippets for German or Spanish); the rules of another language apply only to texts this long.
 */
const LANGUAGE_RULES_MIN_CHARS = 200;

/**
 * French and Italian elide an article or a pronoun into the next word ("l'attentat",
 * "qu'il", "dell'Italia"), which the tokeniser keeps as one token (as it keeps "don't"): the
 * word after the apostrophe is what counts, or "l'attentat" and "un attentat" share nothing.
 */
const ELISION: Readonly<Record<string, RegExp>> = {
  fr: /^(?:l|d|c|j|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu)'(.+)$/,
  it: /^(?:l|d|c|un|dell|all|dall|nell|sull|coll|quell|quest|nessun|tutt|anch|dov|com)'(.+)$/,
};

/** German words that open a capitalised run without being names (days, months, "Anfang März"). */
const NOT_ENTITY_DE = new Set([
  'montag',
  'dienstag',
  'mittwoch',
  'donnerstag',
  'freitag',
  'samstag',
  'sonntag',
  'januar',
  'februar',
  'märz',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'dezember',
  'anfang',
  'mitte',
  'ende',
  'morgen',
  'abend',
  'nacht',
  'uhr',
]);

/**
 * What clustering reads from an article: weighted content-word stems, named-entity
 * strings and numbers, as three sparse bags, plus the publication time when known.
 * Entities are runs of capitalised tokens that are not merely sentence-initial; they are
 * what keeps two events of the same kind apart (two earthquakes share "quake" and
 * "magnitude", not "Qeshm" and "Sunday, 2008").
 */
export interface ClusterInput {
  readonly id: string;
  readonly text: string;
  readonly title?: string | null;
  readonly sentences?: readonly Span[];
  /** ISO date or date-time */
  readonly published?: string | null;
  /** ISO 639-1 code of the text's language, when known: it decides how names and function words are read */
  readonly language?: string | null;
  /** the outlet's registered domain, when known: whose boilerplate the text may carry (see boilerplate.ts) */
  readonly outlet?: string | null;
}

/** What clustering reads from a stored or built article. */
export function clusterInputOf(a: Article): ClusterInput {
  return { id: a.id, text: a.text, title: a.title, sentences: a.sentences, published: a.meta.published?.value ?? null, language: a.meta.language.value, outlet: a.meta.domain?.value ?? null };
}

export interface Bag {
  readonly terms: string[];
  readonly counts: number[];
}

export interface Features {
  readonly words: Map<string, number>;
  readonly entities: Map<string, number>;
  readonly numbers: Map<string, number>;
  /** days since epoch, or NaN */
  readonly day: number;
  /** the ages of the people the article names, ascending (see specifics.ts; absent: none known) */
  readonly ages?: readonly number[];
}

// Capitalised words that are not names even mid-sentence.
const NOT_ENTITY = new Set([
  'i',
  'mr',
  'mrs',
  'ms',
  'dr',
  'the',
  'a',
  'an',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'yesterday',
  'today',
  'tonight',
  'tomorrow',
  'tv',
  'ap',
  'reuters',
  'afp',
  'news',
  'said',
  'says',
  'update',
  'updated',
  'posted',
  'published',
]);

function add(m: Map<string, number>, k: string, w = 1): void {
  m.set(k, (m.get(k) ?? 0) + w);
}

/**
 * Whether the gap between two tokens keeps them in one name: a space, a hyphen
 * ("Jean-Claude Juncker", "Rolls-Royce"), a period ("U.S.") or a period and a space
 * ("George W. Bush", "St. Louis"; a real sentence end closes the run through the sentence
 * split). Commas, line breaks and anything longer close it ("WBA, IBF" is two names).
 */
function joins(text: string, prevEnd: number, start: number): boolean {
  const gap = start - prevEnd;
  if (gap === 1) {
    const ch = text.charCodeAt(prevEnd);
    return ch === 32 || ch === 45 || ch === 46;
  }
  return gap === 2 && text.charCodeAt(prevEnd) === 46 && text.charCodeAt(prevEnd + 1) === 32;
}

/**
 * Headline sentences in Title Case: sentences that start on the first two lines of the
 * text (where a title and a standfirst sit), do not end with a full stop, and have 3+
 * words after the first (stopwords and numbers not counted), at least 3 in 4 of them
 * capitalised. Body sentences are never treated so: a body sentence full of names ("Manchester United beat Real Madrid") is not
 * a headline.
 */
function titleCaseSentences(text: string, tokens: readonly Token[], count: number): Uint8Array {
  let headEnd = text.indexOf('\n');
  if (headEnd >= 0) headEnd = text.indexOf('\n', headEnd + 1);
  if (headEnd < 0) headEnd = text.length;
  const caps = new Uint16Array(count);
  const words = new Uint16Array(count);
  const starts = new Int32Array(count).fill(-1);
  const ends = new Int32Array(count);
  for (const t of tokens) {
    if (starts[t.sentence] === -1) starts[t.sentence] = t.start;
    ends[t.sentence] = t.end;
    if (t.isSentenceStart || t.isNumber || t.isStopword) continue;
    words[t.sentence]!++;
    if (t.isCapitalised) caps[t.sentence]!++;
  }
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    // a headline does not end with a full stop
    const stop = text.charCodeAt(ends[i]!) === 46;
    if (!stop && starts[i]! >= 0 && starts[i]! < headEnd && words[i]! >= 3 && caps[i]! * 4 >= words[i]! * 3) out[i] = 1;
  }
  return out;
}

/**
 * The analysis features read: of the text, after the headline when the text does not open
 * with it (the headline alone is split into sentences then, the text's own sentences are
 * kept). Made once per article where it is prepared (stages/prepare.ts), which also reads the
 * text's tokens from it for the reprint sketch.
 */
export function featuresAnalysis(input: ClusterInput): Analysis {
  return input.title && !input.text.startsWith(input.title) ? analyseHeaded(input.title, input.text, input.sentences) : analyse(input.text, input.sentences);
}

/** `analysis`, when given, must be featuresAnalysis(input). */
export function extractFeatures(input: ClusterInput, analysis: Analysis = featuresAnalysis(input)): Features {
  const an = analysis;
  const text = an.text;
  const words = new Map<string, number>();
  const entities = new Map<string, number>();
  const numbers = new Map<string, number>();
  const toks = an.tokens;
  // the first sentence (and title) carries the event: weight it up
  const leadEnd = an.sentences.length > 1 ? an.sentences[Math.min(1, an.sentences.length - 1)]!.end : text.length;
  // Headlines in Title Case capitalise every word; there a capitalised word counts as a
  // name only if the body also capitalises it mid-sentence.
  const titleCase = titleCaseSentences(text, an.tokens, an.sentences.length);
  const bodyNames = new Set<string>();
  for (const t of toks) if (t.isCapitalised && !t.isSentenceStart && !t.isStopword && !titleCase[t.sentence]) bodyNames.add(t.norm);
  let run: string[] = [];
  let runAtStart = false;
  let prevEnd = -1;
  // German (and Luxembourgish) capitalise every noun: there a capitalised word is no sign of a
  // name, and two reports of two earthquakes would share "Erdbeben" and "Stärke" as names. Only
  // runs of two or more capitalised words are names ("Borussia Dortmund", "Provinz Elazig"; see
  // flush for a sentence's first word); lone words stay content words.
  const language = input.language && input.language !== 'en' && text.length >= LANGUAGE_RULES_MIN_CHARS ? input.language : null;
  const nounCase = language === 'de' || language === 'lb';
  const stops = language ? stopsOf(language === 'lb' ? 'de' : language) : null;
  const elision = language && Object.hasOwn(ELISION, language) ? ELISION[language]! : null;
  const flush = (): void => {
    // the opening word of a sentence is capitalised anyway: part of a name only if the text
    // also capitalises it mid-sentence ("Olaf Scholz sagte" ... "Kanzler Olaf Scholz")
    if (nounCase && runAtStart && !bodyNames.has(run[0]!)) run.shift();
    if (nounCase && run.length < 2) {
      run = [];
      return;
    }
    // a lone capitalised word opening a sentence is usually not a name ("Police said")
    if (run.length > 1 || (run.length === 1 && !runAtStart)) {
      add(entities, run.join(' '));
      // the last word of a multi-word name stands for it later ("Reid" for "Tara Reid")
      if (run.length > 1) add(entities, run[run.length - 1]!, 0.5);
    }
    run = [];
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const w = t.start < leadEnd ? 2 : 1;
    // a name is one run of words (see joins); sentence ends close it
    // (in German a hyphen joins two nouns, not a name: "Corona-Pandemie", "CDU-Chef")
    if (run.length > 0 && (t.isSentenceStart || !joins(text, prevEnd, t.start) || (nounCase && text.charCodeAt(prevEnd) === 45))) flush();
    prevEnd = t.end;
    if (t.isNumber) {
      flush();
      // years and small counts are common; keep numbers of 2+ characters
      if (t.norm.length >= 2) add(numbers, t.norm.replace(/,/g, ''), w);
      continue;
    }
    // a one-letter capital continues a name ("George W. Bush") but does not start one
    // a word capitalised mid-sentence is never another language's function word: it is a
    // name ("Estados Unidos", "São Paulo") or, in German, a noun ("Menschen", "Jahr")
    const stop = t.isStopword || (stops !== null && (t.isSentenceStart || !t.isCapitalised) && stops.has(t.norm));
    const nameLike = t.isCapitalised && !stop && !NOT_ENTITY.has(t.norm) && !(nounCase && NOT_ENTITY_DE.has(t.norm)) && (t.norm.length > 1 || run.length > 0);
    if (nameLike && (!titleCase[t.sentence] || bodyNames.has(t.norm))) {
      if (run.length === 0) runAtStart = t.isSentenceStart && !titleCase[t.sentence];
      run.push(t.norm);
    } else flush();
    const elided = elision !== null && t.norm.includes("'") ? elision.exec(t.norm) : null;
    if (elided) {
      const rest = elided[1]!;
      if (rest.length >= 3 && !stops?.has(rest)) add(words, stem(rest), w);
    } else if (!stop && t.norm.length >= (isUnspacedScript(t.norm.charCodeAt(0)) ? 2 : 3)) {
      // (two characters make a word in Chinese and Japanese: 地震, 死亡; English needs three)
      add(words, t.stem, w);
    }
  }
  flush();
  const day = input.published ? Date.parse(input.published) / 86_400_000 : Number.NaN;
  return { words, entities, numbers, day, ages: extractAges(text) };
}

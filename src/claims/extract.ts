import { type Attribution, findAttribution } from './attribution.js';
import { type Figure, extractFigures, resolveYear } from './figures.js';
import { type QuoteFound, extractQuotes } from './quotes.js';

/**
 * Claims of one article: quotes with speakers, figures with attributions, and reported
 * clauses (`..., X said` without quote marks) that may turn out to be quotes when another
 * source prints the same words in quote marks.
 *
 * Context the sentence-level readers cannot see is resolved here:
 * - a pronoun speaker (`"...," he said`) is the speaker most recently named in the article;
 * - a quotation that runs over several sentences is read as one, at its first sentence.
 */
export interface ArticleQuote extends QuoteFound {
  /** sentence index where the quote starts */
  readonly index: number;
}

export interface ArticleFigure extends Figure {
  readonly index: number;
}

export interface ReportedClause {
  readonly index: number;
  readonly text: string;
  readonly speaker: string;
}

export interface ArticleClaims {
  readonly quotes: readonly ArticleQuote[];
  readonly figures: readonly ArticleFigure[];
  readonly reported: readonly ReportedClause[];
}

/** How many sentences a quotation may run over before we stop looking for its end. */
const MAX_QUOTE_SPAN = 4;

function countQuotes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 34) n++;
  return n;
}

const PERSON_NOUN =
  /\b(?:spokes(?:man|woman|person)|official|minister|president|premier|chief|director|officer|secretary|leader|governor|mayor|sheriff|commander|general|source|witness|resident|lawyer|attorney|prosecutor|judge|doctor|analyst|expert|professor|manager|executive|ceo|chairman|chairwoman|coach|publicist|representative|rep|agent|aide|neighbou?r|friend|mother|father|wife|husband|son|daughter|brother|sister|man|woman)s?\b/i;
// a name: two capitalised words in a row (Ashraf Al-Qidra, Jack Ketsoyan)
const NAME = /\b[A-Z][\p{L}'.-]+\s+[A-Z][\p{L}'.-]+/u;
const NOT_PERSON = /\b(?:ministry|company|agency|department|office|government|police|army|group|sensors?|report|statement|website|data|survey|study)\b/i;

// capitalised pairs that are not people: a sentence start, places, days and titles of works
const NOT_NAME =
  /^(?:The|A|An|In|On|At|But|And|After|Before|When|While|Police|President|Prime|Mr|Mrs|Ms|Dr)\b|\b(?:Center|Centre|Street|Avenue|Road|Park|City|County|Court|University|Hospital|Church|Bank|Club|Airport|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b/;

/** Whether a speaker phrase names a person, who can later be "he" or "she". */
function isPerson(speaker: string): boolean {
  if (PERSON_NOUN.test(speaker)) return true;
  return NAME.test(speaker) && !NOT_PERSON.test(speaker);
}

export interface ClaimOptions {
  /** the article's publication date: the year of a date written without one ("Oct 7") */
  readonly published?: string | null;
}

export function extractClaims(sentences: readonly string[], options: ClaimOptions = {}): ArticleClaims {
  const quotes: ArticleQuote[] = [];
  const figures: ArticleFigure[] = [];
  const reported: ReportedClause[] = [];
  let lastSpeaker: string | null = null;
  let lastPerson: string | null = null;
  let lastSpeakerAt = -2;
  // "he" and "she" are the last person named ("his company's sensors" reported something
  // too, but cannot be "he"); "they" may be anyone, an organisation included
  let lastPersonAt = -10;
  let lastName: string | null = null;
  let lastNameAt = -10;
  const resolve = (a: Attribution | null, at: number): Attribution | null => {
    if (!a || !a.pronoun) return a;
    let who = a.speaker === 'they' ? lastSpeaker : lastPerson;
    // a person named (not quoted) more recently than the last person quoted: the likelier "he"
    if (a.speaker !== 'they' && lastName !== null && lastNameAt >= at - 2 && lastNameAt > lastPersonAt) who = lastName;
    return who ? { ...a, speaker: who, pronoun: false } : null;
  };

  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i]!;
    const attribution = resolve(findAttribution(sentence), i);
    for (const f of extractFigures(sentence, attribution)) figures.push({ ...f, index: i });

    // a quotation left open at the end of this sentence continues in the next ones
    let span = sentence;
    let j = i;
    if (countQuotes(sentence) % 2 === 1) {
      while (j + 1 < sentences.length && j - i < MAX_QUOTE_SPAN && countQuotes(span) % 2 === 1) {
        j++;
        span = `${span} ${sentences[j]!}`;
      }
      if (countQuotes(span) % 2 === 1) {
        span = sentence;
        j = i;
      }
    }
    const spanAttribution = j === i ? attribution : (resolve(findAttribution(span), i) ?? attribution);
    for (const q of extractQuotes(span, spanAttribution)) {
      // a sentence printed twice (syndication glitches) is one quote
      if (quotes.some((x) => x.text === q.text)) continue;
      let speaker = q.speaker;
      // a quote without attribution in its own sentences, right after a named speaker's sentence
      if (speaker === null && lastSpeakerAt === i - 1 && lastSpeaker !== null) speaker = lastSpeaker;
      quotes.push({ ...q, speaker, index: i });
    }
    if (attribution && attribution.form === 'trailing' && !span.includes('"')) {
      const clause = sentence.slice(0, attribution.at).trim();
      if (clause.split(/\s+/).length >= 5) reported.push({ index: i, text: clause, speaker: attribution.speaker });
    }
    if (spanAttribution && !spanAttribution.pronoun) {
      lastSpeaker = spanAttribution.speaker;
      if (isPerson(spanAttribution.speaker)) {
        lastPerson = spanAttribution.speaker;
        lastPersonAt = j;
      }
      lastSpeakerAt = j;
    }
    // the first person's name of the sentence, outside quotes (usually its subject)
    for (let k = i; k <= j; k++) {
      const name = NAME.exec(sentences[k]!.replace(/"[^"]*"/g, ' '));
      if (name && !NOT_PERSON.test(name[0]) && !NOT_NAME.test(name[0])) {
        lastName = name[0];
        lastNameAt = k;
      }
    }
    if (j > i) {
      // skip the sentences the quotation spanned, but read their figures
      for (let k = i + 1; k <= j; k++) for (const f of extractFigures(sentences[k]!, spanAttribution)) figures.push({ ...f, index: k });
      i = j;
    }
  }
  for (let k = 0; k < figures.length; k++) {
    const f = figures[k]!;
    if (f.kind === 'date' && typeof f.value === 'string' && f.value.startsWith('????')) figures[k] = { ...f, value: resolveYear(f.value, options.published) };
  }
  return { quotes, figures, reported };
}

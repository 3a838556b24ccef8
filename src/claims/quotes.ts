import { type Attribution, findAttribution, MAX_CLAIM_SENTENCE } from './attribution.js';

/**
 * Quotes in one sentence: text inside quote marks (at least four words), or, when a
 * rewrite dropped the marks, a first-person clause attributed at the end ("We discussed
 * our proposal ..., said the Hamas official"): the first person shows it is someone's
 * words, not the reporter's summary. The speaker comes from the sentence's attribution.
 */
export interface QuoteFound {
  readonly text: string;
  readonly speaker: string | null;
  readonly marked: boolean;
}

const QUOTED = /"([^"]{12,}?)"/g;
const FIRST_PERSON = /\b(I|we|We|our|Our|us|my|My|me)\b/;

const MINOR = new Set(['a', 'an', 'the', 'of', 'from', 'in', 'on', 'and', 'or', 'to', 'for', 'at', 'by', 'with']);
/** Title Case without closing punctuation: a film, book or show named in quote marks. */
function isTitle(text: string): boolean {
  if (/[.!?,;:]$/.test(text)) return false;
  const words = text.split(/\s+/).filter((w) => !MINOR.has(w.toLowerCase()));
  return words.length > 0 && words.filter((w) => /^[A-Z0-9]/.test(w)).length / words.length >= 0.8;
}

function trimQuote(q: string): string {
  return q
    .trim()
    .replace(/[,;:]+$/, '')
    .trim();
}

/** Quotes of one sentence; `attribution` is its attribution when the caller resolved it (a pronoun speaker). */
export function extractQuotes(sentence: string, attribution: Attribution | null = findAttribution(sentence)): QuoteFound[] {
  const out: QuoteFound[] = [];
  if (sentence.length > MAX_CLAIM_SENTENCE) return out;
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(sentence); m; m = QUOTED.exec(sentence)) {
    const text = trimQuote(m[1]!);
    if (text.split(/\s+/).length < 4) continue; // scare quotes: "deception", "Oddfather"
    if (isTitle(text)) continue; // a title: "The Boy from Oz", "The Notorious Bettie Page"
    out.push({ text, speaker: attribution?.speaker ?? null, marked: true });
  }
  if (out.length === 0 && attribution && attribution.form === 'trailing' && !sentence.includes('"')) {
    const clause = trimQuote(sentence.slice(0, attribution.at));
    if (clause.split(/\s+/).length >= 5 && FIRST_PERSON.test(clause)) out.push({ text: clause, speaker: attribution.speaker, marked: false });
  }
  return out;
}

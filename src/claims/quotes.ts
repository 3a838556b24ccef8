import { findAttribution } from './attribution.js';

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

function trimQuote(q: string): string {
  return q.trim().replace(/[,;:]+$/, '').trim();
}

export function extractQuotes(sentence: string): QuoteFound[] {
  const out: QuoteFound[] = [];
  const attribution = findAttribution(sentence);
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(sentence); m; m = QUOTED.exec(sentence)) {
    const text = trimQuote(m[1]!);
    if (text.split(/\s+/).length < 4) continue; // scare quotes: "deception", "Oddfather"
    out.push({ text, speaker: attribution?.speaker ?? null, marked: true });
  }
  if (out.length === 0 && attribution && attribution.form === 'trailing' && !sentence.includes('"')) {
    const clause = trimQuote(sentence.slice(0, attribution.at));
    if (clause.split(/\s+/).length >= 5 && FIRST_PERSON.test(clause)) out.push({ text: clause, speaker: attribution.speaker, marked: false });
  }
  return out;
}

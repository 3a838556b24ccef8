import { franc } from 'franc-min';

/** ISO 639-3 (franc) to ISO 639-1 for the languages franc-min knows and news uses most. */
const ISO3_TO_1: Readonly<Record<string, string>> = {
  eng: 'en',
  fra: 'fr',
  deu: 'de',
  spa: 'es',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
  rus: 'ru',
  ukr: 'uk',
  pol: 'pl',
  arb: 'ar',
  cmn: 'zh',
  jpn: 'ja',
  kor: 'ko',
  tur: 'tr',
  hin: 'hi',
  ben: 'bn',
  ind: 'id',
  vie: 'vi',
  tha: 'th',
  pes: 'fa',
  swe: 'sv',
  ron: 'ro',
  ces: 'cs',
  hun: 'hu',
  ell: 'el',
  heb: 'he',
  urd: 'ur',
  swh: 'sw',
  zlm: 'ms',
  tgl: 'tl',
};

// The commonest English function words: in English prose they are about 40 % of tokens,
// in other Latin-script languages a few percent (shared words like "a", "in" aside).
const ENGLISH = new Set([
  'the',
  'and',
  'of',
  'to',
  'in',
  'a',
  'is',
  'that',
  'for',
  'it',
  'was',
  'on',
  'with',
  'he',
  'as',
  'by',
  'at',
  'from',
  'his',
  'have',
  'has',
  'are',
  'were',
  'be',
  'said',
  'this',
  'which',
  'an',
  'they',
  'not',
  'had',
  'been',
  'who',
  'will',
  'their',
  'but',
  'its',
  'after',
  'would',
]);
const DISTINCTIVE = new Set(['the', 'and', 'of', 'to', 'that', 'was', 'with', 'from', 'have', 'has', 'were', 'said', 'which', 'they', 'their', 'been', 'would']);

/**
 * Detects the language of a text. English news, most of what we see, is recognised
 * directly by its function words (fast and very reliable on 60+ words); anything else goes
 * to franc-min's trigram model (offline) on the first 1,000 characters. Returns ISO 639-1
 * where known, the 639-3 code otherwise, and `und` when the text is too short or unclear.
 */
export function detectLanguage(text: string): string {
  const words = text
    .slice(0, 2000)
    .toLowerCase()
    .match(/[a-z]+/g);
  if (words && words.length >= 30) {
    let common = 0;
    let distinctive = 0;
    for (const w of words) {
      if (ENGLISH.has(w)) common++;
      if (DISTINCTIVE.has(w)) distinctive++;
    }
    if (common / words.length > 0.25 && distinctive / words.length > 0.08) return 'en';
  }
  const sample = text.length > 1000 ? text.slice(0, 1000) : text;
  const code = franc(sample, { minLength: 20 });
  if (code === 'und') return 'und';
  return ISO3_TO_1[code] ?? code;
}

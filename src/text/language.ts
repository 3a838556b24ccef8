import { franc } from 'franc-min';

/** ISO 639-3 (franc) to ISO 639-1 for the languages franc-min knows and news uses most. */
const ISO3_TO_1: Readonly<Record<string, string>> = {
  eng: 'en', fra: 'fr', deu: 'de', spa: 'es', por: 'pt', ita: 'it', nld: 'nl', rus: 'ru', ukr: 'uk',
  pol: 'pl', arb: 'ar', cmn: 'zh', jpn: 'ja', kor: 'ko', tur: 'tr', hin: 'hi', ben: 'bn', ind: 'id',
  vie: 'vi', tha: 'th', pes: 'fa', swe: 'sv', ron: 'ro', ces: 'cs', hun: 'hu', ell: 'el', heb: 'he',
  urd: 'ur', swh: 'sw', zlm: 'ms', tgl: 'tl', ...{},
};

/**
 * Detects the language of a text from character trigrams (franc-min, offline). Returns
 * ISO 639-1 where known, the 639-3 code otherwise, and `und` when the text is too short
 * or unclear. Only the first 4,000 characters are read: enough, and bounded.
 */
export function detectLanguage(text: string): string {
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const code = franc(sample, { minLength: 20 });
  if (code === 'und') return 'und';
  return ISO3_TO_1[code] ?? code;
}

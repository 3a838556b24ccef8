import { type Attribution, findAttribution, MAX_CLAIM_SENTENCE } from './attribution.js';

/**
 * Figures stated in a sentence: counts (casualties, hostages, followers), amounts of
 * money, percentages and dates, each with what it measures and who the sentence
 * attributes it to. The measure of a count is its event verb when there is one near it
 * (killed, wounded, arrested, displaced) and otherwise its noun, plus a time scope when the
 * sentence gives one ("past 24 hours", "since Oct 7"), so 104 killed in a day and 29,514
 * killed in the war are different measures and not a conflict.
 */
export type FigureKind = 'count' | 'money' | 'percent' | 'date';

export interface Figure {
  /** the number as a value (counts, money, percent) or an ISO-like date string */
  readonly value: number | string;
  /** `people`, `USD`, `%`, or null */
  readonly unit: string | null;
  readonly kind: FigureKind;
  readonly measure: string;
  /** "at least", "more than", ... */
  readonly qualifier: string | null;
  readonly attribution: string | null;
  /** the words the figure was read from */
  readonly text: string;
}

const WORD_NUMBERS: Record<string, number> = {
  a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, hundred: 100, dozen: 12, dozens: 24,
};
const SCALE: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, mn: 1e6, m: 1e6, billion: 1e9, bn: 1e9, b: 1e9 };
const CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', dollars: 'USD', euros: 'EUR', pounds: 'GBP', usd: 'USD', eur: 'EUR', gbp: 'GBP' };
const EVENTS: ReadonlyArray<[RegExp, string]> = [
  [/\b(killed|dead|died|deaths?|killing|lost their lives|fatalities)\b/, 'killed'],
  [/\b(wounded|injured|injuries|hurt)\b/, 'wounded'],
  [/\b(arrested|detained|held)\b/, 'arrested'],
  [/\b(displaced|evacuated|fled|homeless)\b/, 'displaced'],
  [/\b(missing)\b/, 'missing'],
  [/\b(rescued|saved)\b/, 'rescued'],
];
const NUM = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens|hundreds|thousands)`;
const FIGURE = new RegExp(
  String.raw`(?<![\w.,])(?:(at least|more than|over|nearly|almost|about|around|some|up to|fewer than|less than|roughly|an estimated)\s+)?([$€£])?\s?${NUM}(?:\s?(million|mn|billion|bn|thousand)\b|(?<=\d)(mn|bn|m|k)\b)?\s?(%|percent\b|per cent\b)?`,
  'gi',
);
const SCOPE = /\b(?:in|over|during) the (?:past|last) (\d+|\w+) (hours?|days?|weeks?|months?)\b|\bsince ((?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})|(?:\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)|the (?:war|conflict|start of the war|beginning of the war) began|the war|the start of the war)\b/i;
const MONTH_BEFORE = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$/i;
const TIME_UNIT = /^(hours?|days?|weeks?|months?|years?|minutes?|seconds?|am|pm|a\.m|p\.m|gmt|bst|et|p|a|o'clock|th|st|nd|rd)\b/i;
const SKIP_NOUN = new Set(['the', 'a', 'an', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'were', 'was', 'had', 'have', 'has', 'been', 'are', 'is', 'be', 'other', 'others', 'more', 'than', 'people', 'online', 'its', 'their', 'his', 'her', 'new']);

function scopeOf(sentence: string): string | null {
  const m = SCOPE.exec(sentence);
  if (!m) return null;
  if (m[1] && m[2]) return `past ${m[1]} ${m[2].replace(/s$/, '')}s`;
  return `since ${m[3]!.replace(/\.$/, '')}`;
}

// words that end the noun phrase after a number: prepositions, verbs, relative pronouns
const NP_END = /^(?:of|in|on|at|to|for|from|by|with|who|which|that|were|was|had|have|has|are|is|be|been|will|would|could|and|or|but|as|after|before|since|during|among|including)$/;

/**
 * The counted noun after a number: the words up to the end of the noun phrase, and of
 * them the last plural (Two Palestinian officials familiar with -> officials), else the first.
 */
function headNoun(afterWords: readonly string[]): string | null {
  const run: string[] = [];
  for (const w of afterWords) {
    const word = w.replace(/[^a-z'-]/g, '');
    if (word === '' || NP_END.test(word) || (run.length > 0 && /ed$/.test(word))) break;
    if (!SKIP_NOUN.has(word)) run.push(word);
    if (/[,;:.]$/.test(w) || run.length >= 4) break;
  }
  if (run.length === 0) return null;
  for (let i = run.length - 1; i >= 0; i--) if (/[^s]s$/.test(run[i]!) || run[i] === 'people') return run[i]!;
  return run[0]!;
}

const MAY_HAVE_NUMBER = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens?|hundreds|thousands|million|billion)\b/i;
const MONTH_NAME = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const MAY_HAVE_DATE = new RegExp(`\\b${MONTH_NAME}\\b\\.?\\s*\\d|\\d\\s*${MONTH_NAME}\\b|\\d{1,4}[/-]\\d{1,2}[/-]\\d{1,4}`, 'i');

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const MONTH_DAY = new RegExp(`\\b(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAME})\\b\\.?(?:,?\\s+(\\d{4})\\b)?`, 'gi');
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * Dates written out with a day and a month ("Oct 7", "23 February 2024", "March 3, 2024",
 * 2024-02-23), as YYYY-MM-DD with ???? for a missing year. Weekdays and relative dates ("the
 * past 24 hours") are context, not figures. Our own reader: a general date parser was most
 * of the time of claim extraction and read far more than we keep.
 */
function writtenDates(sentence: string): Array<{ value: string; text: string; end: number }> {
  if (!MAY_HAVE_DATE.test(sentence)) return [];
  const out: Array<{ value: string; text: string; end: number; start: number }> = [];
  const push = (y: string | undefined, mon: string, day: string, m: RegExpExecArray): void => {
    const month = MONTHS[mon.slice(0, 3).toLowerCase()];
    const d = Number(day);
    if (!month || d < 1 || d > 31) return;
    if (out.some((o) => m.index < o.end && o.start < m.index + m[0].length)) return;
    out.push({ value: `${y ?? '????'}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`, text: m[0], start: m.index, end: m.index + m[0].length });
  };
  for (const m of sentence.matchAll(ISO_DATE)) {
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) out.push({ value: m[0], text: m[0], start: m.index, end: m.index + m[0].length });
  }
  for (const m of sentence.matchAll(MONTH_DAY)) push(m[3], m[1]!, m[2]!, m);
  for (const m of sentence.matchAll(DAY_MONTH)) push(m[3], m[2]!, m[1]!, m);
  return out.sort((a, b) => a.start - b.start).map(({ value, text, end }) => ({ value, text, end }));
}

function parseNumber(raw: string): number | null {
  const r = raw.toLowerCase();
  if (r in WORD_NUMBERS) return WORD_NUMBERS[r]!;
  if (r === 'hundreds') return 100;
  if (r === 'thousands') return 1000;
  const n = Number(r.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Figures of one sentence; `found` is its attribution when the caller resolved it (a pronoun speaker). */
export function extractFigures(sentence: string, found: Attribution | null = findAttribution(sentence)): Figure[] {
  const out: Figure[] = [];
  // most sentences state no number: skip the figure and date readers for them
  if (sentence.length > MAX_CLAIM_SENTENCE || !MAY_HAVE_NUMBER.test(sentence)) return out;
  const attribution = found?.speaker ?? null;
  const scope = scopeOf(sentence);
  FIGURE.lastIndex = 0;
  for (let m = FIGURE.exec(sentence); m; m = FIGURE.exec(sentence)) {
    if (m[0].trim() === '') {
      FIGURE.lastIndex++;
      continue;
    }
    const [whole, qualifier, currencySymbol, rawNumber, scaleWord, scaleSuffix, percent] = m;
    // the article "a" is a number only before a scale word ("a million")
    if (!scaleWord && (rawNumber === 'a' || rawNumber === 'A')) continue;
    // the words after the number, up to the next number or clause break
    const rest = sentence.slice(m.index + whole.length);
    const end = m.index + whole.trimEnd().length;
    // not figures: numbers glued to letters (76ers, 3D), compound adjectives (16-year-old,
    // 86-yard), scores, records and ranges (52-3, 9-14, $140-$150 million); their parts
    // would read as counts of "ers" or "-"
    if (/^[A-Za-z]/.test(sentence.slice(end)) && !scaleSuffix && !percent) continue;
    const head = sentence.slice(0, m.index + (whole.length - whole.trimStart().length));
    if (/^\s?-\s?(?:[A-Za-z]|\$?\d)/.test(sentence.slice(end)) || /[\dA-Za-z]\s?-\s?\$?$/.test(head)) continue;
    // clock times, also detokenised ("18: 50 IST"): not counts
    if (/\d:\s?$/.test(head) || /^:\s?\d/.test(sentence.slice(end))) continue;
    const after = (/^[^\d;:.!?]*/.exec(rest)?.[0] ?? '').split(/,\s/)[0]!.split(/\s+/).slice(0, 8).join(' ');
    const isWord = /^[a-z]/i.test(rawNumber!);
    const base = parseNumber(rawNumber!);
    if (base === null) continue;
    const before = sentence.slice(Math.max(0, m.index - 12), m.index);
    const afterWords = after.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const next = afterWords[0] ?? '';
    // dates and times are read by the date parser; durations and clock times are not figures
    if (!isWord && MONTH_BEFORE.test(before)) continue;
    if (TIME_UNIT.test(next) && !percent) continue;
    if (/^(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b/i.test(next)) continue;
    const scale = SCALE[(scaleWord ?? scaleSuffix ?? '').toLowerCase()] ?? 1;
    const value = Math.round(base * scale * 1000) / 1000;
    // "a $35,000 reward": the article is not an amount of dollars
    if (isWord && /^[$€£]/.test(next)) continue;
    const currency = currencySymbol ? CURRENCY[currencySymbol] : CURRENCY[next] ?? null;
    const text = `${whole.trim()} ${after.trim().split(/\s+/).slice(0, 3).join(' ')}`.trim();
    if (currency) {
      out.push({ value, unit: currency, kind: 'money', measure: 'amount', qualifier: qualifier?.toLowerCase() ?? null, attribution, text });
      continue;
    }
    if (percent) {
      const noun = afterWords.find((w) => !SKIP_NOUN.has(w)) ?? 'share';
      out.push({ value, unit: '%', kind: 'percent', measure: noun, qualifier: qualifier?.toLowerCase() ?? null, attribution, text });
      continue;
    }
    // a bare year is a date, a bare word number without a noun is prose ("one of the")
    if (!isWord && value >= 1900 && value <= 2100 && Number.isInteger(value) && scale === 1 && !/^\d{1,3},/.test(rawNumber!)) continue;
    if (isWord && (afterWords.length === 0 || ['of', 'another', 'more', 'day', 'time'].includes(next) || rawNumber!.toLowerCase() === 'a' && scale === 1)) continue;
    const window = after.toLowerCase();
    let measure: string | null = null;
    for (const [re, name] of EVENTS) if (re.test(window)) measure = name;
    // "killed at least 22 Palestinians": the event verb stands just before the number
    if (!measure) for (const [re, name] of EVENTS) if (re.test(sentence.slice(Math.max(0, m.index - 30), m.index).toLowerCase())) measure = name;
    const noun = headNoun(afterWords);
    if (!measure) {
      if (!noun) continue;
      measure = noun;
    }
    if (scope && (measure === 'killed' || measure === 'wounded' || measure === 'arrested' || measure === 'displaced')) measure = `${measure} (${scope})`;
    out.push({ value, unit: afterWords.includes('people') || afterWords.includes('others') ? 'people' : noun, kind: 'count', measure, qualifier: qualifier?.toLowerCase() ?? null, attribution, text });
  }
  // dates with a day: "Oct 7", "23 February 2024", "Friday" is too vague to count
  for (const d of writtenDates(sentence)) {
    // "the October 7 attack": a noun right after the date says what it dates
    const next = /^\s+([a-z][a-z-]+)/.exec(sentence.slice(d.end))?.[1];
    const measure = next && !SKIP_NOUN.has(next) && !/^(and|but|when|after|before|until)$/.test(next) ? `date (${next})` : 'date';
    out.push({ value: d.value, unit: null, kind: 'date', measure, qualifier: null, attribution, text: d.text });
  }
  return out;
}

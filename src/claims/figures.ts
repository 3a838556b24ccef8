import * as chrono from 'chrono-node';
import { findAttribution } from './attribution.js';

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

function parseNumber(raw: string): number | null {
  const r = raw.toLowerCase();
  if (r in WORD_NUMBERS) return WORD_NUMBERS[r]!;
  if (r === 'hundreds') return 100;
  if (r === 'thousands') return 1000;
  const n = Number(r.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

export function extractFigures(sentence: string): Figure[] {
  const out: Figure[] = [];
  const attribution = findAttribution(sentence)?.speaker ?? null;
  const scope = scopeOf(sentence);
  FIGURE.lastIndex = 0;
  for (let m = FIGURE.exec(sentence); m; m = FIGURE.exec(sentence)) {
    if (m[0].trim() === '') {
      FIGURE.lastIndex++;
      continue;
    }
    const [whole, qualifier, currencySymbol, rawNumber, scaleWord, scaleSuffix, percent] = m;
    // the words after the number, up to the next number or clause break
    const rest = sentence.slice(m.index + whole.length);
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
    const noun = afterWords.find((w) => !SKIP_NOUN.has(w) && /^[a-z]/.test(w)) ?? null;
    if (!measure) {
      if (!noun) continue;
      measure = noun;
    }
    if (scope && (measure === 'killed' || measure === 'wounded' || measure === 'arrested' || measure === 'displaced')) measure = `${measure} (${scope})`;
    out.push({ value, unit: afterWords.includes('people') || afterWords.includes('others') ? 'people' : noun, kind: 'count', measure, qualifier: qualifier?.toLowerCase() ?? null, attribution, text });
  }
  // dates with a day: "Oct 7", "23 February 2024", "Friday" is too vague to count
  for (const r of chrono.parse(sentence, new Date(Date.UTC(2024, 0, 1)))) {
    // only dates written out ("Oct 7", "23 February 2024"), not "the past 24 hours" or "Friday"
    if (!r.start.isCertain('day') || !r.start.isCertain('month') || !/[A-Za-z]{3}|\d{4}|\d+\/\d+/.test(r.text) || /\b(past|last|ago|next)\b/i.test(r.text)) continue;
    const y = r.start.isCertain('year') ? String(r.start.get('year')) : '????';
    const value = `${y}-${String(r.start.get('month')).padStart(2, '0')}-${String(r.start.get('day')).padStart(2, '0')}`;
    // "the October 7 attack": a noun right after the date says what it dates
    const next = /^\s+([a-z][a-z-]+)/.exec(sentence.slice(r.index + r.text.length))?.[1];
    const measure = next && !SKIP_NOUN.has(next) && !/^(and|but|when|after|before|until)$/.test(next) ? `date (${next})` : 'date';
    out.push({ value, unit: null, kind: 'date', measure, qualifier: null, attribution, text: r.text });
  }
  return out;
}

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
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  dozen: 12,
  dozens: 24,
};
const SCALE: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, mn: 1e6, m: 1e6, billion: 1e9, bn: 1e9, b: 1e9 };
const CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', dollars: 'USD', euros: 'EUR', pounds: 'GBP', usd: 'USD', eur: 'EUR', gbp: 'GBP' };
const EVENTS: ReadonlyArray<[RegExp, string]> = [
  [/\b(killed|dead|died|deaths?|killing|lost their lives|fatalities)\b/, 'killed'],
  [/\b(wounded|injured|injuries|hurt)\b/, 'wounded'],
  [/\b(arrested|detained|held)\b/, 'arrested'],
  [/\b(displaced|evacuated|homeless|refugees|fled (?:their homes|the (?:fighting|violence|region|country|city|area)))\b/, 'displaced'],
  [/\b(missing)\b/, 'missing'],
  [/\b(rescued|saved)\b/, 'rescued'],
];
// the same events right before a number: "killed at least 22 Palestinians"
const EVENTS_BEFORE: ReadonlyArray<[RegExp, string]> = EVENTS.map(([re, name]) => [new RegExp(`${re.source}\\s*$`), name]);
const NUM = String.raw`(\d{1,3}(?:, ?\d{3}(?!\d))+|\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens|hundreds|thousands)`;
const FIGURE = new RegExp(
  String.raw`(?<![\w.,])(?:(at least|at most|more than|no fewer than|no more than|as many as|upwards of|just over|just under|over|nearly|almost|about|around|approximately|close to|some|up to|fewer than|less than|roughly|an estimated)\s+)?([$€£])?\s?${NUM}(?:\s?(million|mn|billion|bn|thousand)\b|(?<=\d)(mn|bn|m|k)\b)?\s?(%|percent\b|per cent\b)?`,
  'gi',
);
const SCOPE =
  /\b(?:in|over|during) the (?:past|last) (\d+|\w+) (hours?|days?|weeks?|months?)\b|\bsince ((?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2})|(?:\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)|the (?:war|conflict|start of the war|beginning of the war) began|the war|the start of the war)\b/i;
const MONTH_BEFORE = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$/i;
const TIME_UNIT = /^(hours?|days?|weeks?|months?|years?|minutes?|seconds?|am|pm|a\.m|p\.m|gmt|bst|et|p|a|o'clock|th|st|nd|rd)\b/i;
const SKIP_NOUN = new Set([
  'the',
  'a',
  'an',
  'of',
  'and',
  'or',
  'in',
  'on',
  'at',
  'to',
  'for',
  'from',
  'by',
  'with',
  'were',
  'was',
  'had',
  'have',
  'has',
  'been',
  'are',
  'is',
  'be',
  'other',
  'others',
  'more',
  'than',
  'people',
  'online',
  'its',
  'their',
  'his',
  'her',
  'new',
]);

// words that follow a number without being what it counts: adjectives, adverbs, verbs,
// determiners ("one bad apple", "3 different", "2 behind", "one clinging to life")
const NOT_COUNTED = new Set([
  'bad',
  'good',
  'different',
  'other',
  'several',
  'young',
  'old',
  'older',
  'younger',
  'more',
  'many',
  'few',
  'additional',
  'separate',
  'unidentified',
  'unknown',
  'possible',
  'same',
  'total',
  'behind',
  'ahead',
  'apart',
  'away',
  'back',
  'down',
  'up',
  'out',
  'off',
  'over',
  'under',
  'went',
  'was',
  'is',
  'call',
  'time',
  'day',
  'days',
  'each',
  'apiece',
  'another',
  'last',
  'first',
  'next',
  'only',
  'just',
  'still',
  'also',
  'now',
  'then',
  'there',
  'here',
  'who',
  'whom',
  'suspected',
  'alleged',
  'reported',
  'believed',
  'fatally',
  'critically',
  'seriously',
  'also',
  'condition',
  'point',
  'news',
  'pro',
  'caption',
  'photo',
  'photos',
  'way',
  'thing',
  'things',
  'hundreds',
  'thousands',
  'dozens',
  'else',
  'this',
  'that',
  'these',
  'those',
  'which',
  'what',
  'whose',
  'both',
  'all',
  'none',
  'either',
  'neither',
  'percent',
  'per',
  'near',
  'year',
  'years',
  'month',
  'months',
  'week',
  'weeks',
  'hour',
  'hours',
  'minute',
  'minutes',
  'second',
  'seconds',
]);
// nouns whose plural does not end in s
const IRREGULAR_PLURAL = /^(?:men|women|people|children|police|feet|teeth|personnel|staff|crew|youth|deer|sheep|fish|aircraft|militia|troops|cattle|dozen|hundred|thousand)$/;

/** Whether a word can be the noun a number counts: a noun, plural unless the count is one. */
function countable(noun: string, value: number): boolean {
  if (noun.length < 3 || !/^[a-z][a-z'-]*[a-z]$/.test(noun) || NOT_COUNTED.has(noun)) return false;
  if (/ly$/.test(noun) || /ing$/.test(noun) || /ed$/.test(noun) || /'s$/.test(noun)) return false;
  const plural = /[^su]s$/.test(noun) || IRREGULAR_PLURAL.test(noun);
  return value === 1 ? !/[^su]s$/.test(noun) : plural;
}

// words before a number that make it part of a name: "Channel 5", "Highway 50", "Apartment 3"
const NAMED_NUMBER =
  /^(?:channel|fox|highway|interstate|route|station|apartment|apt\.?|room|unit|suite|precinct|district|ward|gate|terminal|flight|building|lot|pier|exit|grade|level|zone|sector|section|chapter|article|title|proposition|prop\.?|amendment|game|week|round|stage|number|box|local|u\.s\.|us|i|sr|hwy\.?|rt\.?|ch\.?)$/i;
// a person before a bare number between commas: "Damien Bryant, 32, was shot"
const PERSON_BEFORE_AGE =
  /(?:\b[A-Z][\p{L}'.-]+|\b(?:man|woman|boy|girl|male|female|males|females|victim|suspect|son|daughter|mother|father|wife|husband|brother|sister|teen|teenager|driver|officer))\s*,\s*$/u;

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
function headNoun(afterWords: readonly string[], raw: readonly string[] = afterWords): string | null {
  const run: string[] = [];
  // a capitalised word before a lowercase one is a modifier ("2 Minneapolis men"), not the head
  const modifier = new Set<string>();
  for (let k = 0; k < afterWords.length; k++) {
    const w = afterWords[k]!;
    const word = w.replace(/[^a-z'-]/g, '');
    if (/^[A-Z]/.test(raw[k] ?? '') && /^[a-z]/.test(raw[k + 1] ?? '')) modifier.add(word);
    if (word === '' || NP_END.test(word) || (run.length > 0 && /ed$/.test(word))) break;
    if (word === 'people') return 'people';
    if (!SKIP_NOUN.has(word)) run.push(word);
    if (/[,;:.!?]["')\]]*$/.test(w) || run.length >= 4) break;
  }
  if (run.length === 0) return null;
  // the first plural: "20,000 scientists sent separate letters" counts scientists
  for (let i = 0; i < run.length; i++) if ((/[^s]s$/.test(run[i]!) || IRREGULAR_PLURAL.test(run[i]!)) && !modifier.has(run[i]!)) return run[i]!;
  return run[0]!;
}

const MAY_HAVE_NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens?|hundreds|thousands|million|billion)\b/i;
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

/**
 * A date written without its year ("Oct 7") in an article published on `published`: the
 * latest such day on or before a month after publication; `--10-07` (ISO 8601's day of the
 * year) when the article is undated. `????-10-07` read as a date of year zero.
 */
export function resolveYear(value: string, published: string | null | undefined): string {
  if (!value.startsWith('????-')) return value;
  const md = value.slice(5);
  const y = published ? Number(published.slice(0, 4)) : Number.NaN;
  if (!Number.isInteger(y)) return `--${md}`;
  const pub = Date.parse(published!.slice(0, 10));
  const same = Date.parse(`${y}-${md}`);
  return `${Number.isNaN(same) || same <= pub + 31 * 86_400_000 ? y : y - 1}-${md}`;
}

function parseNumber(raw: string): number | null {
  const r = raw.toLowerCase();
  if (r in WORD_NUMBERS) return WORD_NUMBERS[r]!;
  if (r === 'hundreds') return 100;
  if (r === 'thousands') return 1000;
  const n = Number(r.replace(/, ?/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Figures of one sentence; `found` is its attribution when the caller resolved it (a pronoun speaker). */
export function extractFigures(sentence: string, found: Attribution | null = findAttribution(sentence)): Figure[] {
  const out: Figure[] = [];
  // most sentences state no number: skip the figure and date readers for them
  if (sentence.length > MAX_CLAIM_SENTENCE || !MAY_HAVE_NUMBER.test(sentence)) return out;
  const attribution = found?.speaker ?? null;
  const scope = scopeOf(sentence);
  // numbers inside web addresses, slugs and ids are not figures
  const urls: Array<[number, number]> = [];
  for (const u of sentence.matchAll(/\bhttps?:\/\/\S+|\bwww\.\S+|\S*[/_=]\S*\d\S*|\S+\.(?:com|org|net|html?|php|aspx?)\b\S*/gi)) urls.push([u.index, u.index + u[0].length]);
  let lastAgeEnd = -1;
  FIGURE.lastIndex = 0;
  for (let m = FIGURE.exec(sentence); m; m = FIGURE.exec(sentence)) {
    if (m[0].trim() === '') {
      FIGURE.lastIndex++;
      continue;
    }
    const [whole, qualifier, currencySymbol, rawNumber, scaleWord, scaleSuffix, percent] = m;
    // the article "a" is a number only before a scale word ("a million")
    if (!scaleWord && (rawNumber === 'a' || rawNumber === 'A')) continue;
    if (urls.some(([a, b]) => m.index < b && m.index + whole.length > a)) continue;
    const numberAt = m.index + whole.indexOf(rawNumber!);
    const prevWord = /(\S+)\s*$/.exec(sentence.slice(Math.max(0, numberAt - 40), numberAt))?.[1] ?? '';
    // ids and numbers of things with a name: "No. 5", "#3", "fhid 165,548,588", "Fox 4", "Highway 50"
    if (
      !currencySymbol &&
      !qualifier &&
      /\d/.test(rawNumber!) &&
      (/^(?:#|no\.?|id|nos?\.)$/i.test(prevWord) ||
        /[#:]$/.test(prevWord) ||
        /^[A-Z]{2,}\d*$/.test(prevWord) ||
        /^(?:fhid|uid|uuid|guid|pid|sid|cid|oid)$/i.test(prevWord) ||
        NAMED_NUMBER.test(prevWord))
    )
      continue;
    const numEnd = m.index + whole.trimEnd().length;
    // "no one was injured": no count of one
    if (/^one$/i.test(rawNumber!) && /^no$/i.test(prevWord)) continue;
    // a number after a name is part of it ("Internet Explorer 9", "Pebble Squad 1")
    if (
      !currencySymbol &&
      !qualifier &&
      /^[A-Z][a-z]+$/.test(prevWord) &&
      /\S\s+\S+\s*$/.test(sentence.slice(0, numberAt)) &&
      !/^(?:The|In|On|At|Of|For|About|Some|Only|All|And|But|With|By|From|To|After|Before|Police|Officers|Authorities|Officials|Deputies)$/.test(prevWord)
    )
      continue;
    // ages: "27 years old", "a 16-year-old boy", "age 18", "Damien Bryant, 32, was shot"
    const listedAge = lastAgeEnd >= 0 && /^[\s,]*(?:and|or|to)?\s*$/.test(sentence.slice(lastAgeEnd, numberAt)) && /^\d{1,3}$/.test(rawNumber!);
    const ageWord =
      listedAge ||
      /^(?:aged?|ages)$/i.test(prevWord) ||
      (/^\d{1,3}$/.test(rawNumber!) && !qualifier && PERSON_BEFORE_AGE.test(sentence.slice(Math.max(0, numberAt - 40), numberAt)) && /^\s*(?:[,;)]|and\b|$|\.\s*$)/.test(sentence.slice(numEnd)));
    const age = /^\s?-?\s?(?:years?|months?)\s?-?\s?old\b(?:\s+([a-z]+))?/i.exec(sentence.slice(numEnd)) ?? (ageWord ? /^/.exec('') : null);
    if (age && !currencySymbol && !percent) {
      const base = parseNumber(rawNumber!);
      lastAgeEnd = numEnd + age[0].length;
      if (base !== null && base > 0 && base < 125)
        out.push({
          value: base,
          unit: /month/i.test(age[0]) ? 'months' : 'years',
          kind: 'count',
          measure: 'age',
          qualifier: qualifier?.toLowerCase() ?? null,
          attribution,
          text: `${whole.trim()}${age[0].replace(/\s+[a-z]+$/i, '')}`.trim(),
        });
      continue;
    }
    // prison terms: "sentenced to 25 years", "15 years in prison"
    const term = /^\s?(years?|months?)\b(?:\s+(?:in (?:prison|jail)|behind bars|to life|of probation))?/i.exec(sentence.slice(numEnd));
    if (
      term &&
      !currencySymbol &&
      !percent &&
      (/\s(?:in (?:prison|jail)|behind bars|to life|of probation)/i.test(term[0]) ||
        /\b(?:sentenced to|sentence of|faces?|facing|serve|serving|up to)\s*$/i.test(sentence.slice(Math.max(0, m.index - 25), m.index + (qualifier ? qualifier.length + 1 : 0))))
    ) {
      const base = parseNumber(rawNumber!);
      if (base !== null)
        out.push({
          value: base,
          unit: term[1]!.toLowerCase().replace(/s?$/, 's'),
          kind: 'count',
          measure: 'sentence',
          qualifier: qualifier?.toLowerCase() ?? null,
          attribution,
          text: `${whole.trim()}${term[0]}`.trim(),
        });
      continue;
    }
    // durations: "for 35 years", "30 seconds", "a one-year sentence", "the first 15 days"
    const dur0 = /^\s?-?\s?(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b/i.exec(sentence.slice(numEnd));
    const durBase = parseNumber(rawNumber!);
    if (dur0 && durBase !== null && !percent && !currencySymbol && !/^a$/i.test(rawNumber!) && !/\d:\s?$/.test(sentence.slice(0, m.index))) {
      const unit = dur0[1]!.toLowerCase().replace(/s?$/, 's');
      out.push({ value: durBase, unit, kind: 'count', measure: 'duration', qualifier: qualifier?.toLowerCase() ?? null, attribution, text: `${whole.trim()}${dur0[0]}`.trim() });
      continue;
    }
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
    // the words the number governs: up to the next number, clause or conjunction ("killed one
    // person and injured several others": "person", not "injured")
    const after = (/^[^\d;:.!?]*/.exec(rest)?.[0] ?? '')
      .split(/,\s|(?:^|\s)(?:and|but|while|after|before|when|as|because|including|or)\s/)[0]!
      .split(/\s+/)
      .slice(0, 8)
      .join(' ');
    const isWord = /^[a-z]/i.test(rawNumber!);
    const base = parseNumber(rawNumber!);
    if (base === null) continue;
    const before = sentence.slice(Math.max(0, m.index - 12), m.index);
    const afterWords = after.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const next = afterWords[0] ?? '';
    // dates and times are read by the date parser; durations and clock times are not figures
    if (!isWord && MONTH_BEFORE.test(before)) continue;
    if (TIME_UNIT.test(next) && !percent) continue;
    // a street address ("the 1300 block of", "3500 Prospect Avenue", "1600 E. 35th") or an emergency number
    if (!currencySymbol && !percent && /^(?:block|blocks)\b/.test(next)) continue;
    const firstAfter = /^\s*(\S+)/.exec(rest)?.[1] ?? '';
    if (!currencySymbol && !percent && !scaleWord && /^[A-Z]/.test(firstAfter) && !/(?:ans|ers|ese|is|ites|ians)$/.test(firstAfter.replace(/\W+$/, ''))) continue;
    if (rawNumber === '911' || rawNumber === '999') continue;
    if (/^(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b/i.test(next)) continue;
    const scale = SCALE[(scaleWord ?? scaleSuffix ?? '').toLowerCase()] ?? 1;
    const value = Math.round(base * scale * 1000) / 1000;
    // "a $35,000 reward": the article is not an amount of dollars
    if (isWord && /^[$€£]/.test(next)) continue;
    const currency = currencySymbol ? CURRENCY[currencySymbol] : (CURRENCY[next] ?? null);
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
    if (isWord && (afterWords.length === 0 || ['of', 'another', 'day', 'time'].includes(next) || (rawNumber!.toLowerCase() === 'a' && scale === 1))) continue;
    const window = after.toLowerCase();
    let measure: string | null = null;
    for (const [re, name] of EVENTS) if (re.test(window)) measure = name;
    // "killed at least 22 Palestinians": the event verb stands just before the number
    if (!measure) {
      const before = sentence.slice(Math.max(0, m.index - 30), m.index).toLowerCase();
      for (const [re, name] of EVENTS_BEFORE) if (re.test(before)) measure = name;
    }
    const noun = headNoun(afterWords, after.trim().split(/\s+/).filter(Boolean));
    if (!measure) {
      // a count of something named: the noun must be one, and agree with the number
      if (!noun || !countable(noun, value)) continue;
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

import { NUMBER_WORDS } from '../text/numbers.js';
import { prune, type Vec } from './vectors.js';

/**
 * Specifics of an event report: the ages of the people in it ("a 23-year-old man", "Jason
 * Acosta-Ramos, 18,", "Boy, 3, Shot", "ages 16 and 17"). On a stream of one kind of event
 * (shootings in the same cities, week after week) two reports of two events share the city,
 * the vocabulary and often the counts; the people's ages are what differ, and the reports of one
 * event repeat them. So the ages become features of their own (in the numbers channel, as
 * "<age>y", apart from the bare numbers, where "18" is as often a time or a date), and an
 * article and a story that both give a few ages and share none are scaled down as a match
 * (see ageVeto; a round-up that names many people's ages is neither vetoed nor vouched for).
 */

const MONTHS = new Set([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]);

/** "23-year-old", "3 year old", "three-year-old", "23-years-old", "23-yr-old", "59 - year - old" */
const YEAR_OLD =
  /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)(?: ?- ?| )(?:years?|yr)(?: ?- ?| )old\b/gi;
/** "Jason Acosta-Ramos, 18, died" / "Boy, 3, Shot": a capitalised word, a comma, an age, a comma or full stop */
const NAME_AGE = /\b([A-Z][\w'’-]*), (\d{1,2})(?=[,.;)]|\s+(?:and|of|from|were|was|died|is)\b)/g;
/** "age 18", "aged 18", "ages 16 and 17", "ages 16, 17 and 19" */
const AGED = /\bage[sd]? (\d{1,2})(?:(?:, | and | to )(\d{1,2}))?(?:(?:, | and | to )(\d{1,2}))?/gi;

/**
 * Ages are read from an article's first this many characters: the lead names the people the
 * event happened to (and the suspect); further down come witnesses, neighbours and relatives,
 * whose ages the other reports do not share (over the whole text ECB+ dev lost 0.0007 B-cubed
 * F1, paired over 41 orders, against 0.0005 so; gun-violence dev 0.9471 against 0.9463).
 */
export const AGE_LEAD_CHARS = 1000;

/** The distinct ages an article's lead (see AGE_LEAD_CHARS) gives, ascending (1-99). */
export function extractAges(full: string): number[] {
  const text = full.length > AGE_LEAD_CHARS ? full.slice(0, AGE_LEAD_CHARS) : full;
  const out = new Set<number>();
  const put = (s: string | undefined): void => {
    if (s === undefined) return;
    const n = /^\d+$/.test(s) ? Number(s) : NUMBER_WORDS.get(s.toLowerCase());
    if (n !== undefined && n >= 1 && n <= 99) out.add(n);
  };
  for (const m of text.matchAll(YEAR_OLD)) put(m[1]);
  for (const m of text.matchAll(NAME_AGE)) if (!MONTHS.has(m[1]!.toLowerCase().replace(/\.$/, ''))) put(m[2]);
  for (const m of text.matchAll(AGED)) {
    put(m[1]);
    put(m[2]);
    put(m[3]);
  }
  return [...out].sort((a, b) => a - b);
}

/** The numbers-channel term of an age (apart from the bare number). */
export const ageTerm = (age: number): string => `${age}y`;

/**
 * Whether two sets of age feature ids conflict: both sides give at least one age and at most
 * `max` (more is a round-up, or a story that already holds several events' people), and they
 * share none.
 */
export function agesConflict(article: readonly number[], story: readonly number[], max: number): boolean {
  if (article.length === 0 || story.length === 0 || article.length > max || story.length > max) return false;
  for (const a of article) if (story.includes(a)) return false;
  return true;
}

/**
 * Whether an article is a round-up of several events ("6 Dead, 28 Wounded In Weekend
 * Shootings", a police blotter, a news digest): it names at least `min` places (multi-word
 * names of streets, districts, hospitals: see isPlaceName) among its `keep` strongest names.
 * One event's report gives its street, maybe a cross street and the hospital; a round-up
 * gives each event's. Counted over the strongest names only, which is what a story keeps
 * of a member (see MEMBER_FEATURES), so a member read back from a saved state is judged alike.
 */
export function isRoundUp(names: Vec, isPlace: (id: number) => boolean, min: number, keep: number): boolean {
  if (min <= 0) return false;
  let strongest = names;
  // a copy only for an article with more names than a member keeps (few do)
  if (names.size > keep) prune((strongest = new Map(names)), keep);
  let n = 0;
  for (const id of strongest.keys()) if (isPlace(id)) n++;
  return n >= min;
}

/** The age feature ids of a vector's numbers channel (`isAge` tells them apart). */
export function agesOf(numbers: Vec, isAge: (id: number) => boolean): number[] {
  const out: number[] = [];
  for (const id of numbers.keys()) if (isAge(id)) out.push(id);
  return out;
}

/**
 * Words that make a name a place or an institution ("Kings County Hospital", "Cactus Road",
 * "East Flatbush", "Liberty City"): rare for a while, but every later event in that
 * neighbourhood shares them.
 */
const PLACE_WORDS = new Set([
  'street',
  'st',
  'avenue',
  'ave',
  'road',
  'rd',
  'boulevard',
  'blvd',
  'drive',
  'dr',
  'lane',
  'ln',
  'way',
  'place',
  'court',
  'ct',
  'highway',
  'parkway',
  'hospital',
  'center',
  'centre',
  'county',
  'city',
  'park',
  'heights',
  'hills',
  'village',
  'square',
  'station',
  'school',
  'church',
  'mall',
  'apartments',
  'district',
  'township',
  'department',
  'office',
  'police',
  'sheriff',
  'university',
  'college',
  'club',
  'bar',
  'lounge',
  'hall',
]);
const PLACE_FIRST = new Set(['east', 'west', 'north', 'south', 'northeast', 'northwest', 'southeast', 'southwest', 'upper', 'lower', 'downtown', 'fort', 'mount', 'lake', 'port', 'saint', 'st']);

/** Whether a multi-word name (normalised, words joined by spaces) names a place or an institution. */
export function isPlaceName(name: string): boolean {
  const words = name.split(' ');
  return PLACE_WORDS.has(words[words.length - 1]!) || PLACE_FIRST.has(words[0]!);
}

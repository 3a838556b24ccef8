/**
 * A small, hand-written English lexicon for sentence comparison: irregular verb forms to
 * their base form, phrasal verbs to a one-word equivalent, groups of near-synonyms used in
 * news, month/day abbreviations and number words. It is general English, not tuned to any
 * text: a paraphrase pair in our tests must be found through entries any news reader would
 * agree on (ramp up = intensify, truce = ceasefire).
 *
 * Every entry maps a lower-cased word to a canonical *concept*; `concept()` applies them
 * in order (phrase, irregular form, synonym group, Porter stem). The shipped document
 * frequency table is keyed by these concepts, so a change here must bump
 * `LEXICON_VERSION` and regenerate the table (bench/_compare-idf.ts).
 */

import { stem } from '../text/index.js';
import { NUMBER_WORDS } from '../text/numbers.js';

export const LEXICON_VERSION = 1;

// Irregular past tenses and participles that the Porter stemmer leaves apart from the base.
const IRREGULAR = `arise arose arisen|awake awoke awoken|be was were been|bear bore borne born|beat beaten|become became|begin began begun|
bend bent|bet|bid|bind bound|bite bit bitten|bleed bled|blow blew blown|break broke broken|breed bred|bring brought|build built|
burn burnt|burst|buy bought|cast|catch caught|choose chose chosen|cling clung|come came|cost|creep crept|cut|deal dealt|dig dug|
do did done|draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|
find found|flee fled|fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|
get got gotten|give gave given|go went gone|grind ground|grow grew grown|hang hung|have had has|hear heard|hide hid hidden|hit|
hold held|hurt|keep kept|kneel knelt|know knew known|lay laid|lead led|leave left|lend lent|let|lie lay lain|light lit|lose lost|
make made|mean meant|meet met|pay paid|prove proven|put|quit|read|ride rode ridden|ring rang rung|rise rose risen|run ran|
say said says|see saw seen|seek sought|sell sold|send sent|set|shake shook shaken|shed|shine shone|shoot shot|show shown|
shrink shrank shrunk|shut|sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|speak spoke spoken|spend spent|spin spun|
split|spread|spring sprang sprung|stand stood|steal stole stolen|stick stuck|sting stung|strike struck stricken|strive strove striven|
swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|tear tore torn|tell told|think thought|
throw threw thrown|undergo underwent undergone|understand understood|undertake undertook undertaken|uphold upheld|upset|
wake woke woken|wear wore worn|weep wept|win won|wind wound|withdraw withdrew withdrawn|withhold withheld|write wrote written|
overtake overtook overtaken|overcome overcame|oversee oversaw overseen|overthrow overthrew overthrown|mislead misled|
child children|man men|woman women|person people persons|mouse mice|foot feet|tooth teeth|die died dying dead|lie lying`;

// Phrasal verbs and fixed expressions, matched on consecutive lower-cased tokens (any
// inflection of the first word), each mapped to a single-word equivalent. The first
// word's irregular forms are handled through IRREGULAR (e.g. "stepped up", "went ahead").
const PHRASES = `ramp up=intensify|step up=intensify|scale up=intensify|beef up=strengthen|head off=prevent|fend off=prevent|ward off=prevent|
wrap up=complete|call on=urge|call for=demand|go ahead=proceed|pull out=withdraw|pull back=withdraw|step down=resign|
take part=participate|take place=occur|carry out=conduct|set up=establish|set off=trigger|put off=postpone|call off=cancel|
break out=erupt|look into=investigate|find out=discover|give up=surrender|turn down=reject|bring back=return|come back=return|
go back=return|point out=note|hand over=transfer|blow up=explode|shut down=close|pass away=die|check in=enter|
chief executive=ceo|prime minister=premier|united states=us|united kingdom=uk|united nations=un|in the hope of=hope`;

// Near-synonym groups: the first word is the concept for all. Kept to pairs that stay
// synonyms in news sense; a word with a common unrelated sense (fire, strike, charge)
// is left out rather than risk false matches.
const SYNONYMS = `ceasefire truce armistice|intensify escalate heighten|negotiate negotiation negotiations talks talk|
kill slay slain die death dead deaths fatality fatalities perish|wound injure injury injuries injured wounded hurt|
attack assault offensive raid onslaught|vast enormous huge massive immense tremendous|large big sizable|small little tiny|
agreement deal accord pact|complete finish conclude|prevent avert avoid|shelter refuge haven|urge press|
withdraw withdrawal pullout retreat|proceed continue|request ask|threaten threat|
arrest detain apprehend nab capture|buy purchase acquire acquisition|begin start commence launch|rise increase climb grow surge jump|
fall drop decline decrease plunge slump tumble|resign quit|dismiss sack|help assist aid|try attempt|
need require|get obtain receive|give provide|show display demonstrate|tell inform|announce declare|confirm verify|
reply respond answer|claim allege|spokesman spokeswoman spokesperson|
quake earthquake tremor temblor|film movie|car vehicle automobile|child kid|rehab rehabilitation|hospitalize hospitalise|
people persons individuals|doctor physician|lawyer attorney|firm company|shoot gun|gunman shooter|police cops|
jail prison imprison imprisonment incarcerate|convict conviction|accuse accused|investigate probe inquiry investigation|
evacuate evacuation|destroy demolish|damage harm|reveal disclose|expect anticipate|participate join|
warn caution|leave depart|strengthen bolster reinforce|postpone delay|
cancel scrap|reject dismiss|explode blast explosion|close shut|establish create found|trigger spark|
premier pm|us usa america american americans|uk britain british|un unitednations|ceo boss|
halt stop cease|effort push endeavour endeavor`;

const MONTHS = `january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept|october oct|november nov|december dec|
monday mon|tuesday tue tues|wednesday wed|thursday thu thur thurs|friday fri|saturday sat|sunday sun`;

/** Words that reverse a clause; a pair where one side negates and the other does not is suspicious. */
export const NEGATIONS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'neither',
  'nor',
  'without',
  "n't",
  "don't",
  "doesn't",
  "didn't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "won't",
  "wouldn't",
  "can't",
  'cannot',
  "couldn't",
  "shouldn't",
  "hasn't",
  "haven't",
  "hadn't",
  'denied',
  'denies',
  'deny',
  'refused',
  'refuses',
  'refuse',
]);

function parseGroups(spec: string): string[][] {
  return spec
    .split('|')
    .map((g) => g.trim().split(/\s+/).filter(Boolean))
    .filter((g) => g.length > 0);
}

const IRREGULAR_BASE = new Map<string, string>();
for (const group of parseGroups(IRREGULAR)) for (const w of group) IRREGULAR_BASE.set(w, group[0]!);

const MONTH_OF = new Map<string, string>();
for (const group of parseGroups(MONTHS)) for (const w of group) MONTH_OF.set(w, group[0]!);

// Synonym groups are keyed by the stem of each member so that inflected forms reach them.
const SYNONYM_OF = new Map<string, string>();
for (const group of parseGroups(SYNONYMS)) {
  const head = stem(group[0]!);
  for (const w of group) {
    const k = stem(IRREGULAR_BASE.get(w) ?? w);
    // first group wins: a word listed twice keeps its first sense
    if (!SYNONYM_OF.has(k)) SYNONYM_OF.set(k, head);
  }
}

export interface Phrase {
  readonly words: readonly string[];
  readonly concept: string;
}
/** Phrases keyed by the base form of their first word. */
const PHRASES_BY_FIRST = new Map<string, Phrase[]>();
for (const entry of PHRASES.split('|')) {
  const [lhs, rhs] = entry.trim().split('=');
  if (!lhs || !rhs) continue;
  const words = lhs.trim().split(/\s+/);
  const first = IRREGULAR_BASE.get(words[0]!) ?? stem(words[0]!);
  const list = PHRASES_BY_FIRST.get(first) ?? [];
  list.push({ words, concept: rhs.trim() });
  PHRASES_BY_FIRST.set(first, list);
}

/** Base form of a lower-cased word: irregular table, else Porter stem. Numbers unchanged. */
export function baseForm(norm: string): string {
  const irregular = IRREGULAR_BASE.get(norm);
  if (irregular !== undefined) return stem(irregular);
  const month = MONTH_OF.get(norm);
  if (month !== undefined) return month;
  return stem(norm);
}

/** The concept of a lower-cased single word: base form, then synonym group. */
export function concept(norm: string): string {
  const base = baseForm(norm);
  return SYNONYM_OF.get(base) ?? base;
}

/** Concept of a phrase given as a one-word equivalent (its own concept). */
function phraseConcept(word: string): string {
  return concept(word);
}

/**
 * The phrase starting at position `i` of `norms` (lower-cased tokens of one sentence), if
 * any: returns its length and concept. Longest match wins.
 */
export function matchPhrase(norms: readonly string[], i: number): { length: number; concept: string } | null {
  const first = norms[i];
  if (first === undefined) return null;
  const list = PHRASES_BY_FIRST.get(IRREGULAR_BASE.get(first) ?? stem(first));
  if (!list) return null;
  let best: { length: number; concept: string } | null = null;
  for (const p of list) {
    if (best && p.words.length <= best.length) continue;
    let ok = true;
    for (let k = 1; k < p.words.length; k++) {
      if (norms[i + k] !== p.words[k]) {
        ok = false;
        break;
      }
    }
    if (ok) best = { length: p.words.length, concept: phraseConcept(p.concept) };
  }
  return best;
}

/** Numeric value of a number token (`29,514`, `1.2`, `two`), or NaN. */
export function numberValue(norm: string): number {
  const w = NUMBER_WORDS.get(norm);
  if (w !== undefined) return w;
  if (!/^\d[\d,]*(?:\.\d+)?$/.test(norm)) return Number.NaN;
  // "1,200" is a thousands separator; "1,2" (European decimal) is rare in English news
  return Number(norm.replace(/,/g, ''));
}

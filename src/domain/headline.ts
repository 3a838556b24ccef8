/**
 * Story labels: the headline a person would write for a story, chosen among its articles'
 * headlines. Page furniture (a section name in capitals, a date line, a language code, the
 * site's own name) is never one, a site name glued to a headline is cut off, and the
 * headline most articles share words with wins, so one blog's name or an odd angle does
 * not name a story of twenty reports. Without any headline the lead sentence stands in,
 * cut at a word, never mid-word. Pure; the store runs it whenever a story's members change.
 */
export interface LabelCandidate {
  readonly title: string | null;
  /** the opening of the text (its first line or sentence is used) */
  readonly lead: string;
  readonly outlet?: string | null;
  /** what else to call it when there is neither (the input's id) */
  readonly fallback?: string | null;
}

/**
 * What to call an article: its title, else the id the user gave it (a JSONL `id`), else the
 * last part of where it was read from (`articles.jsonl:760` only as a last resort).
 */
export function displayTitle(a: { readonly title: string | null; readonly externalId: string | null; readonly source: string }): string {
  return a.title ?? a.externalId ?? a.source.split(/[\\/]/).pop() ?? a.source;
}

const MAX_LABEL = 140;
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\\.?';
const DATE_WORDS = new RegExp(`\\b(?:${MONTH}|${DAY}|posted|published|updated|last|am|pm|a\\.m\\.|p\\.m\\.|et|edt|est|cst|cdt|pst|pdt|gmt|utc|at|on|by)\\b`, 'gi');
const FURNITURE =
  /^(?:home|news|local news|latest news|breaking news|top stories|menu|search|advertisement|skip to (?:main )?content|share|comments?|video|photos?|related|more|sections?|subscribe|sign in|log in|office of the press secretary|press release|for immediate release\b.*)$/i;
const SEPARATOR = /\s+(?:[|\u2013\u2014]|-{1,2}|::?|\u00b7)\s+/g;

/** Whether a line is page furniture rather than a headline. */
export function isFurniture(line: string, outlet?: string | null): boolean {
  const t = line.trim();
  const words = t.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length < 2) return true;
  if (FURNITURE.test(t)) return true;
  if (outlet && t.toLowerCase() === outlet.trim().toLowerCase()) return true;
  // a date or time stamp: nothing left once date words and numbers are gone
  if (/\d/.test(t) && t.replace(DATE_WORDS, '').replace(/[\W\d_]/g, '').length <= 2) return true;
  // a section or site name in capitals ("THE WHITE HOUSE"): a real headline in capitals is longer
  const letters = t.replace(/[^\p{L}]/gu, '');
  const upper = t.replace(/[^\p{Lu}]/gu, '').length;
  if (letters.length > 0 && upper / letters.length > 0.8 && words.length <= 5) return true;
  return false;
}

/** A headline without the site name glued to it ("Man shot in Wilmington - WECT TV6-WECT.com: News, weather & sports"). */
export function cleanHeadline(title: string, outlet?: string | null): string {
  const t = title.replace(/\s+/g, ' ').trim();
  // cut at the first separator whose whole tail names the site: a domain, a station's call
  // sign, "News", "News, weather & sports", or the outlet ("... - KLTV.com - Tyler, Longview")
  for (const m of t.matchAll(SEPARATOR)) {
    const head = t.slice(0, m.index).trim();
    if (head.split(' ').length < 3) continue;
    const tail = t.slice(m.index + m[0].length).trim();
    const words = tail.split(' ').length;
    const site =
      /\.(?:com|net|org|co|tv|news|us|uk|ca|au|in)\b/i.test(tail) ||
      /\bnews\b.*\bweather\b/i.test(tail) ||
      (words <= 8 && (/\b[KW][A-Z]{2,3}(?:-TV|-FM)?\b/.test(tail) || /\b(?:News|TV|Radio|Television)\b/.test(tail))) ||
      (outlet ? tail.toLowerCase().startsWith(outlet.toLowerCase()) : false);
    if (site) return head;
  }
  return t;
}

/** The first line or sentence of a text; when long, its first clause, or cut at a word (with an ellipsis). */
export function leadLabel(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  const sentence = /^.{20,}?[.!?](?=\s|$)/.exec(line)?.[0] ?? line;
  if (sentence.length <= MAX_LABEL) return sentence.trim();
  // a long sentence: its first clause when that is long enough to say something ("Gaza truce
  // talks were underway in Paris Friday, in what appears to be ..."), else cut at a word
  // (not an opening adverbial clause: "After more than three years of delays, ...")
  const clause = /^(.{40,}?)(?:,\s|\s-\s|;\s|:\s)/.exec(sentence.slice(0, MAX_LABEL + 1));
  if (clause && !/^(?:after|before|when|while|as|although|though|despite|following|amid|since|because|if|in|on|at|with|without|for|during|according|once|until|under|over)\b/i.test(sentence))
    return clause[1]!.trim();
  const cut = sentence.slice(0, MAX_LABEL - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > 40 ? cut.slice(0, at) : cut).replace(/[\s,;:-]+$/, '')}…`;
}

const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'from',
  'that',
  'this',
  'was',
  'were',
  'are',
  'has',
  'have',
  'had',
  'his',
  'her',
  'its',
  'their',
  'after',
  'into',
  'over',
  'says',
  'said',
  'say',
  'new',
  'not',
  'but',
  'who',
  'will',
  'been',
  'about',
  'out',
  'off',
  'more',
]);

function words(s: string): string[] {
  const out = new Set<string>();
  for (const w of s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) if (w.length >= 3 && !STOP.has(w)) out.add(w.replace(/(?<=\w{3})s$/, ''));
  return [...out];
}

/**
 * The best label among the candidates (a story's articles, in the order they were stored):
 * a real headline before a lead sentence; among those, the one whose words most of the
 * story's articles share; then one of headline length (about ten words); then the earliest.
 */
export function bestLabel(candidates: readonly LabelCandidate[]): string {
  if (candidates.length === 0) return '';
  const options = candidates.map((c, i) => {
    const title = c.title ? cleanHeadline(c.title, c.outlet) : null;
    const headline = title !== null && !isFurniture(title, c.outlet) && title.length <= 300 ? title : null;
    const text = headline ?? leadLabel(c.lead);
    return {
      i,
      text: text.length > MAX_LABEL + 60 ? leadLabel(text) : text,
      tier: headline ? 2 : text.trim() !== '' && !isFurniture(text) ? 1 : 0,
      words: words(`${c.title ?? ''} ${leadLabel(c.lead)}`),
    };
  });
  // how many articles use each word, in their headline or lead
  const df = new Map<string, number>();
  for (const o of options) for (const w of o.words) df.set(w, (df.get(w) ?? 0) + 1);
  let best: { i: number; key: number[] } | null = null;
  for (const o of options) {
    if (o.tier === 0 && best !== null) continue;
    const own = words(o.text);
    const central = own.length === 0 ? 0 : own.reduce((s, w) => s + (df.get(w) ?? 1) - 1, 0) / Math.sqrt(own.length);
    const length = -Math.abs(o.text.split(/\s+/).length - 10);
    // a whole sentence before one cut short
    const key = [o.tier, o.text.endsWith('…') ? 0 : 1, Math.round(central * 100) / 100, length, -o.i];
    if (!best || (key.some((v, k) => v !== best!.key[k]) && compare(key, best.key) > 0)) best = { i: o.i, key };
  }
  const chosen = options[best!.i]!;
  if (chosen.tier === 0) {
    const c = candidates[best!.i]!;
    return c.fallback ?? chosen.text;
  }
  return chosen.text;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}

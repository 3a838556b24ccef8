import type * as ChronoModule from 'chrono-node';
import type { Field } from '../domain/article.js';
import { AGENCY_ALTERNATION, SYNDICATORS, agencyName } from './agencies.js';
import { isFurniture } from '../domain/headline.js';
import { lazyRequire } from '../util/lazy.js';

// a tenth of a second to load: only a text whose first lines hold a year needs it
const chrono = lazyRequire<typeof ChronoModule>('chrono-node');

/**
 * Metadata read from the article text itself: wire credits, dateline, byline, syndication
 * notes and a date line near the top. Every value keeps the snippet and offset that
 * carried it. Runs on normalised text (straight quotes, ASCII hyphens).
 */
export interface TextMeta {
  readonly credits: Field<string>[];
  readonly dateline: Field<string> | null;
  readonly byline: Field<string> | null;
  readonly syndicator: Field<string> | null;
  readonly outlet: Field<string> | null;
  readonly published: Field<string> | null;
  readonly title: Field<string> | null;
}

const A = AGENCY_ALTERNATION;
// "(Reuters) -", "(AP) -", "(AFP):" : the wire slug after a dateline
const CREDIT_SLUG = new RegExp(`\\((${A})\\)\\s*(?:-{1,2}|:)`, 'g');
// "according to Reuters", "told Reuters", "reported by AFP", "Reuters reports", "AFP reported"
const CREDIT_PHRASE = new RegExp(`\\b(?:according to|told|reported by|via|cited by|quoted by)\\s+(?:the\\s+)?(${A})\\b|\\b(${A}),? (?:reports|reported|news agency reported|news agency said)\\b`, 'g');
// a line that is only a credit: "Agencies", "- AFP", "(With inputs from agencies)", "Source: Reuters", "(c) Reuters 2024".
// Within one line, and no two runs of white space side by side: `[-(\s]*` then `\s*` split a run
// of "- - - -" (or of lines) between them in every way, quadratic in its length.
const CREDIT_LINE = new RegExp(`^[-( \\t]*(?:(?:with inputs from|inputs from|source:|sources:|credit:|copyright|\\(c\\)|©)[ \\t]*)?(?:the[ \\t]+)?(${A})(?:[ \\t]+\\d{4})?[ \\t]*\\)?\\.?$`, 'gim');
const DATELINE = new RegExp(
  // PLACE[, Region][, Mon DD] [(Agency)] - | :
  `^([A-Z][A-Z.'\\- ]{1,38}[A-Z.])(?:,\\s*[A-Z][A-Za-z.]+(?:\\s[A-Z][A-Za-z.]+){0,2})?(?:,?\\s+[A-Z][a-z]{2,8}\\.?\\s+\\d{1,2})?\\s*(?:\\((${A}|[A-Za-z .]{2,30})\\))?\\s*(?:-{1,2}|:)\\s+(?=\\S)`,
);
// capitalised labels that open a line like a dateline but are not places
const NOT_A_PLACE =
  /\b(?:PUBLISHED|POSTED|UPDATED?|BREAKING|NEWS|REPORTS?|MUST|SEE|WATCH|VIDEO|PHOTOS?|EXCLUSIVE|OPINION|ANALYSIS|EDITORIAL|LIVE|ALERT|FILE|NOTE|EDITOR|CORRECTION|SOURCE|UPDATE|READ|MORE|RELATED|ADVERTISEMENT|NCAA|NFL|NBA|MLB|NHL)\b|^(?:A|AN|THE [A-Z]+ [A-Z]+) /;
// "DOHA:" is a dateline, "LIKELY FOE:" a headline kicker: with a colon and no wire slug we
// accept one word, or two when the first is a common first word of a place name
const PLACE_PREFIX =
  /^(?:NEW|SAN|SANTA|LOS|LAS|ABU|KUALA|HONG|TEL|SAO|BUENOS|RIO|CAPE|ST\.?|PORT|EL|LA|DAR|ADDIS|PHNOM|RAS|SRI|HO|BANDAR|MEXICO|GUATEMALA|PANAMA|KUWAIT|VATICAN|WEST|EAST|NORTH|SOUTH|UNITED|GAZA|HEBRON)$/;
function plausibleColonPlace(m: RegExpExecArray): boolean {
  if (!/:\s*$/.test(m[0]) || m[2]) return true;
  const words = m[1]!.trim().split(/\s+/);
  return words.length === 1 || (words.length === 2 && PLACE_PREFIX.test(words[0]!));
}
const BYLINE = /^By\s+((?:[A-Z][\p{L}.'-]+)(?:\s+(?:[A-Z][\p{L}.'-]+|and|de|van|von|al|bin)){0,5})\s*(?:,.*)?$/mu;
const SYND_NOTE = new RegExp(
  `\\((${SYNDICATORS.map((s) => s.replace(/[.]/g, '\\.')).join('|')})\\s*-\\s*([^)]{2,80}?)\\s*\\)|(?:originally (?:published|appeared) (?:on|in|by)|syndicated (?:from|by)|distributed by)\\s+([A-Z][\\w.&' -]{1,60}?)(?=[.,;]|$)|\\b(?:copyright|©)[^\\n]{0,80}?\\b(${SYNDICATORS.map((s) => s.replace(/[.]/g, '\\.')).join('|')})\\b`,
  'gim',
);

function field(value: string, detail: string, offset: number): Field<string> {
  return { value, evidence: { source: 'text', detail, offset } };
}

export function extractTextMeta(text: string): TextMeta {
  const { credits, dateline } = creditsAndDateline(text);
  const b = BYLINE.exec(text.slice(0, 600));
  const byline = b && b[1] ? field(b[1], b[0].trim(), b.index) : null;

  let syndicator: Field<string> | null = null;
  let outlet: Field<string> | null = null;
  SYND_NOTE.lastIndex = 0;
  for (let m = SYND_NOTE.exec(text); m; m = SYND_NOTE.exec(text)) {
    if (m[1] && m[2]) {
      // "(MENAFN- Gulf Times)" names the outlet only where it opens the article, as its
      // metadata line does; elsewhere it is a mention (a README describing such a line)
      if (!opensText(text, m.index)) continue;
      syndicator ??= field(m[1], m[0], m.index);
      outlet ??= field(m[2].trim(), m[0], m.index);
    } else if (m[3]) {
      syndicator ??= field(m[3].trim(), m[0].trim(), m.index);
    } else if (m[4]) {
      syndicator ??= field(m[4], m[0].trim(), m.index);
    }
  }

  return { credits, dateline, byline, syndicator, outlet, published: textPublished(text), title: textTitle(text) };
}

/** extractTextMeta's credits alone (they include a dateline's wire slug). */
export function textCredits(text: string): Field<string>[] {
  return creditsAndDateline(text).credits;
}

/** extractTextMeta's date line alone. */
export function textPublished(text: string): Field<string> | null {
  return findDateLine(text);
}

/** extractTextMeta's title line alone. */
export function textTitle(text: string): Field<string> | null {
  return findTitleLine(text);
}

function creditsAndDateline(text: string): { credits: Field<string>[]; dateline: Field<string> | null } {
  const credits: Field<string>[] = [];
  const seen = new Set<string>();
  const addCredit = (alias: string, detail: string, offset: number): void => {
    const name = agencyName(alias);
    if (!name || seen.has(name)) return;
    seen.add(name);
    credits.push(field(name, detail, offset));
  };
  for (const re of [CREDIT_SLUG, CREDIT_PHRASE, CREDIT_LINE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const alias = m[1] ?? m[2];
      if (alias) addCredit(alias, m[0].trim(), m.index);
    }
  }
  credits.sort((a, b) => (a.evidence.offset ?? 0) - (b.evidence.offset ?? 0));

  let dateline: Field<string> | null = null;
  // the dateline opens the first paragraph that is not a title or date line (within the first 4 lines)
  let lineStart = 0;
  for (let i = 0; i < 4 && lineStart < text.length; i++) {
    const end = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, end < 0 ? text.length : end);
    const m = DATELINE.exec(line);
    if (m && m[1] && /[A-Z]{3}/.test(m[1].replace(/[^A-Z]/g, '')) && m[1].split(' ').length <= 4 && !NOT_A_PLACE.test(m[1]) && plausibleColonPlace(m)) {
      dateline = field(m[1].trim(), m[0].trim(), lineStart);
      if (m[2]) addCredit(m[2], m[0].trim(), lineStart);
      break;
    }
    if (end < 0) break;
    lineStart = end + 1;
  }
  return { credits, dateline };
}

/**
 * Whether offset `at` opens one of the first three lines of the text, after at most a date
 * or a dateline (`DOHA: (MENAFN- Gulf Times)`).
 */
function opensText(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) lines++;
  if (lines >= 3) return false;
  const before = text.slice(lineStart, at);
  return /^[\s-]*(?:(?:date\s*:?\s*)?\d{4}-\d{2}-\d{2}\S*\s*)?(?:[A-Z][A-Za-z .,'-]{0,40}\s*(?::|-{1,2})\s*)?$/.test(before);
}
const YEAR_SPELT_OUT = /\d{4}|\d{1,2}\/\d{1,2}\/\d{2}/;
/**
 * What a date with a certain day has besides its year: a month's name or abbreviation ("Sept.
 * 17", "17 September"), or digits joined by a slash, dash, dot or white space ("9/17",
 * "2014-09-17", "17.09.", "2014 09 17"). A line without either holds no date chrono reads with
 * a certain day, so it is not asked: loading it and its first parse take half a second, which
 * a line such as "Criminal Court. 9, 2014" would spend for nothing. (Relative phrases, "Posted
 * 1000 days ago", were read as a date a thousand days before the reference; no longer.)
 */
const MAY_HOLD_DAY = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d\s*[-/.\s]\s*\d/i;

/** A short line near the top that is only a date ("Published May 03, 2013", "August 2, 2013"). */
function findDateLine(text: string): Field<string> | null {
  for (const { line, cleaned, offset } of dateLineCandidates(text)) {
    const r = chrono().parse(cleaned, new Date(Date.UTC(2100, 0, 1)), { forwardDate: false })[0];
    // the line must spell the year out ("2013", "06/06/13"): "today" is relative to nothing here
    if (r && r.start.isCertain('year') && r.start.isCertain('day') && YEAR_SPELT_OUT.test(r.text)) {
      // the date must be most of the line, not a date mentioned inside a sentence
      const rest = cleaned.replace(r.text, '').replace(/\b(published|updated|posted|last updated at|on|at|am|pm|et|edt|est|bst|gmt|utc)\b/gi, '');
      if (rest.replace(/[\W\d_]/g, '').length <= 12) {
        const d = r.start.date();
        const iso = r.start.isCertain('hour') ? d.toISOString() : isoDay(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!);
        return { value: iso, evidence: { source: 'text', detail: line, offset } };
      }
    }
  }
  return null;
}

/**
 * The lines findDateLine asks chrono about: of the first three, those of 64 characters or
 * fewer that spell a year out and may hold a day (MAY_HOLD_DAY), with detokenised gaps closed.
 */
function dateLineCandidates(text: string): { line: string; cleaned: string; offset: number }[] {
  const found: { line: string; cleaned: string; offset: number }[] = [];
  let lineStart = 0;
  for (let i = 0; i < 3 && lineStart < text.length; i++) {
    const end = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, end < 0 ? text.length : end);
    if (line.length > 0 && line.length <= 64) {
      // detokenised text has "12: 18" and "06 / 06 / 13": close those gaps for the parser
      const cleaned = line.replace(/(\d)\s*([:/.])\s+(\d)/g, '$1$2$3').replace(/(\d)\s+([:/])\s*(\d)/g, '$1$2$3');
      // the year must be spelt out: without one, chrono is not asked (nor loaded)
      if (YEAR_SPELT_OUT.test(cleaned) && MAY_HOLD_DAY.test(cleaned)) found.push({ line, cleaned, offset: lineStart });
    }
    if (end < 0) break;
    lineStart = end + 1;
  }
  return found;
}

/**
 * False when the text certainly gives no date (textPublished is null), without chrono: no
 * line near the top could hold one. A comparison whose other article has no date then need
 * not read this one's (dedup/detect.ts DedupDoc.dated).
 */
export function textMayGiveDate(text: string): boolean {
  return dateLineCandidates(text).length > 0;
}

function isoDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A headline: one of the first three lines with 2-25 words, no terminal full stop, that is
 * not a date or time stamp line, followed by more text.
 */
function findTitleLine(text: string): Field<string> | null {
  let lineStart = 0;
  for (let i = 0; i < 3; i++) {
    const end = text.indexOf('\n', lineStart);
    if (end < 0) return null;
    const line = text.slice(lineStart, end).trim();
    const words = line.split(/\s+/).length;
    // page furniture ("THE WHITE HOUSE", "Friday, June 7, 2013") is passed over like a stamp
    const stamp =
      (line !== '' && isFurniture(line)) ||
      /^(posted|updated|published|last updated|by)\b/i.test(line) ||
      (/\b(updated|published|posted)\b/i.test(line) && /\d/.test(line)) ||
      (line.replace(/[^\p{L}]/gu, '').length < line.length * 0.5 && /\d/.test(line));
    if (!stamp && line !== '') {
      if (words < 2 || words > 25 || /[.:;,]$/.test(line) || line.startsWith('"')) return null;
      return { value: line, evidence: { source: 'text', detail: i === 0 ? 'first line' : `line ${i + 1}`, offset: lineStart } };
    }
    lineStart = end + 1;
  }
  return null;
}

import { createError } from '../errors.js';
import { analyseJoined, type Analysis, type KeptAnalysis, type Piece } from '../text/analyse.js';
import { extractFeatures, featuresAnalysis, type ClusterInput, type Features } from './features.js';

/**
 * An outlet's own boilerplate, learnt from its stream: lines that recur across its articles
 * ("Posted ... Updated ... EDT", "Join the conversation on the KDKA Facebook page", "Anyone with
 * information is asked to call Miami-Dade Crime Stoppers", an author's bio, a list of the
 * site's other videos) and the parts of its headlines it repeats ("... - WMC Action News 5 -
 * Memphis, Tennessee"). They are not what an article reports, yet they carry names and
 * words that two of the outlet's reports of two different events then share, and they sit in
 * the headline, which counts double: one outlet's unrelated shootings joined one story on its
 * station name and its city. Ingest strips the boilerplate every site writes alike (copyright
 * lines, sign-up notices); what one site writes its own way can only be learnt from that
 * site's articles, as they arrive.
 *
 * Per outlet (the registered domain of the article's URL, so nothing is learnt for articles
 * without one), a bounded table of line hashes counts the articles that carried each line and
 * notes the story they joined. A headline part that `minArticles` earlier articles of the
 * outlet carried is left out of the features the clusterer compares; so is a text line, once
 * those articles joined two or more stories (or were many, see ONE_STORY_MORE): an outlet's follow-up repeats paragraphs of its
 * first report (the background of the event), which are what the two share, not boilerplate
 * (leaving them out cost ECB+, where one site's reports of one event repeat sentences). Lines
 * are normalised first (case, digits, spacing), so "Posted: 10:12 PM" recurs however the
 * clock reads; only hashes are kept. An article whose known lines would be most of it is a
 * copy of an earlier one (the same report under two addresses), not boilerplate around a new
 * text, and is compared whole.
 */
export interface OutletLinesState {
  readonly version: typeof OUTLET_LINES_FORMAT;
  readonly minArticles: number;
  /**
   * [outlet, line hashes, article counts, last arrival, first story (-1: articles of two or
   * more stories carried it) of each], least recently used outlet first
   */
  readonly outlets: [string, number[], number[], number[], number[]][];
}

export const OUTLET_LINES_FORMAT = 1;

/** Lines counted per outlet; when full, the least seen and oldest half of the rest is dropped. */
const MAX_LINES = 256;
/** Outlets kept; when full, the least recently seen outlet is forgotten. */
const MAX_OUTLETS = 1024;
/** Lines shorter than this (normalised) carry no name or word worth learning. */
const MIN_LINE = 4;
/** Known lines covering more than this share of an article make it a copy, compared whole. */
const COPY_SHARE = 0.5;
/**
 * A text line the outlet's articles of one story carried is its boilerplate all the same once
 * this many articles more than `minArticles` did: otherwise a frame strong enough to pull the
 * outlet's next reports into its first story would never be learnt (no change on the
 * gun-violence dev stream at 1 or 2; 2 leaves a long story's repeated background alone longer).
 */
const ONE_STORY_MORE = 2;

/** Headline parts: a site's suffix or prefix is set off by a dash, a bar or a colon. */
const TITLE_PARTS = /\s+[-|–—:·•]\s+|\s*\|\s*/u;

interface Entry {
  /** articles that carried the line */
  n: number;
  /** the last arrival that carried it */
  last: number;
  /** the story its articles joined, or -1 once they joined two */
  story: number;
}

interface Table {
  readonly counts: Map<number, Entry>;
}

/** A line as compared: lower case, digits as 0, spacing collapsed. */
export function lineKey(line: string): string {
  return line
    .toLowerCase()
    .replace(/\p{N}+/gu, '0')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** FNV-1a, 32 bits, over the UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The parts of an article that are learnt and may be left out: headline parts, then text lines. */
export interface ArticleLines {
  readonly title: readonly string[];
  /** the text's lines, after the headline when the text opens with it */
  readonly lines: readonly string[];
}

export function linesOf(input: Pick<ClusterInput, 'title' | 'text'>): ArticleLines {
  const title = input.title ? input.title.split(TITLE_PARTS).filter((p) => p.trim() !== '') : [];
  const text = input.title && input.text.startsWith(input.title) ? input.text.slice(input.title.length) : input.text;
  return { title, lines: text.split('\n') };
}

/** What the outlet's boilerplate takes out of one article. */
export interface Boilerplate {
  /** indexes of the headline parts left out */
  readonly title: readonly number[];
  /** indexes of the text lines left out */
  readonly lines: readonly number[];
}

export class OutletLines {
  private readonly outlets = new Map<string, Table>();

  /** `minArticles`: earlier articles of the outlet that must carry a line (>= 1) */
  constructor(readonly minArticles: number) {
    if (!Number.isInteger(minArticles) || minArticles < 1)
      throw createError('INVALID_FIELD', `cluster: outlet boilerplate needs a whole number of articles >= 1 (got ${minArticles})`, { subject: 'params.boilerplateArticles' });
  }

  /**
   * The headline parts and lines of `input` its outlet has repeated (none without an outlet).
   * `counted`: the article itself was learnt already (explaining a stored story), so a line
   * needs one article more.
   */
  known(input: Pick<ClusterInput, 'title' | 'text' | 'outlet'>, parts: ArticleLines = linesOf(input), counted = false): Boilerplate {
    const need = this.minArticles + (counted ? 1 : 0);
    const table = input.outlet ? this.outlets.get(input.outlet) : undefined;
    if (!table) return { title: [], lines: [] };
    const hit = (s: string, acrossStories: boolean): boolean => {
      const k = lineKey(s);
      const e = table.counts.get(hash(k));
      return k.length >= MIN_LINE && e !== undefined && e.n >= need && (e.story === -1 || !acrossStories || e.n >= need + ONE_STORY_MORE);
    };
    const title: number[] = [];
    const lines: number[] = [];
    let dropped = 0;
    parts.title.forEach((p, i) => hit(p, false) && title.push(i));
    parts.lines.forEach((l, i) => {
      if (hit(l, true)) {
        lines.push(i);
        dropped += l.length;
      }
    });
    if (dropped > COPY_SHARE * input.text.length) return { title, lines: [] };
    return { title, lines };
  }

  /** Counts the article's distinct lines and headline parts for its outlet, with the story it joined. */
  learn(input: Pick<ClusterInput, 'title' | 'text' | 'outlet'>, arrival: number, story: number, parts: ArticleLines = linesOf(input)): void {
    if (!input.outlet) return;
    let table = this.outlets.get(input.outlet);
    if (table) this.outlets.delete(input.outlet);
    else {
      table = { counts: new Map() };
      if (this.outlets.size >= MAX_OUTLETS) this.outlets.delete(this.outlets.keys().next().value!);
    }
    // most recently seen outlet last (the map's order is the eviction order)
    this.outlets.set(input.outlet, table);
    const seen = new Set<number>();
    for (const s of [...parts.title, ...parts.lines]) {
      const k = lineKey(s);
      if (k.length >= MIN_LINE) seen.add(hash(k));
    }
    for (const h of seen) {
      const e = table.counts.get(h);
      if (e) {
        e.n++;
        e.last = arrival;
        if (e.story !== story) e.story = -1;
      } else table.counts.set(h, { n: 1, last: arrival, story });
    }
    if (table.counts.size > MAX_LINES) evict(table);
  }

  toState(): OutletLinesState {
    return {
      version: OUTLET_LINES_FORMAT,
      minArticles: this.minArticles,
      outlets: [...this.outlets].map(([o, t]) => {
        const hs = [...t.counts.keys()];
        return [o, hs, hs.map((h) => t.counts.get(h)!.n), hs.map((h) => t.counts.get(h)!.last), hs.map((h) => t.counts.get(h)!.story)];
      }),
    };
  }

  static fromState(state: unknown): OutletLines {
    const s = state as Partial<OutletLinesState> | null;
    if (!s || typeof s !== 'object' || s.version !== OUTLET_LINES_FORMAT || !Array.isArray(s.outlets) || typeof s.minArticles !== 'number') {
      throw createError('FORMAT_VERSION', `cluster: saved outlet boilerplate has format ${String(s?.version)}, this Parallax reads ${OUTLET_LINES_FORMAT}; re-run clustering`, { subject: 'cluster' });
    }
    const out = new OutletLines(s.minArticles);
    const whole = (x: unknown, min = 0): x is number[] => Array.isArray(x) && x.every((v) => Number.isInteger(v) && v >= min);
    for (const entry of s.outlets) {
      const [outlet, hs, ns, lasts, stories] = Array.isArray(entry) ? entry : [];
      if (typeof outlet !== 'string' || !whole(hs) || !whole(ns) || !whole(lasts) || !whole(stories, -1) || [ns, lasts, stories].some((xs) => xs.length !== hs.length)) {
        throw createError('FORMAT_VERSION', 'cluster: saved outlet boilerplate is malformed; re-run clustering', { subject: 'cluster' });
      }
      const counts = new Map<number, Entry>();
      hs.forEach((h, i) => counts.set(h, { n: ns[i]!, last: lasts[i]!, story: stories[i]! }));
      out.outlets.set(outlet, { counts });
    }
    return out;
  }

  /** outlets and lines held (for tests and the state's size) */
  size(): { outlets: number; lines: number } {
    let lines = 0;
    for (const t of this.outlets.values()) lines += t.counts.size;
    return { outlets: this.outlets.size, lines };
  }
}

/** Drops the least seen, oldest half of a full table (ties: the smaller hash). */
function evict(table: Table): void {
  const order = [...table.counts].sort((a, b) => a[1].n - b[1].n || a[1].last - b[1].last || a[0] - b[0]);
  for (const [h] of order.slice(0, order.length - MAX_LINES / 2)) table.counts.delete(h);
}

/**
 * The input without the parts `drop` names (sentence spans no longer apply and are left out;
 * the headline, when the text opened with it, is given apart, where features read it first).
 */
export function withoutBoilerplate(input: ClusterInput, drop: Boilerplate, parts: ArticleLines = linesOf(input)): ClusterInput {
  if (drop.title.length === 0 && drop.lines.length === 0) return input;
  const t = new Set(drop.title);
  const l = new Set(drop.lines);
  const title = parts.title.filter((_, i) => !t.has(i)).join(' - ');
  const text = parts.lines.filter((_, i) => !l.has(i)).join('\n');
  const { sentences: _spans, ...rest } = input;
  return { ...rest, title: title === '' ? null : title, text };
}

/**
 * The features the clusterer compares: without the lines `lines` knows as the outlet's
 * boilerplate (extracted again when any are left out, else `given` or extracted here).
 * `analysis`, with `given`, must be keptAnalysis(featuresAnalysis(input)): the text without the
 * lines is then not analysed again, its analysis is put together from this one
 * (withoutBoilerplateAnalysis); without `given`, the features and that are made from one analysis here.
 */
export function outletFeatures(lines: OutletLines | null, input: ClusterInput, given?: Features, analysis?: KeptAnalysis): Features {
  if (!lines || !input.outlet) return given ?? extractFeatures(input);
  // made here when the features are, so that the text is analysed once either way
  const full = given ? null : featuresAnalysis(input);
  const parts = linesOf(input);
  const drop = lines.known(input, parts);
  if (drop.title.length === 0 && drop.lines.length === 0) return given ?? extractFeatures(input, full ?? undefined);
  const without = withoutBoilerplate(input, drop, parts);
  const source = full ?? analysis;
  const an = source ? withoutBoilerplateAnalysis(input, source, without, drop, parts) : null;
  return an ? extractFeatures(without, an) : extractFeatures(without);
}

/**
 * featuresAnalysis(without), where `without` is withoutBoilerplate(input, drop, parts), put
 * together from `analysis` = featuresAnalysis(input): the kept lines of the text are taken
 * from it (tokens, and sentences where leaving lines out joined no new paragraph), the
 * headline, a few words rebuilt from its kept parts, is analysed anew. Null where the text's
 * lines do not start lines of the analysed text (a headline that opens the text and runs on
 * into its first line), for the caller to analyse `without` itself.
 */
export function withoutBoilerplateAnalysis(input: ClusterInput, analysis: Analysis | KeptAnalysis, without: ClusterInput, drop: Boilerplate, parts: ArticleLines = linesOf(input)): Analysis | null {
  // where the text's lines (linesOf: after the headline when the text opens with it) start in the analysed text
  const opens = input.title ? input.text.startsWith(input.title) : false;
  const textAt = analysis.text.length - input.text.length + (opens ? input.title!.length : 0);
  // the text's first line starts a line of the analysed text, or is what follows the headline
  // on its line, which must be nothing
  const midLine = textAt > 0 && analysis.text.charCodeAt(textAt - 1) !== 10;
  if (midLine && parts.lines[0] !== '') return null;
  const head = without.title && !without.text.startsWith(without.title) ? without.title : null;
  if (without.title && !head) return null;
  const pieces: Piece[] = head !== null ? [head] : [];
  const left = new Set(drop.lines);
  let at = textAt;
  let run: { start: number; end: number } | null = null;
  let any = false;
  parts.lines.forEach((line, i) => {
    if (left.has(i) || (i === 0 && midLine)) {
      if (run) pieces.push({ from: analysis, ...run });
      run = null;
      // what follows the headline on its line (nothing, or the text would not be read here)
      if (!left.has(i)) {
        any = true;
        pieces.push(line);
      }
    } else {
      any = true;
      if (run) run.end = at + line.length;
      else run = { start: at, end: at + line.length };
    }
    at += line.length + 1;
  });
  if (run) pieces.push({ from: analysis, ...(run as { start: number; end: number }) });
  if (!any) pieces.push('');
  return analyseJoined(pieces);
}

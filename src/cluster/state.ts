import { z } from 'zod';
import { createError } from '../errors.js';
import { DEFAULT_CLUSTER_PARAMS } from './params.js';

/**
 * The saved state of online clustering (OnlineClusterer.toState) and its codec: one schema
 * per format version, and one upgrade per old version to the next, so that a state of any
 * version this Parallax reads is parsed, then brought to the current format. Pure: no store,
 * no I/O.
 *
 * 2 added story members (split repair); 3 changed what splitThreshold measures (local
 * re-weighting) and added memberWeight; 4 keeps only live stories (retired and merged ones
 * are dropped, merges kept as pairs) and forgets stale terms, so the state's size follows
 * the active set and the recent vocabulary, not the length of the stream. The split
 * parameters of 1 and 2 are replaced by the defaults, since the old values mean something
 * else now (format 1 has no members to split or to match anyway). 5 adds the outlets'
 * boilerplate lines (`lines`, see boilerplate.ts); older formats start without any. 6 puts
 * each story's id (StoryId, see storyIdOf) and lock in the story's record: before, the ids
 * lived beside the state (the cluster stage kept them by story index), so an upgrade from 5
 * or before takes them from there (`legacyIds`); the merges (index pairs, kept so that an
 * index resolved to its story) are dropped, since nothing outside the clusterer names a story
 * by index any more.
 *
 * The envelope is parsed by zod; the long arrays (vocabulary, document frequencies, vectors,
 * members) are checked by plain functions, one loop each: zod element by element cost 185 ms
 * on the state of a 100,000-article stream, more than its JSON.parse (docs/benchmarks.md).
 */
export const CLUSTER_FORMAT_VERSION = 6;

/** What is wrong with a value, and where inside it; null when nothing is. */
type Problem = { readonly path: (string | number)[]; readonly message: string } | null;

/** A short rendering of a wrong value for an error message. */
function shown(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A value checked by a plain function, not element by element through zod. */
function checked<T>(problem: (x: unknown) => Problem) {
  return z
    .custom<T>(() => true)
    .superRefine((v, ctx) => {
      const p = problem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
    });
}

/** The problem of an array whose every element should pass `ok` (`what` names an element). */
function eachProblem(x: unknown, ok: (e: unknown) => Problem | boolean, what: string): Problem {
  if (!Array.isArray(x)) return { path: [], message: `expected an array, found ${shown(x)}` };
  for (let i = 0; i < x.length; i++) {
    const r = ok(x[i]);
    if (r === true || r === null) continue;
    return r === false ? { path: [i], message: `expected ${what}, found ${shown(x[i])}` } : { path: [i, ...r.path], message: r.message };
  }
  return null;
}

const isId = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;
const STORY_ID = /^s[0-9a-f]{16}$/;
const isNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const isTerm = (x: unknown): boolean => x === null || (typeof x === 'string' && x.length >= 2 && x[1] === ':' && 'wen'.includes(x[0]!));
const idsProblem = (x: unknown): Problem => eachProblem(x, isId, 'a whole number >= 0');

/** A sparse vector: [feature ids, weights]. */
type SavedVec = [number[], number[]];
function vecProblem(x: unknown): Problem {
  if (!Array.isArray(x) || x.length !== 2) return { path: [], message: `expected [feature ids, weights], found ${shown(x)}` };
  const ids = idsProblem(x[0]);
  if (ids) return { path: [0, ...ids.path], message: ids.message };
  const ws = eachProblem(x[1], isNumber, 'a finite number');
  if (ws) return { path: [1, ...ws.path], message: ws.message };
  if ((x[0] as unknown[]).length !== (x[1] as unknown[]).length) return { path: [], message: 'expected as many weights as feature ids' };
  return null;
}
const channelsProblem = (x: unknown): Problem =>
  Array.isArray(x) && x.length === 3 ? eachProblem(x, vecProblem, '') : { path: [], message: `expected three channels [words, entities, numbers], found ${shown(x)}` };

/** [arrival, id, label, day, words, entities, numbers] */
type SavedMemberTuple = [number, string, string, number | null, SavedVec, SavedVec, SavedVec];
function memberProblem(x: unknown): Problem {
  if (!Array.isArray(x) || x.length !== 7) return { path: [], message: `expected [arrival, id, label, day, words, entities, numbers], found ${shown(x)}` };
  if (!isId(x[0])) return { path: [0], message: `expected an arrival (a whole number >= 0), found ${shown(x[0])}` };
  if (typeof x[1] !== 'string') return { path: [1], message: `expected an article id, found ${shown(x[1])}` };
  if (typeof x[2] !== 'string') return { path: [2], message: `expected a label, found ${shown(x[2])}` };
  if (x[3] !== null && !isNumber(x[3])) return { path: [3], message: `expected a day or null, found ${shown(x[3])}` };
  const v = channelsProblem(x.slice(4));
  return v ? { path: [4 + (v.path[0] as number), ...v.path.slice(1)], message: v.message } : null;
}

/** [outlet, line hashes, article counts, last arrivals, first stories (-1: two or more)] */
type SavedOutlet = [string, number[], number[], number[], number[]];
function outletProblem(x: unknown): Problem {
  if (!Array.isArray(x) || x.length !== 5) return { path: [], message: `expected [outlet, line hashes, counts, last arrivals, stories], found ${shown(x)}` };
  if (typeof x[0] !== 'string') return { path: [0], message: `expected an outlet, found ${shown(x[0])}` };
  for (let i = 1; i < 5; i++) {
    const p = eachProblem(x[i], i === 4 ? (v) => Number.isInteger(v) && (v as number) >= -1 : isId, i === 4 ? 'a story (a whole number >= -1)' : 'a whole number >= 0');
    if (p) return { path: [i, ...p.path], message: p.message };
    if ((x[i] as unknown[]).length !== (x[1] as unknown[]).length) return { path: [i], message: 'expected one entry per line hash' };
  }
  return null;
}

const ids = checked<number[]>(idsProblem);
const numbers = checked<number[]>((x) => eachProblem(x, isNumber, 'a finite number'));
const terms = checked<(string | null)[]>((x) => eachProblem(x, isTerm, 'null or a term "w:…", "e:…" or "n:…"'));
const count = z.number().int().nonnegative();
/** Days since the epoch; null when unknown. */
const day = z.number().nullable();
const channels = checked<[SavedVec, SavedVec, SavedVec]>(channelsProblem);
const members = checked<SavedMemberTuple[] | null>((x) => (x === null ? null : eachProblem(x, memberProblem, '')));
/**
 * Parameters as saved: names and numbers. Names a later version adds are kept as they are
 * (the clusterer checks the values); missing ones take the defaults.
 */
const params = z.record(z.string(), z.number());

const storyFields = {
  size: count,
  label: z.string(),
  centroid: channels,
  firstDay: day,
  lastDay: day,
  lastArrival: count,
  /**
   * the feature ids the story is looked up by (a story is re-indexed only every few arrivals,
   * so recomputing them on load could differ from the running state); absent in states
   * saved before they were kept
   */
  indexed: ids.optional(),
};

/** Formats 1 to 3: every story ever created, at its index. */
const oldStory = z.object({
  ...storyFields,
  /** the story it was merged into, or -1 */
  mergedInto: z.number().int().min(-1).optional(),
  active: z.boolean().optional(),
});
const oldFields = {
  params,
  vocab: terms,
  df: numbers,
  docs: count,
  arrivals: count,
  latestDay: day,
  /** live stories an analyst corrected; absent when none */
  locked: ids.optional(),
};

const format1 = z.object({ version: z.literal(1), ...oldFields, stories: z.array(oldStory) });
const format2 = z.object({ version: z.literal(2), ...oldFields, stories: z.array(oldStory.extend({ members: members.optional() })) });
const format3 = z.object({ version: z.literal(3), ...oldFields, stories: z.array(oldStory.extend({ members: members.optional() })) });
const format4 = z.object({
  version: z.literal(4),
  params,
  vocab: terms,
  df: numbers,
  /** the arrival that last used each feature id */
  seen: ids,
  docs: count,
  arrivals: count,
  latestDay: day,
  /** stories created so far (the next story's index) */
  created: count,
  /** [merged story, story it was merged into] of every merge */
  merges: z.array(z.tuple([count, count])),
  locked: ids.optional(),
  /** the live stories */
  stories: z.array(z.object({ index: count, ...storyFields, members })),
});

/** The outlets' boilerplate lines (OutletLinesState, boilerplate.ts). */
const outletLines = z.object({
  version: z.literal(1),
  minArticles: z.number().int().min(1),
  outlets: checked<SavedOutlet[]>((x) => eachProblem(x, outletProblem, '')),
});
const format5 = format4.extend({ version: z.literal(5), lines: outletLines.optional() });
const { merges: _merges, locked: _locked, ...format5Fields } = format5.shape;
const format6 = z.object({
  ...format5Fields,
  version: z.literal(6),
  /** the live stories, each with its id and, when an analyst corrected it, `locked` */
  stories: z.array(z.object({ index: count, id: z.string().regex(STORY_ID, 'expected a story id (s + 16 hex digits)'), locked: z.literal(true).optional(), ...storyFields, members })),
});

type Format1 = z.infer<typeof format1>;
type Format2 = z.infer<typeof format2>;
type Format3 = z.infer<typeof format3>;
type Format4 = z.infer<typeof format4>;
type Format5 = z.infer<typeof format5>;
/** The clustering state in the current format (CLUSTER_FORMAT_VERSION). */
export type ClusterState = z.infer<typeof format6>;
export type SavedStory = ClusterState['stories'][number];
export type SavedMember = NonNullable<SavedStory['members']>[number];

/** Format 1 to 2: stories gain members, unknown for those saved before (null). */
export function upgrade1(s: Format1): Format2 {
  return { ...s, version: 2, stories: s.stories.map((st) => ({ ...st, members: null })) };
}

/** Format 2 to 3: split repair measures something else; its parameters take the defaults. */
export function upgrade2(s: Format2): Format3 {
  const d = DEFAULT_CLUSTER_PARAMS;
  return { ...s, version: 3, params: { ...s.params, splitThreshold: d.splitThreshold, splitMinPart: d.splitMinPart, memberWeight: d.memberWeight } };
}

/**
 * Format 3 to 4: only the live stories (active and not merged), each with its index, and
 * the merges as pairs; terms were never forgotten before, so each counts as used at the last
 * arrival.
 */
export function upgrade3(s: Format3): Format4 {
  const merges: [number, number][] = [];
  s.stories.forEach((st, i) => {
    if (st.mergedInto !== undefined && st.mergedInto >= 0) merges.push([i, st.mergedInto]);
  });
  const stories: Format4['stories'] = [];
  s.stories.forEach(({ mergedInto, active, members, ...st }, index) => {
    if (active && (mergedInto ?? -1) < 0) stories.push({ index, ...st, members: members ?? null });
  });
  const { stories: _, ...rest } = s;
  return { ...rest, version: 4, seen: new Array<number>(s.vocab.length).fill(s.arrivals), created: s.stories.length, merges, stories };
}

/** Format 4 to 5: no outlet boilerplate learnt yet (the clusterer starts its table empty). */
export function upgrade4(s: Format4): Format5 {
  return { ...s, version: 5 };
}

/**
 * Format 5 to 6: each live story takes its id from `ids` (by story index: what the cluster
 * stage saved beside the state) and its lock from the list of locked indexes; the merges are
 * dropped. A story without an id is left out of the result's ids (parseClusterState refuses
 * it).
 */
export function upgrade5(s: Format5, ids: ReadonlyMap<number, string>): ClusterState {
  const { merges: _m, locked, ...rest } = s;
  const held = new Set(locked ?? []);
  return {
    ...rest,
    version: 6,
    stories: s.stories.map(({ index, ...st }) => ({ index, id: ids.get(index) ?? '', ...(held.has(index) ? { locked: true as const } : {}), ...st })),
  };
}

/**
 * What the schemas cannot see: one document frequency and one last use per vocabulary entry,
 * and every feature id within the vocabulary.
 */
function crossProblem(s: ClusterState): Problem {
  const n = s.vocab.length;
  if (s.df.length !== n) return { path: ['df'], message: `expected ${n} document frequencies (one per vocabulary entry), found ${s.df.length}` };
  if (s.seen.length !== n) return { path: ['seen'], message: `expected ${n} last uses (one per vocabulary entry), found ${s.seen.length}` };
  const outside = (xs: readonly number[], path: (string | number)[]): Problem => {
    for (let i = 0; i < xs.length; i++) if (xs[i]! >= n) return { path: [...path, i], message: `feature id ${xs[i]} is outside the vocabulary of ${n}` };
    return null;
  };
  const seen = new Set<string>();
  for (const [k, st] of s.stories.entries()) {
    if (!STORY_ID.test(st.id)) return { path: ['stories', k, 'id'], message: `story ${st.index} has no id (a state before format 6 needs the ids the cluster stage saved beside it)` };
    if (seen.has(st.id)) return { path: ['stories', k, 'id'], message: `story id ${st.id} is held by two stories` };
    seen.add(st.id);
    for (let c = 0; c < 3; c++) {
      const p = outside(st.centroid[c]![0], ['stories', k, 'centroid', c, 0]);
      if (p) return p;
    }
    const p = st.indexed ? outside(st.indexed, ['stories', k, 'indexed']) : null;
    if (p) return p;
    for (const [j, m] of (st.members ?? []).entries()) {
      const vs = [m[4], m[5], m[6]];
      for (let c = 0; c < 3; c++) {
        const q = outside(vs[c]![0], ['stories', k, 'members', j, 4 + c, 0]);
        if (q) return q;
      }
    }
  }
  return null;
}

/** A zod issue path as `stories[3].centroid[1][0][7]`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('') || 'the state';
}

function malformed(version: number, path: readonly PropertyKey[], message: string): Error {
  const where = pathOf(path);
  return createError('MALFORMED_STATE', `cluster: the saved clustering state (format ${version}) is malformed at ${where}: ${message}; re-run clustering`, { subject: `cluster.${where}` });
}

function parseAs<T>(schema: z.ZodType<T>, raw: unknown, version: number): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw malformed(version, issue.path, issue.message);
}

/**
 * Parses a saved clustering state of any format from 1 to CLUSTER_FORMAT_VERSION (as read
 * from JSON) and brings it to the current format. `legacyIds`: for a state before format 6,
 * the id of each live story by its index, as saved beside it (see upgrade5). Throws
 * FORMAT_VERSION for a format this Parallax does not read, MALFORMED_STATE naming the first
 * field that is wrong (a live story of an old state without an id among them).
 */
export function parseClusterState(raw: unknown, legacyIds: ReadonlyMap<number, string> = new Map()): ClusterState {
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (!(Number.isInteger(version) && (version as number) >= 1 && (version as number) <= CLUSTER_FORMAT_VERSION)) {
    throw createError('FORMAT_VERSION', `cluster: saved state has format ${JSON.stringify(version) ?? 'none'}, this Parallax reads 1 to ${CLUSTER_FORMAT_VERSION}; re-run clustering`, {
      subject: 'cluster',
    });
  }
  const v = version as number;
  const four = (): Format4 =>
    v === 1 ? upgrade3(upgrade2(upgrade1(parseAs(format1, raw, 1)))) : v === 2 ? upgrade3(upgrade2(parseAs(format2, raw, 2))) : v === 3 ? upgrade3(parseAs(format3, raw, 3)) : parseAs(format4, raw, 4);
  const state = v === 6 ? parseAs(format6, raw, 6) : upgrade5(v === 5 ? parseAs(format5, raw, 5) : upgrade4(four()), legacyIds);
  const p = crossProblem(state);
  if (p) throw malformed(version as number, p.path, p.message);
  return state;
}

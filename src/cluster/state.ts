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
 * else now (format 1 has no members to split or to match anyway).
 *
 * The long arrays (vocabulary, document frequencies, vector weights) are checked in one loop
 * each, not element by element through zod, which costs several times more on the state of a
 * long stream.
 */
export const CLUSTER_FORMAT_VERSION = 4;

/** An array whose every element passes `ok`; `what` names an element in the error. */
function arrayOf<T>(ok: (x: unknown) => boolean, what: string) {
  return z.custom<T[]>((v) => Array.isArray(v)).superRefine((v, ctx) => {
    for (let i = 0; i < v.length; i++) {
      if (!ok(v[i])) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}, found ${JSON.stringify(v[i]) ?? String(v[i])}`, path: [i] });
        return;
      }
    }
  });
}

const isId = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;
const ids = arrayOf<number>(isId, 'a whole number >= 0');
const numbers = arrayOf<number>((x) => typeof x === 'number' && Number.isFinite(x), 'a finite number');
const terms = arrayOf<string | null>((x) => x === null || (typeof x === 'string' && x.length >= 2 && x[1] === ':' && 'wen'.includes(x[0]!)), 'null or a term "w:…", "e:…" or "n:…"');

const count = z.number().int().nonnegative();
/** Days since the epoch; null when unknown. */
const day = z.number().nullable();
/** A sparse vector: [feature ids, weights]. */
const vec = z.tuple([ids, numbers]).refine(([i, w]) => i.length === w.length, { message: 'expected as many weights as feature ids' });
const channels = z.tuple([vec, vec, vec]);
/** [arrival, id, label, day, words, entities, numbers] */
const member = z.tuple([count, z.string(), z.string(), day, vec, vec, vec]);
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
const format2 = z.object({ version: z.literal(2), ...oldFields, stories: z.array(oldStory.extend({ members: z.array(member).nullable().optional() })) });
const format3 = z.object({ version: z.literal(3), ...oldFields, stories: z.array(oldStory.extend({ members: z.array(member).nullable().optional() })) });
const format4 = z
  .object({
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
    stories: z.array(z.object({ index: count, ...storyFields, members: z.array(member).nullable() })),
  })
  .superRefine((s, ctx) => {
    const n = s.vocab.length;
    if (s.df.length !== n) ctx.addIssue({ code: 'custom', message: `expected ${n} document frequencies (one per vocabulary entry), found ${s.df.length}`, path: ['df'] });
    if (s.seen.length !== n) ctx.addIssue({ code: 'custom', message: `expected ${n} last uses (one per vocabulary entry), found ${s.seen.length}`, path: ['seen'] });
    const known = (xs: readonly number[], path: (string | number)[]): boolean => {
      for (let i = 0; i < xs.length; i++) {
        if (xs[i]! >= n) {
          ctx.addIssue({ code: 'custom', message: `feature id ${xs[i]} is outside the vocabulary of ${n}`, path: [...path, i] });
          return false;
        }
      }
      return true;
    };
    s.stories.forEach((st, k) => {
      for (let c = 0; c < 3; c++) if (!known(st.centroid[c]![0], ['stories', k, 'centroid', c, 0])) return;
      if (st.indexed && !known(st.indexed, ['stories', k, 'indexed'])) return;
      st.members?.forEach((m, j) => {
        const vs = [m[4], m[5], m[6]];
        for (let c = 0; c < 3; c++) if (!known(vs[c]![0], ['stories', k, 'members', j, 4 + c, 0])) return;
      });
    });
  });

type Format1 = z.infer<typeof format1>;
type Format2 = z.infer<typeof format2>;
type Format3 = z.infer<typeof format3>;
/** The clustering state in the current format (CLUSTER_FORMAT_VERSION). */
export type ClusterState = z.infer<typeof format4>;
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
export function upgrade3(s: Format3): ClusterState {
  const merges: [number, number][] = [];
  s.stories.forEach((st, i) => {
    if (st.mergedInto !== undefined && st.mergedInto >= 0) merges.push([i, st.mergedInto]);
  });
  const stories: SavedStory[] = [];
  s.stories.forEach(({ mergedInto, active, members, ...st }, index) => {
    if (active && (mergedInto ?? -1) < 0) stories.push({ index, ...st, members: members ?? null });
  });
  const { stories: _, ...rest } = s;
  return { ...rest, version: 4, seen: new Array<number>(s.vocab.length).fill(s.arrivals), created: s.stories.length, merges, stories };
}

/** A zod issue path as `stories[3].centroid[1][0][7]`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('') || 'the state';
}

function parseAs<T>(schema: z.ZodType<T>, raw: unknown, version: number): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = pathOf(issue.path);
  throw createError('MALFORMED_STATE', `cluster: the saved clustering state (format ${version}) is malformed at ${where}: ${issue.message}; re-run clustering`, { subject: `cluster.${where}` });
}

/**
 * Parses a saved clustering state of any format from 1 to CLUSTER_FORMAT_VERSION (as read
 * from JSON) and brings it to the current format. Throws FORMAT_VERSION for a format this
 * Parallax does not read, MALFORMED_STATE naming the first field that is wrong.
 */
export function parseClusterState(raw: unknown): ClusterState {
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (!(Number.isInteger(version) && (version as number) >= 1 && (version as number) <= CLUSTER_FORMAT_VERSION)) {
    throw createError('FORMAT_VERSION', `cluster: saved state has format ${JSON.stringify(version) ?? 'none'}, this Parallax reads 1 to ${CLUSTER_FORMAT_VERSION}; re-run clustering`, { subject: 'cluster' });
  }
  switch (version) {
    case 1:
      return upgrade3(upgrade2(upgrade1(parseAs(format1, raw, 1))));
    case 2:
      return upgrade3(upgrade2(parseAs(format2, raw, 2)));
    case 3:
      return upgrade3(parseAs(format3, raw, 3));
    default:
      return parseAs(format4, raw, 4);
  }
}

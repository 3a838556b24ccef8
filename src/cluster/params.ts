import { createError } from '../errors.js';

/** Parameters of online clustering (see online.ts for the algorithm). */
export interface ClusterParams {
  /** weights of the word / entity / number channels (sum 1) */
  readonly wWords: number;
  readonly wEntities: number;
  readonly wNumbers: number;
  /** join the best story when its similarity reaches this */
  readonly threshold: number;
  /** merge two stories when an article reaches both and their centroids are this close */
  readonly mergeThreshold: number;
  /** days over which the similarity to a story halves when both are dated (after graceDays) */
  readonly halfLifeDays: number;
  /** days apart over which dated articles and stories are not discounted (see decay) */
  readonly graceDays: number;
  /** stories quiet for this many days (dated streams) leave the active set */
  readonly activeDays: number;
  /** stories not joined in this many arrivals leave the active set */
  readonly activeArrivals: number;
  /** features kept per channel in a story centroid */
  readonly centroidSize: number;
  /** features of an article used to look up candidate stories */
  readonly queryFeatures: number;
  /** pseudo-documents of the IDF prior */
  readonly idfPriorDocs: number;
  /** entity cosine under which a match is scaled down (0 disables) */
  readonly entityGate: number;
  /**
   * split a story in two when the average similarity between its two main groups of members,
   * re-weighted by IDF within the story, is below this (0 disables; see trySplit)
   */
  readonly splitThreshold: number;
  /** each half of a split holds at least this many articles */
  readonly splitMinPart: number;
  /**
   * a story's similarity to an article is the larger of its centroid's and this times its
   * nearest member's (0: centroid only)
   */
  readonly memberWeight: number;
  /**
   * late joining: a small story whose best member reaches a growing story with this
   * similarity is absorbed by it (0 disables; see adopt)
   */
  readonly adoptThreshold: number;
  /**
   * stories of at most this many articles can be absorbed by late joining; kept below
   * splitMinPart, so that a half just split off is never joined back at once
   */
  readonly adoptMax: number;
  /**
   * reassignment: when an article reaches two stories, a member of either moves to the other
   * when it is closer to the other's centroid than to its own (without itself) by more than
   * this (negative disables; see reassign)
   */
  readonly moveMargin: number;
  /**
   * a term that no live story holds and no article used in this many arrivals is forgotten,
   * with its document frequency, so the vocabulary (and the saved state) follows the recent
   * stream, not its whole history (0 keeps every term)
   */
  readonly forgetArrivals: number;
  /**
   * name links: an article that reaches no story in time joins one it shares this many rare
   * multi-word names with (a suspect's and a victim's name, months later at the trial), when
   * its similarity without the time discount reaches the threshold (0 disables; see names.ts)
   */
  readonly nameLinks: number;
  /** a name is rare while at most this many articles have carried it */
  readonly nameMaxDf: number;
  /** the similarity without time discount a name link needs */
  readonly nameThreshold: number;
  /**
   * an outlet's boilerplate: a headline part this many earlier articles of the same outlet
   * carried is left out of the features, and a text line once they joined two stories
   * (0 disables; see boilerplate.ts)
   */
  readonly boilerplateArticles: number;
  /**
   * the people's ages ("a 23-year-old man", "Smith, 18,") become features of their own, and an
   * article and a story that each give 1 to this many ages and share none are a worse match
   * (0 disables; see specifics.ts)
   */
  readonly ageMax: number;
  /** the weight of an age feature against a number's (0: ages are no features, and no veto) */
  readonly ageWeight: number;
  /** the factor on such a match's similarity (1: ages are features only) */
  readonly ageVeto: number;
  /** name links need a shared name that is not a place's or an institution's (0: any names) */
  readonly namePerson: number;
  /** the factor on the similarity of dated reports within graceDays of a story */
  readonly nearBoost: number;
  /**
   * the stream's first this many articles are judged warily: without nearBoost and with an IDF
   * prior (idfPriorDocs) that rises from half to whole as they are counted, since the vocabulary has not yet learnt which words every
   * report of the stream carries (0: no warm-up; see OnlineClusterer.warm)
   */
  readonly warmup: number;
  /**
   * an article that names this many places (streets, districts, hospitals: multi-word place
   * names among its strongest names) is a round-up of several events: it joins a story but
   * bridges none, and counts roundUpWeight in its story (0 disables; see specifics.ts)
   */
  readonly roundUpPlaces: number;
  /** a round-up's share in its story's centroid (its members do not vouch for articles) */
  readonly roundUpWeight: number;
}

export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  wWords: 0.45,
  wEntities: 0.3,
  wNumbers: 0.25,
  threshold: 0.18,
  mergeThreshold: 0.5,
  halfLifeDays: 10,
  graceDays: 2,
  activeDays: 365,
  activeArrivals: 20_000,
  centroidSize: 150,
  queryFeatures: 24,
  idfPriorDocs: 200,
  entityGate: 0.1,
  splitThreshold: 0.08,
  splitMinPart: 3,
  memberWeight: 1,
  adoptThreshold: 0.25,
  adoptMax: 2,
  moveMargin: 0.02,
  forgetArrivals: 50_000,
  nameLinks: 2,
  nameMaxDf: 3,
  nameThreshold: 0.3,
  boilerplateArticles: 1,
  ageMax: 4,
  ageWeight: 1,
  ageVeto: 0.75,
  nearBoost: 1.2,
  namePerson: 1,
  warmup: 50,
  roundUpPlaces: 10,
  roundUpWeight: 0.25,
};

/** `params` over the defaults, checked: a bad value is refused here, not met mid-stream. */
export function clusterParams(params: Partial<ClusterParams>): ClusterParams {
  const p: ClusterParams = { ...DEFAULT_CLUSTER_PARAMS, ...params };
  if (Math.abs(p.wWords + p.wEntities + p.wNumbers - 1) > 1e-6) throw createError('INVALID_FIELD', 'cluster: channel weights must sum to 1', { subject: 'params' });
  for (const k of Object.keys(p) as (keyof ClusterParams)[]) {
    if (typeof p[k] !== 'number' || Number.isNaN(p[k])) throw createError('INVALID_FIELD', `cluster: ${k} must be a number (got ${String(p[k])})`, { subject: `params.${k}` });
  }
  for (const k of ['centroidSize', 'queryFeatures', 'splitMinPart', 'adoptMax', 'activeArrivals', 'forgetArrivals', 'boilerplateArticles', 'ageMax', 'warmup', 'roundUpPlaces'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 0) throw createError('INVALID_FIELD', `cluster: ${k} must be a whole number >= 0 (got ${p[k]})`, { subject: `params.${k}` });
  }
  if (!(p.roundUpWeight >= 0 && p.roundUpWeight <= 1)) throw createError('INVALID_FIELD', `cluster: roundUpWeight must be from 0 to 1 (got ${p.roundUpWeight})`, { subject: 'params.roundUpWeight' });
  if (!(p.ageVeto >= 0 && p.ageVeto <= 1)) throw createError('INVALID_FIELD', `cluster: ageVeto must be from 0 to 1 (got ${p.ageVeto})`, { subject: 'params.ageVeto' });
  if (!(p.nearBoost > 0 && p.ageWeight >= 0))
    throw createError('INVALID_FIELD', `cluster: nearBoost must be > 0 and ageWeight >= 0 (got ${p.nearBoost}, ${p.ageWeight})`, { subject: 'params.nearBoost' });
  if (p.adoptThreshold > 0 && p.splitThreshold > 0 && p.adoptMax >= p.splitMinPart) {
    throw createError('INVALID_FIELD', `cluster: adoptMax (${p.adoptMax}) must be below splitMinPart (${p.splitMinPart}), or late joining could undo splits`, { subject: 'params.adoptMax' });
  }
  return p;
}

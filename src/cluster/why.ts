import type { Article } from '../domain/article.js';
import type { ArticleId, StoryId } from '../domain/ids.js';
import type { LoggedCorrection } from './correction.js';
import type { Analysis } from '../text/analyse.js';
import { linesOf, type OutletLines, withoutBoilerplate, withoutBoilerplateAnalysis } from './boilerplate.js';
import { clusterInputOf, extractFeatures, featuresAnalysis, type Features } from './features.js';
import { DEFAULT_CLUSTER_PARAMS, type ClusterParams } from './online.js';
import { agesConflict } from './specifics.js';

/** Why one article is in its story: what it shares with the member it is nearest to. */
export interface MemberWhy {
  readonly article: ArticleId;
  readonly title: string | null;
  readonly published: string | null;
  /** the member of the story it is most alike, null for a story of one */
  readonly nearest: { readonly article: ArticleId; readonly title: string | null } | null;
  /** names (people, places, organisations) both carry, strongest first */
  readonly names: readonly string[];
  /** figures both carry (the numbers channel, an age's bare number included) */
  readonly numbers: readonly string[];
  /** the people's ages (from the leads) both give: a channel of their own */
  readonly ages: readonly number[];
  /**
   * it gives a few people's ages and the rest of its story others, none shared: the clusterer
   * counts such a match down (a report of another event of the same kind, unless the rest agrees)
   */
  readonly agesApart: boolean;
  /** content words both carry (as the article writes them), strongest first */
  readonly words: readonly string[];
  /** days between the two, when both are dated */
  readonly dayGap: number | null;
  /** the similarity to the nearest member, weighed as the clusterer weighs its channels */
  readonly score: number;
  /** the clusterer's join threshold, for comparison */
  readonly threshold: number;
  /**
   * lines and headline parts its outlet repeats across its articles (see boilerplate.ts): left
   * out of what is compared, names and words included
   */
  readonly boilerplate: readonly string[];
  /** analysts' corrections that put it here or changed its story */
  readonly corrections: readonly { readonly seq: number; readonly at: string; readonly kind: string; readonly detail: string }[];
}

export interface StoryWhy {
  readonly story: StoryId;
  readonly members: readonly MemberWhy[];
}

const SHOW = 8;
/** characters of a boilerplate line shown */
const BOILERPLATE_SHOWN = 100;
type Vec = Map<string, number>;

/**
 * The evidence that holds a story together, recomputed from its stored articles: for each
 * member, the member it is most alike by the clusterer's three channels (content words,
 * names, numbers, each TF-IDF weighted, IDF over the story's articles with the clusterer's
 * prior, so that what every member says counts less than what two share), the shared names,
 * numbers and words, the date gap, and the corrections that touched it. With `lines` (the
 * outlets' boilerplate the clusterer has learnt), what an article's outlet repeats is left
 * out, as the clusterer leaves it out, and listed. Pure; the caller reads the articles, the
 * correction log and the learnt lines.
 */
export function explainStory(
  story: StoryId,
  articles: readonly Article[],
  corrections: readonly LoggedCorrection[],
  params: ClusterParams = DEFAULT_CLUSTER_PARAMS,
  lines: OutletLines | null = null,
): StoryWhy {
  const left: string[][] = [];
  // one analysis of each member's text, for its features and the words shown
  const analyses: Analysis[] = [];
  const feats: Features[] = articles.map((a) => {
    const input = clusterInputOf(a);
    const an = featuresAnalysis(input);
    analyses.push(an);
    if (!lines) return (left.push([]), extractFeatures(input, an));
    const parts = linesOf(input);
    // the clusterer counted the article's own lines when it arrived
    const known = lines.known(input, parts, true);
    left.push([...known.title.map((i) => parts.title[i]!), ...known.lines.map((i) => parts.lines[i]!)].map((l) => (l.length > BOILERPLATE_SHOWN ? `${l.slice(0, BOILERPLATE_SHOWN)}...` : l.trim())));
    const without = withoutBoilerplate(input, known, parts);
    if (without === input) return extractFeatures(input, an);
    const shortened = withoutBoilerplateAnalysis(input, an, without, known, parts);
    return shortened ? extractFeatures(without, shortened) : extractFeatures(without);
  });
  const n = articles.length;
  const df = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const bags = (f: Features): Map<string, number>[] => [f.words, f.entities, f.numbers];
  for (const f of feats) bags(f).forEach((b, c) => b.forEach((_, k) => df[c]!.set(k, (df[c]!.get(k) ?? 0) + 1)));
  const prior = params.idfPriorDocs;
  const vecs: Vec[][] = feats.map((f) =>
    bags(f).map((b, c) => {
      const v: Vec = new Map();
      let sq = 0;
      for (const [k, tf] of b) {
        const x = (1 + Math.log(tf)) * Math.log((n + 1 + prior) / (df[c]!.get(k)! + prior * 0.01));
        v.set(k, x);
        sq += x * x;
      }
      const l = Math.sqrt(sq) || 1;
      for (const [k, x] of v) v.set(k, x / l);
      return v;
    }),
  );
  const w = [params.wWords, params.wEntities, params.wNumbers];
  const sim = (a: Vec[], b: Vec[]): number => {
    let s = 0;
    let weight = 0;
    for (let c = 0; c < 3; c++) {
      if (a[c]!.size === 0 || b[c]!.size === 0) continue;
      weight += w[c]!;
      let d = 0;
      for (const [k, x] of a[c]!) d += x * (b[c]!.get(k) ?? 0);
      s += w[c]! * d;
    }
    return weight > 0 ? s / weight : 0;
  };
  const shared = (a: Vec, b: Vec): string[] =>
    [...a]
      .filter(([k]) => b.has(k))
      .map(([k, x]) => [k, x * b.get(k)!] as const)
      .sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))
      .slice(0, SHOW)
      .map(([k]) => k);
  // words are compared as stems ("tuesdai"); they are shown as the story's articles write them
  const surface = new Map<string, Map<string, number>>();
  for (const an of analyses) {
    for (const t of an.tokens) {
      let forms = surface.get(t.stem);
      if (!forms) surface.set(t.stem, (forms = new Map<string, number>()));
      forms.set(t.norm, (forms.get(t.norm) ?? 0) + 1);
    }
  }
  const word = (stem: string): string => {
    const forms = surface.get(stem);
    if (!forms) return stem;
    let best = stem;
    let n = 0;
    for (const [f, c] of forms) if (c > n || (c === n && f < best)) [best, n] = [f, c];
    return best;
  };
  // as the clusterer compares an arrival's ages with its story's (all members), with the veto on
  const vetoes = params.ageWeight > 0 && params.ageMax > 0 && params.ageVeto < 1;
  const othersAges = (i: number): number[] => [...new Set(feats.flatMap((f, j) => (j === i ? [] : (f.ages ?? []))))];
  const members = articles.map((a, i): MemberWhy => {
    let best = -1;
    let bestSim = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const s = sim(vecs[i]!, vecs[j]!);
      if (s > bestSim) [best, bestSim] = [j, s];
    }
    const near = best >= 0 ? articles[best]! : null;
    const day = (x: Article): number => (x.meta.published?.value ? Date.parse(x.meta.published.value) / 86_400_000 : Number.NaN);
    const gap = near ? Math.abs(day(a) - day(near)) : Number.NaN;
    return {
      article: a.id,
      title: a.title,
      published: a.meta.published?.value ?? null,
      nearest: near ? { article: near.id, title: near.title } : null,
      names: near ? shared(vecs[i]![1]!, vecs[best]![1]!) : [],
      numbers: near ? shared(vecs[i]![2]!, vecs[best]![2]!) : [],
      ages: near ? (feats[i]!.ages ?? []).filter((x) => (feats[best]!.ages ?? []).includes(x)) : [],
      agesApart: near !== null && vetoes && agesConflict(feats[i]!.ages ?? [], othersAges(i), params.ageMax),
      words: near ? shared(vecs[i]![0]!, vecs[best]![0]!).map(word) : [],
      dayGap: Number.isNaN(gap) ? null : Math.round(gap * 10) / 10,
      score: near ? Math.round(bestSim * 1000) / 1000 : 0,
      threshold: params.threshold,
      boilerplate: left[i]!,
      corrections: corrections
        .filter((l) => l.result.articles.includes(a.id) || (l.correction.kind === 'merge' && l.result.story === story))
        .map((l) => ({ seq: l.seq, at: l.at, kind: l.correction.kind, detail: describe(l) })),
    };
  });
  return { story, members };
}

function describe(l: LoggedCorrection): string {
  const c = l.correction;
  if (c.kind === 'merge') return `story ${c.story} merged into ${c.into} by an analyst`;
  if (c.kind === 'split') return `split off story ${c.story} into ${l.result.story} by an analyst`;
  return c.to === null ? `moved to a new story ${l.result.story} by an analyst` : `moved to story ${c.to} by an analyst`;
}

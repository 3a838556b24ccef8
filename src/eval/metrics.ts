/**
 * Clustering evaluation over two labelings of the same items: B-cubed, pairwise
 * precision/recall/F1 (pair counting via the contingency table, no O(n^2) loop),
 * adjusted Rand index and V-measure.
 */
export interface ClusterScores {
  readonly items: number;
  readonly goldClusters: number;
  readonly predClusters: number;
  readonly bcubed: { precision: number; recall: number; f1: number };
  readonly pairwise: { precision: number; recall: number; f1: number };
  readonly ari: number;
  readonly vMeasure: { homogeneity: number; completeness: number; v: number };
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const pairs = (n: number): number => (n * (n - 1)) / 2;

export function scoreClustering(gold: readonly string[], pred: readonly string[]): ClusterScores {
  if (gold.length !== pred.length) throw new RangeError(`scoreClustering: ${gold.length} gold labels but ${pred.length} predicted`);
  const n = gold.length;
  const cont = new Map<string, Map<string, number>>();
  const gSize = new Map<string, number>();
  const pSize = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    gSize.set(g, (gSize.get(g) ?? 0) + 1);
    pSize.set(p, (pSize.get(p) ?? 0) + 1);
    let row = cont.get(g);
    if (!row) cont.set(g, (row = new Map<string, number>()));
    row.set(p, (row.get(p) ?? 0) + 1);
  }
  // B-cubed: per item, |gold ∩ pred| / |pred| and / |gold|; summed per contingency cell
  let bp = 0;
  let br = 0;
  let sameBoth = 0;
  for (const [g, row] of cont) {
    for (const [p, c] of row) {
      bp += (c * c) / pSize.get(p)!;
      br += (c * c) / gSize.get(g)!;
      sameBoth += pairs(c);
    }
  }
  const bPrecision = n === 0 ? 0 : bp / n;
  const bRecall = n === 0 ? 0 : br / n;
  let sameGold = 0;
  for (const s of gSize.values()) sameGold += pairs(s);
  let samePred = 0;
  for (const s of pSize.values()) samePred += pairs(s);
  const pp = samePred === 0 ? (sameGold === 0 ? 1 : 0) : sameBoth / samePred;
  const pr = sameGold === 0 ? 1 : sameBoth / sameGold;
  const total = pairs(n);
  const expected = total === 0 ? 0 : (sameGold * samePred) / total;
  const maxIndex = (sameGold + samePred) / 2;
  const ari = maxIndex === expected ? 1 : (sameBoth - expected) / (maxIndex - expected);
  // V-measure from conditional entropies
  let hGold = 0;
  for (const s of gSize.values()) hGold -= (s / n) * Math.log(s / n);
  let hPred = 0;
  for (const s of pSize.values()) hPred -= (s / n) * Math.log(s / n);
  let hGoldGivenPred = 0;
  let hPredGivenGold = 0;
  for (const [g, row] of cont) {
    for (const [p, c] of row) {
      hGoldGivenPred -= (c / n) * Math.log(c / pSize.get(p)!);
      hPredGivenGold -= (c / n) * Math.log(c / gSize.get(g)!);
    }
  }
  const homogeneity = hGold === 0 ? 1 : 1 - hGoldGivenPred / hGold;
  const completeness = hPred === 0 ? 1 : 1 - hPredGivenGold / hPred;
  return {
    items: n,
    goldClusters: gSize.size,
    predClusters: pSize.size,
    bcubed: { precision: bPrecision, recall: bRecall, f1: f1(bPrecision, bRecall) },
    pairwise: { precision: pp, recall: pr, f1: f1(pp, pr) },
    ari,
    vMeasure: { homogeneity, completeness, v: f1(homogeneity, completeness) },
  };
}

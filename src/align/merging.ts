import type { PairFeatures } from './score.js';
import type { ScoredPairs } from './scoring.js';
import type { AlignDocument, AlignedPair, Edge, Fact, ResolvedAlignOptions, SentenceRef, Sentences } from './types.js';

/**
 * The last step of sentence alignment: accepted pairs are merged into facts best first, like
 * single-link clustering with a cannot-link rule: a fact holds at most one sentence per
 * article, except when a long sentence of one article is split across two sentences of
 * another (1-to-many): both must be mostly contained in it and cover different parts of it.
 */

/** Letters and digits only, lower-cased: texts equal under it differ only in case, punctuation or spacing. */
export function textKey(t: string): string {
  return t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Facts under construction, as a union-find over sentence ids; each fact keeps its members
 * and the set of its articles so a merge is checked in time of the smaller side.
 */
class Facts {
  private readonly parent: Int32Array;
  /** root -> member sentences (absent: the root alone) */
  readonly members = new Map<number, number[]>();
  private readonly docsIn = new Map<number, Set<number>>();
  /** roots of facts holding a 1-to-many split */
  private readonly hasSplit = new Set<number>();
  /** roots of facts formed with a partial pair */
  readonly partialRoot = new Set<number>();
  /** root -> [sum of the scores of the pairs that formed it, their number] */
  readonly scoreSum = new Map<number, [number, number]>();
  /** the pairs accepted into facts */
  readonly used: AlignedPair[] = [];

  constructor(
    private readonly s: Sentences,
    private readonly edgeOf: ScoredPairs['edgeOf'],
    private readonly o: ResolvedAlignOptions,
  ) {
    this.parent = new Int32Array(s.total);
    for (let x = 0; x < s.total; x++) this.parent[x] = x;
  }

  private find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  private membersOf(r: number): number[] {
    return this.members.get(r) ?? [r];
  }

  private docsOf(r: number): Set<number> {
    return this.docsIn.get(r) ?? new Set([this.s.docOf[r]!]);
  }

  ref(x: number): SentenceRef {
    return { article: this.s.docOf[x]!, index: this.s.idxOf[x]! };
  }

  /**
   * 1-to-many: `h`, alone, joins the fact of `g` although its article already has a
   * sentence there (`other`), when `g` is split across `other` and `h`: both are mostly
   * contained in `g` and they cover different parts of it. One split per fact, of two.
   */
  private isSplit(g: number, h: number, gh: PairFeatures, rootG: number): boolean {
    const { docOf } = this.s;
    if (this.hasSplit.has(rootG)) return false;
    let other = -1;
    for (const x of this.membersOf(rootG)) if (docOf[x] === docOf[h]) other = x;
    if (other < 0 || other === h) return false;
    const e2 = this.edgeOf(g, other);
    if (!e2) return false;
    // features are stored for (smaller id, larger id): orient them as (g, x)
    const coverOfH = g < h ? gh.coverB : gh.coverA;
    const coverOfGbyH = g < h ? gh.coverA : gh.coverB;
    const coverOfOther = e2.h === other ? e2.f.coverB : e2.f.coverA;
    const coverOfGbyOther = e2.h === other ? e2.f.coverA : e2.f.coverB;
    return coverOfH >= this.o.partialCover && coverOfOther >= this.o.partialCover && coverOfGbyH >= 0.2 && coverOfGbyH + coverOfGbyOther <= 1.25;
  }

  /** Merges the facts of the pair's two sentences unless a rule forbids it. */
  add(e: Edge): void {
    const { docOf } = this.s;
    const ra = this.find(e.g);
    const rb = this.find(e.h);
    if (ra === rb) return;
    const da = this.docsOf(ra);
    const db = this.docsOf(rb);
    const [smallDocs, largeDocs] = da.size <= db.size ? [da, db] : [db, da];
    let clash = false;
    for (const d of smallDocs) if (largeDocs.has(d)) clash = true;
    // one split per fact: two facts that each hold one do not merge (found by the property
    // test over four articles: the merged fact had two articles with two sentences each)
    if (!clash && this.hasSplit.has(ra) && this.hasSplit.has(rb)) return;
    let split = false;
    if (clash) {
      if (this.membersOf(rb).length === 1) split = this.isSplit(e.g, e.h, e.f, ra);
      else if (this.membersOf(ra).length === 1) split = this.isSplit(e.h, e.g, e.f, rb);
      if (!split) return;
    }
    const [small, large] = this.membersOf(ra).length < this.membersOf(rb).length ? [ra, rb] : [rb, ra];
    this.parent[small] = large;
    const into = this.members.get(large) ?? [large];
    for (const m of this.membersOf(small)) into.push(m);
    this.members.set(large, into);
    this.members.delete(small);
    const docsInto = this.docsIn.get(large) ?? new Set([docOf[large]!]);
    for (const d of this.docsOf(small)) docsInto.add(d);
    this.docsIn.set(large, docsInto);
    this.docsIn.delete(small);
    const sa = this.scoreSum.get(ra) ?? [0, 0];
    const sb = this.scoreSum.get(rb) ?? [0, 0];
    this.scoreSum.set(large, [sa[0] + sb[0] + e.score, sa[1] + sb[1] + 1]);
    this.scoreSum.delete(small);
    if (split || this.hasSplit.has(small) || this.hasSplit.has(large)) this.hasSplit.add(large);
    this.hasSplit.delete(small);
    if (split || !e.paraphrase || this.partialRoot.has(small) || this.partialRoot.has(large)) this.partialRoot.add(large);
    this.partialRoot.delete(small);
    this.used.push({ a: this.ref(e.g), b: this.ref(e.h), score: e.score, features: e.f });
  }
}

/**
 * The facts the accepted pairs (best first) form, in document order, and for each document
 * the indexes of its sentences in no fact; with the pairs that formed them.
 */
export function mergeFacts(
  docs: readonly AlignDocument[],
  s: Sentences,
  accepted: readonly Edge[],
  scored: ScoredPairs,
  o: ResolvedAlignOptions,
): { facts: Fact[]; unique: number[][]; pairs: AlignedPair[] } {
  const { total, docOf, idxOf } = s;
  const merger = new Facts(s, scored.edgeOf, o);
  for (const e of accepted) merger.add(e);
  const facts: Fact[] = [];
  const inFact = new Uint8Array(total);
  for (const [root, ms] of merger.members) {
    if (ms.length < 2) continue;
    const sorted = [...ms].sort((x, y) => x - y);
    for (const x of sorted) inFact[x] = 1;
    const texts = sorted.map((x) => docs[docOf[x]!]!.texts?.[idxOf[x]!]);
    const identical = texts.every((t) => t !== undefined) && new Set(texts.map((t) => textKey(t))).size === 1;
    const [sum, n] = merger.scoreSum.get(root) ?? [0, 1];
    facts.push({
      sentences: sorted.map((x) => merger.ref(x)),
      relation: identical ? 'identical' : merger.partialRoot.has(root) ? 'partial' : 'paraphrase',
      score: sum / n,
      articles: new Set(sorted.map((x) => docOf[x]!)).size,
    });
  }
  facts.sort((x, y) => x.sentences[0]!.article - y.sentences[0]!.article || x.sentences[0]!.index - y.sentences[0]!.index);
  const unique: number[][] = docs.map(() => []);
  for (let x = 0; x < total; x++) if (!inFact[x]) unique[docOf[x]!]!.push(idxOf[x]!);
  return { facts, unique, pairs: merger.used };
}

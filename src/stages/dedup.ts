import type { Article } from '../domain/article.js';
import type { ArticleId } from '../domain/ids.js';
import type { ReuseLink } from '../domain/reuse.js';
import type { ChangedArticle, PendingBatch, Stage } from './stage.js';
import type { Store } from '../store/store.js';
import { comparePair, DEFAULT_CLASSIFY, fingerprint, SharedBound, type ClassifyOptions, type DedupDoc, type Fingerprint } from '../dedup/detect.js';
import { fingerprintOf } from '../dedup/prints.js';
import { mayBeDated } from '../ingest/lean.js';
import { DedupIndex } from '../dedup/index-lsh.js';
import { assertSameParams, makeParams, paramsKey, type DedupParams } from '../dedup/signature.js';

/**
 * Dedup as an ingest stage: each new or changed article is signed, looked up in the
 * index, and verified against its candidates (their texts read from the store, or from the
 * batch itself); links and the signature are written with the article. The index lives in
 * memory and is rebuilt from the stored signatures at start, which are refused if they
 * were made with other parameters.
 */
export function dedupDoc(a: Article, order = Date.parse(a.fetchedAt) || 0): DedupDoc {
  // date and credits read when a comparison asks: a lean article (ingest/lean.ts) reads them from its text then
  return {
    id: a.id,
    text: a.text,
    get published() {
      return a.meta.published?.value ?? null;
    },
    get dated() {
      return mayBeDated(a);
    },
    get credits() {
      return a.meta.credits.map((c) => c.value);
    },
    order,
  };
}

export interface DedupStageOptions {
  /** fingerprints kept in memory (FINGERPRINT_CACHE; 0 reads every candidate back, Infinity keeps all) */
  readonly cacheSize?: number;
  /** what makes a pair related, and of which class (DEFAULT_CLASSIFY) */
  readonly classify?: ClassifyOptions;
  /**
   * The last tie-breaker for which of two articles is the original: `fetched`, the time each
   * was read (a store that is kept, where candidates are read back); `arrival`, the order the
   * articles reached this stage (one run over files, where they are read within the same
   * second; with every fingerprint kept).
   */
  readonly order?: 'fetched' | 'arrival';
  /**
   * Told of each link as it is found, before its batch commits: for a one-off run over files,
   * which reports the links in the order they were found rather than the store's listing order.
   */
  readonly onLink?: (link: ReuseLink) => void;
}

function toBytes(a: Uint32Array): Uint8Array {
  // viewed, not copied (it is never written to): a store that keeps it copies it (the SQL
  // stores when they write it, the store in memory unless it keeps signatures as given), and
  // a sketch from a worker is a view into its chunk's buffer, which copying was 2-3 % of dupes
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function fromBytes(b: Uint8Array): Uint32Array {
  const copy = new Uint8Array(b);
  return new Uint32Array(copy.buffer, 0, copy.byteLength >>> 2);
}

/**
 * Fingerprints of recently seen articles, least recently used dropped first. Reprints
 * arrive close together, so their candidates are mostly recent: without this, every
 * candidate was read back from the store and shingled again for every article that met
 * it, about half of ingest time on a stream rich in reprints.
 */
const FINGERPRINT_CACHE = 4096;

export class DedupStage implements Stage {
  readonly name = 'dedup';
  readonly params: DedupParams;
  private index: DedupIndex;
  private store: Store | null = null;
  private readonly recent = new Map<string, Fingerprint>();
  private readonly cacheSize: number;
  /** the position of the last signature the index holds or has seen (Store.signatureCursor) */
  private cursor = 0;

  private readonly classify: ClassifyOptions;
  private readonly order: 'fetched' | 'arrival';
  private readonly onLink: ((link: ReuseLink) => void) | undefined;
  private arrivals = 0;
  private readonly shared = new SharedBound();
  readonly wants: { readonly print: DedupParams; readonly article: 'lean' };

  constructor(params: DedupParams = makeParams(), options: DedupStageOptions = {}) {
    this.params = params;
    this.index = new DedupIndex(params);
    this.cacheSize = options.cacheSize ?? FINGERPRINT_CACHE;
    this.classify = options.classify ?? DEFAULT_CLASSIFY;
    this.order = options.order ?? 'fetched';
    this.onLink = options.onLink;
    this.wants = { print: params, article: 'lean' };
  }

  async open(store: Store): Promise<void> {
    this.store = store;
    this.recent.clear();
    this.index = new DedupIndex(this.params);
    const key = paramsKey(this.params);
    // the engine opens stages as the store's only writer: nothing is signed in between
    this.cursor = await store.reuse.signatureCursor();
    for (const s of await store.reuse.loadSignatures()) {
      assertSameParams(s.params, key, `the signature of article ${s.article}`);
      this.index.add(s.article, fromBytes(s.signature), fromBytes(s.anchors));
    }
  }

  /**
   * Another writer signed articles since this stage last held the lock: their signatures
   * (written after `cursor`) are added, so the index is what it would be had this process
   * signed them. Articles the index does not hold yet are added in the order they were first
   * stored, not written (an article stored first and re-signed later was written last), so
   * their ages agree with a fresh open, which decides which candidates a large reprint family
   * keeps; a replaced signature (a new version) keeps its age, and its cached fingerprint is
   * dropped. The cursor moves up to the last signature whenever no one else wrote, so what is
   * read here is the other writer's signatures and at most this stage's own last batch
   * (added again: harmless, ages are kept).
   */
  async catchUp(store: Store, othersWrote: boolean): Promise<void> {
    if (!othersWrote) {
      this.cursor = await store.reuse.signatureCursor();
      return;
    }
    const key = paramsKey(this.params);
    const fresh: Array<{ article: string; stored: number; sig: Uint32Array; anchors: Uint32Array }> = [];
    for (;;) {
      const page = await store.reuse.signaturesWrittenAfter(this.cursor, 1000);
      for (const s of page.signatures) {
        assertSameParams(s.params, key, `the signature of article ${s.article}`);
        this.recent.delete(s.article);
        if (this.index.has(s.article)) this.index.add(s.article, fromBytes(s.signature), fromBytes(s.anchors));
        else fresh.push({ article: s.article, stored: s.stored, sig: fromBytes(s.signature), anchors: fromBytes(s.anchors) });
      }
      this.cursor = page.cursor;
      if (page.signatures.length < 1000) break;
      await new Promise((r) => setImmediate(r));
    }
    // as loadSignatures orders them: by first-stored place, then id; a re-signed one met twice
    // is added twice, the later signature last, and keeps the first one's age
    fresh.sort((a, b) => a.stored - b.stored || (a.article < b.article ? -1 : a.article > b.article ? 1 : 0));
    for (const f of fresh) this.index.add(f.article, f.sig, f.anchors);
  }

  async apply(changed: readonly ChangedArticle[], batch: PendingBatch): Promise<void> {
    if (changed.length === 0) return;
    const key = paramsKey(this.params);
    const inBatch = new Map<string, Fingerprint>();
    for (const { article, status, analysis } of changed) {
      const doc = dedupDoc(article, this.order === 'arrival' ? this.arrivals++ : undefined);
      // the sketch made where the article was built, if it was made with these parameters
      const sketch = analysis?.print?.params === key ? analysis.print : undefined;
      const fp = sketch ? fingerprintOf(doc, sketch) : fingerprint(doc, this.params);
      const anchors = sketch ? sketch.anchors : this.index.anchorsOf(fp.shingles.hashes);
      const candidates = this.index.query(fp.sig, anchors).filter((id) => id !== article.id);
      // in candidate order, whichever way each was found, so the batch's write order does not
      // depend on what the cache held
      const slots: (Fingerprint | undefined)[] = candidates.map((id) => inBatch.get(id) ?? this.cached(id));
      const stored = candidates.filter((_, i) => !slots[i]);
      if (stored.length > 0 && this.store) {
        const at = new Map(candidates.map((id, i) => [id, i]));
        for (const a of await this.store.getArticles(stored as ArticleId[])) {
          const other = fingerprint(dedupDoc(a), this.params);
          this.remember(other);
          slots[at.get(a.id)!] = other;
        }
      }
      const others = slots.filter((x): x is Fingerprint => x !== undefined);
      if (status === 'updated') batch.relinked.push(article.id);
      if (others.length > 0) this.shared.load(fp.set);
      for (const other of others) {
        const link = comparePair(fp, other, this.params, this.classify, this.shared.bound(other.set));
        if (link) {
          batch.reuseLinks.push(link);
          this.onLink?.(link);
        }
      }
      this.index.add(article.id, fp.sig, anchors);
      inBatch.set(article.id, fp);
      this.remember(fp);
      batch.signatures.push({ article: article.id, params: key, signature: toBytes(fp.sig), anchors: toBytes(anchors) });
    }
  }

  private cached(id: string): Fingerprint | undefined {
    const fp = this.recent.get(id);
    // a cache that keeps everything never evicts: no order to keep
    if (fp && this.cacheSize !== Number.POSITIVE_INFINITY) {
      // most recently used last
      this.recent.delete(id);
      this.recent.set(id, fp);
    }
    return fp;
  }

  private remember(fp: Fingerprint): void {
    if (this.cacheSize === Number.POSITIVE_INFINITY) {
      this.recent.set(fp.doc.id, fp);
      return;
    }
    this.recent.delete(fp.doc.id);
    if (this.cacheSize <= 0) return;
    this.recent.set(fp.doc.id, fp);
    if (this.recent.size > this.cacheSize) this.recent.delete(this.recent.keys().next().value!);
  }
}

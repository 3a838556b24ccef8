import type { ReuseLink } from '../domain/reuse.js';
import { comparePair, DEFAULT_CLASSIFY, fingerprint, type ClassifyOptions, type DedupDoc, type Fingerprint } from './detect.js';
import { DedupIndex } from './index-lsh.js';
import { makeParams, type DedupParams } from './signature.js';

/**
 * Streaming reprint detection over documents held in memory (stateless commands, tests,
 * benchmarks): each added document is queried against the index, every candidate is
 * verified exactly, and the document is then indexed. The cost of one document depends on
 * its candidates, not on how many documents came before.
 */
export class Deduplicator {
  readonly params: DedupParams;
  readonly index: DedupIndex;
  private readonly prints = new Map<string, Fingerprint>();
  private readonly classify: ClassifyOptions;

  constructor(options: { params?: DedupParams; classify?: ClassifyOptions } = {}) {
    this.params = options.params ?? makeParams();
    this.index = new DedupIndex(this.params);
    this.classify = options.classify ?? DEFAULT_CLASSIFY;
  }

  add(doc: DedupDoc): ReuseLink[] {
    const fp = fingerprint(doc, this.params);
    return this.addFingerprint(fp, this.index.anchorsOf(fp.shingles.hashes));
  }

  /** `add` for a document fingerprinted elsewhere (a worker thread) with these parameters. */
  addFingerprint(fp: Fingerprint, anchors: Uint32Array): ReuseLink[] {
    const doc = fp.doc;
    const links: ReuseLink[] = [];
    for (const id of this.index.query(fp.sig, anchors)) {
      if (id === doc.id) continue;
      const other = this.prints.get(id);
      if (!other) continue;
      const link = comparePair(fp, other, this.params, this.classify);
      if (link) links.push(link);
    }
    this.index.add(doc.id, fp.sig, anchors);
    this.prints.set(doc.id, fp);
    return links;
  }
}

import type { Draft } from '../ingest/draft.js';
import { contentHashOf, givenOutlet, readyText, titleDateCredits, usableUrl } from '../ingest/build.js';
import { articleIdFromKey } from '../domain/ids.js';
import { identityKey } from '../ingest/identity.js';
import { extractTextMeta } from '../ingest/metadata.js';
import type { DedupDoc, Fingerprint } from './detect.js';
import { winnow } from './index-lsh.js';
import { shingle, shingleSet } from './shingle.js';
import { minhash, type DedupParams } from './signature.js';

/**
 * What reprint detection needs of an input, and no more: `parallax dupes` over a file of
 * 20,000 articles spent most of its time building whole articles (metadata from the text,
 * sentences, language) that it then reduced to a text and an id. Here an input keeps its
 * normalised text (passages point into it, as into a stored article's), the id ingest gives
 * it, and the draft's own title, date and credits; what the text says about them (a date
 * line, a wire credit) is read only for articles that turn out to be related, where it
 * decides which is the original. The same id, text, date and credits as buildArticle
 * (tested).
 */
export interface ReprintInput {
  readonly id: string;
  /** its identity key (ingest/identity.ts) */
  readonly key: string;
  readonly source: string;
  readonly url: string | null;
  readonly externalId: string | null;
  /** normalised, as stored */
  readonly text: string;
  /** the draft's own fields; the text's are added by reprintMeta */
  readonly given: Pick<Draft, 'title' | 'published' | 'credits' | 'url'>;
}

/** An input signed for reprint detection: built in a worker thread when there are any. */
export interface ReprintPrint {
  readonly input: ReprintInput;
  readonly hashes: Uint32Array;
  readonly first: Int32Array;
  readonly tokenStart: Int32Array;
  readonly tokenEnd: Int32Array;
  readonly tokens: number;
  readonly set: Uint32Array;
  readonly sig: Uint32Array;
  readonly anchors: Uint32Array;
}

export function reprintInput(pending: Draft): ReprintInput {
  const { draft, text } = readyText(pending);
  const url = usableUrl(draft);
  const outlet = givenOutlet(draft);
  const base = { url, externalId: draft.externalId, source: draft.source };
  const meta = { outlet } as Parameters<typeof identityKey>[0]['meta'];
  // only an input known by its content needs its title (part of the content hash) now
  const keyed = url !== null || (draft.externalId !== null && draft.externalId !== '');
  const contentHash = keyed ? '' : contentHashOf(titleDateCredits(draft, extractTextMeta(text)).title?.value ?? null, text);
  const key = identityKey({ ...base, meta, contentHash });
  return {
    id: articleIdFromKey(key),
    key,
    ...base,
    text,
    given: { title: draft.title, published: draft.published, credits: draft.credits, url: draft.url },
  };
}

export function reprintPrint(pending: Draft, params: DedupParams): ReprintPrint {
  const input = reprintInput(pending);
  const sh = shingle(input.text, params.shingleSize);
  return { input, ...sh, set: shingleSet(sh), sig: minhash(sh.hashes, params), anchors: winnow(sh.hashes, params.anchorWindow) };
}

type ReprintMeta = { readonly title: string | null; readonly published: string | null; readonly credits: readonly string[] };
const metas = new WeakMap<ReprintInput, ReprintMeta>();

/**
 * Title, date and credits as buildArticle gives them (reads the text: call it for related
 * articles only; read once per input, as comparisons and the report both ask).
 */
export function reprintMeta(input: ReprintInput): ReprintMeta {
  let meta = metas.get(input);
  if (!meta) {
    const m = titleDateCredits(input.given, extractTextMeta(input.text));
    meta = { title: m.title?.value ?? null, published: m.published?.value ?? null, credits: m.credits.map((c) => c.value) };
    metas.set(input, meta);
  }
  return meta;
}

/** The fingerprint of a print, its date and credits read from the text only if a comparison asks. */
export function printFingerprint(p: ReprintPrint, order: number): Fingerprint {
  let meta: ReturnType<typeof reprintMeta> | null = null;
  const lazy = (): ReturnType<typeof reprintMeta> => (meta ??= reprintMeta(p.input));
  const doc: DedupDoc = {
    id: p.input.id,
    text: p.input.text,
    order,
    get published() {
      return lazy().published;
    },
    get credits() {
      return lazy().credits;
    },
  };
  return { doc, shingles: { hashes: p.hashes, first: p.first, tokenStart: p.tokenStart, tokenEnd: p.tokenEnd, tokens: p.tokens }, set: p.set, sig: p.sig };
}

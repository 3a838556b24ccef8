import type { Article, ArticleMeta } from '../domain/article.js';
import { articleIdFromKey } from '../domain/ids.js';
import { identityKey } from '../domain/identity.js';
import type { Field } from '../domain/article.js';
import { contentHashOf, dateFromUrl, givenOutlet, offText, readyText, titleDateCredits, usableUrl } from './build.js';
import type { Draft } from './draft.js';
import { textCredits, textMayGiveDate, textPublished, textTitle } from './metadata.js';

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
  /** its identity key (domain/identity.ts) */
  readonly key: string;
  readonly source: string;
  readonly url: string | null;
  readonly externalId: string | null;
  /** normalised, as stored */
  readonly text: string;
  /** the outlet the input names itself (the only outlet its identity key reads) */
  readonly outlet: ArticleMeta['outlet'];
  /** the content hash, when the identity key needed it (an input known by its content) */
  readonly contentHash: string | null;
  readonly fetchedAt: string;
  /** the draft's own fields; what the text says is read by the lean article's metadata when asked */
  readonly given: Pick<Draft, 'title' | 'published' | 'credits' | 'url'>;
  /** wire credits in the page boilerplate lines removed from the text (a copyright line), as buildArticle reads them */
  readonly removedCredits: readonly Field<string>[];
}

export function reprintInput(pending: Draft): ReprintInput {
  const { draft, text, removed } = readyText(pending);
  const url = usableUrl(draft);
  const outlet = givenOutlet(draft);
  const { externalId, source } = draft;
  const meta = { outlet } as Parameters<typeof identityKey>[0]['meta'];
  // only an input known by its content needs its title (part of the content hash) now
  const keyed = url !== null || (externalId !== null && externalId !== '');
  const contentHash = keyed ? null : contentHashOf(titleOf(draft, text)?.value ?? null, text);
  // object literals of one shape, not spreads (a spread was a tenth of this function)
  const key = identityKey({ url, externalId, source, meta, contentHash: contentHash ?? '' });
  return {
    id: articleIdFromKey(key),
    key,
    url,
    externalId,
    source,
    text,
    outlet,
    contentHash,
    fetchedAt: draft.fetchedAt,
    given: { title: draft.title, published: draft.published, credits: draft.credits, url: draft.url },
    removedCredits: removed.length > 0 ? textCredits(removed.join('\n')).map(offText) : [],
  };
}

// titleDateCredits' three fields, each read from the text only when asked: comparing two
// related articles needs their dates, their credits only when the dates do not decide, and
// the report their titles
function titleOf(given: ReprintInput['given'], text: string): Field<string> | null {
  return titleDateCredits(given, { title: textTitle(text), published: null, credits: [] }).title;
}
function publishedOf(given: ReprintInput['given'], text: string): Field<string> | null {
  return given.published ?? textPublished(text) ?? dateFromUrl(given.url);
}
function creditsOf(input: ReprintInput): ArticleMeta['credits'] {
  return titleDateCredits(input.given, { title: null, published: null, credits: textCredits(input.text) }, input.removedCredits).credits;
}

/**
 * False when the article certainly has no date (meta.published is null), told without reading
 * a date from its text where it is lean; true otherwise.
 */
export function mayBeDated(a: Article): boolean {
  return a instanceof LeanArticle ? a.meta.mayBeDated : a.meta.published !== null;
}

/**
 * A lean input as an Article, for a pipeline whose stages read only an article's text, id and
 * dates (reprint detection), over a store that is not kept (`parallax dupes` on files): its
 * title, date, credits and content hash are read from the text on first use, its outlet is the
 * input's own, and it has no sentences, language or other text metadata. Never to be written
 * to a store that is kept: it is not what buildArticle makes.
 */
export function leanArticle(input: ReprintInput): Article {
  return new LeanArticle(input);
}

const NOT_READ: ArticleMeta['language'] = { value: 'und', evidence: { source: 'text', detail: 'not read (reprint detection only)' } };

/** A class, not an object literal with getters: one shape for every lean article (one per input of a large file). */
class LeanMeta implements ArticleMeta {
  readonly domain = null;
  readonly syndicator = null;
  readonly dateline = null;
  readonly byline = null;
  readonly language = NOT_READ;
  constructor(
    private readonly input: ReprintInput,
    readonly outlet: ArticleMeta['outlet'],
  ) {}
  private readTitle: { value: Field<string> | null } | null = null;
  private readPublished: { value: Field<string> | null } | null = null;
  private readCredits: ArticleMeta['credits'] | null = null;
  get title(): ArticleMeta['title'] {
    return (this.readTitle ??= { value: titleOf(this.input.given, this.input.text) }).value;
  }
  get published(): ArticleMeta['published'] {
    return (this.readPublished ??= { value: publishedOf(this.input.given, this.input.text) }).value;
  }
  /** False when `published` is certainly null, told without reading the text's date (chrono). */
  get mayBeDated(): boolean {
    if (this.readPublished) return this.readPublished.value !== null;
    const { given, text } = this.input;
    return (this.mayBe ??= given.published !== null || textMayGiveDate(text) || dateFromUrl(given.url) !== null);
  }
  private mayBe: boolean | null = null;
  get credits(): ArticleMeta['credits'] {
    return (this.readCredits ??= creditsOf(this.input));
  }
  /** As a plain ArticleMeta (a store copies metadata through JSON): the fields, not the input behind them. */
  toJSON(): ArticleMeta {
    const { title, published, credits } = this;
    return { title, published, outlet: this.outlet, domain: this.domain, syndicator: this.syndicator, credits, dateline: this.dateline, byline: this.byline, language: this.language };
  }
}

class LeanArticle implements Article {
  readonly id: Article['id'];
  readonly version = 1;
  readonly url: string | null;
  readonly externalId: string | null;
  readonly text: string;
  readonly sentences = [];
  readonly meta: LeanMeta;
  readonly fetchedAt: string;
  readonly source: string;
  private hash: string | null;
  constructor(input: ReprintInput) {
    this.id = input.id as Article['id'];
    this.url = input.url;
    this.externalId = input.externalId;
    this.text = input.text;
    this.meta = new LeanMeta(input, input.outlet);
    this.fetchedAt = input.fetchedAt;
    this.source = input.source;
    this.hash = input.contentHash;
  }
  get title(): string | null {
    return this.meta.title?.value ?? null;
  }
  get contentHash(): string {
    return (this.hash ??= contentHashOf(this.title, this.text));
  }
}

import type { Engine } from '../engine/engine.js';
import { createError, describeError } from '../errors.js';
import { decodeBytes } from '../ingest/decode.js';
import type { Draft } from '../ingest/draft.js';
import { type FetchOptions, type Fetched, fetchUrl } from '../ingest/fetch.js';
import { readHtml } from '../ingest/html.js';
import type { InputItem } from '../ingest/read.js';
import { draftFromEntry, draftFromPage, shouldFollow } from './items.js';
import { type FeedEntry, type ParsedFeed, documentKind, parseFeedDocument } from './parse.js';
import type { SourceRepository } from '../store/sources.js';
import { HostGate, nextDelaySeconds } from './schedule.js';
import type { PollRecord, SeenItem, SeenStatus, Source } from './types.js';

/**
 * The I/O around the pure parts: fetching feeds (conditionally) and the pages their items
 * link to, one request at a time per host, and handing new items to the same Engine as
 * `ingest`. One source's failure is recorded on that source and never stops the others.
 */

export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.1';
const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';

export interface PollReport {
  readonly source: number;
  readonly url: string;
  readonly ok: boolean;
  /** HTTP status of the feed's answer; null when none came. */
  readonly status: number | null;
  readonly notModified: boolean;
  /** Items in the feed, new ones among them, and how the new ones were stored. */
  readonly items: number;
  readonly new: number;
  readonly pages: number;
  readonly summaries: number;
  readonly pageFailures: number;
  readonly failedItems: number;
  readonly stored: number;
  readonly error: string | null;
  readonly ms: number;
  readonly consecutiveFailures: number;
  readonly nextDueAt: string;
}

export interface PollerOptions {
  readonly engine: Engine;
  readonly repo: SourceRepository;
  /** Size, time and redirect limits for feeds and pages (private addresses: per source). */
  readonly fetch?: Partial<Pick<FetchOptions, 'maxBytes' | 'timeoutMs' | 'maxRedirects' | 'userAgent'>>;
  /** Least time between two requests to one host (ms), default 1000. */
  readonly hostDelayMs?: number;
  /** Sources polled at once (on different hosts), default 8. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  /** Called once per source per poll. */
  readonly onPoll?: (report: PollReport) => void;
}

function feedHeaders(source: Pick<Source, 'etag' | 'lastModified'>): Record<string, string> {
  const h: Record<string, string> = { accept: FEED_ACCEPT };
  if (source.etag) h['if-none-match'] = source.etag;
  if (source.lastModified) h['if-modified-since'] = source.lastModified;
  return h;
}

export function parseFetchedFeed(fetched: Fetched, url: string): ParsedFeed {
  const { text } = decodeBytes(fetched.bytes, url, fetched.contentType);
  return parseFeedDocument(text, url, fetched.contentType);
}

/** Sources reordered so that neighbours are on different hosts: parallel polls spread over hosts. */
export function interleaveByHost(sources: readonly Source[]): Source[] {
  const byHost = new Map<string, Source[]>();
  for (const s of sources) {
    const k = HostGate.keyOf(s.url);
    const list = byHost.get(k);
    if (list) list.push(s);
    else byHost.set(k, [s]);
  }
  const queues = [...byHost.values()];
  const out: Source[] = [];
  for (let i = 0; out.length < sources.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]!);
  return out;
}

export class Poller {
  private readonly engine: Engine;
  private readonly repo: SourceRepository;
  private readonly gate: HostGate;
  private readonly fetchOptions: PollerOptions['fetch'];
  private readonly concurrency: number;
  private readonly now: () => Date;
  private readonly onPoll: (report: PollReport) => void;
  private wakeUp: (() => void) | null = null;

  constructor(options: PollerOptions) {
    this.engine = options.engine;
    this.repo = options.repo;
    this.gate = new HostGate(options.hostDelayMs ?? 1000);
    this.fetchOptions = options.fetch ?? {};
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.now = options.now ?? (() => new Date());
    this.onPoll = options.onPoll ?? (() => undefined);
  }

  /** Every request waits its turn at its host, redirect hops included (each hop's host). */
  private async fetch(url: string, extra: Partial<FetchOptions>): Promise<Fetched> {
    return fetchUrl(url, { ...this.fetchOptions, ...extra, acquire: (u) => this.gate.acquire(u) });
  }

  /**
   * Polls these sources (all of them, due or not), at most `concurrency` at once. When
   * `signal` aborts, sources not yet started are left for later; those under way finish.
   */
  async pollAll(sources: readonly Source[], signal?: AbortSignal): Promise<PollReport[]> {
    const queue = interleaveByHost(sources);
    const reports: PollReport[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length && !signal?.aborted) {
        const source = queue[next++]!;
        const report = await this.poll(source);
        reports.push(report);
        this.onPoll(report);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return reports;
  }

  /** Polls every due source until `signal` aborts; the polls under way then finish. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const due = await this.repo.due(this.now().toISOString());
      if (due.length > 0) {
        await this.pollAll(due, signal);
        continue;
      }
      const next = await this.repo.nextDue();
      // sources added by another process are found within half a minute; by this one, at once (wake)
      const wait = Math.min(30_000, next === null ? 30_000 : Math.max(50, Date.parse(next) - this.now().getTime()));
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.wakeUp = null;
          resolve();
        };
        const timer = setTimeout(done, wait);
        signal.addEventListener('abort', done, { once: true });
        this.wakeUp = done;
      });
    }
  }

  /** Ends the run loop's wait (a source was added in this process). */
  wake(): void {
    this.wakeUp?.();
  }

  /** One poll of one source; never throws for the source's own faults. */
  async poll(source: Source): Promise<PollReport> {
    const t0 = performance.now();
    const now = this.now();
    const fetchedAt = now.toISOString();
    const counts = { items: 0, new: 0, pages: 0, summaries: 0, pageFailures: 0, failedItems: 0, stored: 0 };
    const finish = async (
      status: number | null,
      error: string | null,
      headers: Readonly<Record<string, string>>,
      extra: Omit<PollRecord, 'fetchedAt' | 'status' | 'error' | 'nextDueAt'> = {},
    ): Promise<PollReport> => {
      const ok = error === null;
      const failures = ok ? 0 : source.consecutiveFailures + 1;
      const delay = nextDelaySeconds({ ok, status, headers }, source.intervalSeconds, failures, now);
      const nextDueAt = new Date(now.getTime() + delay * 1000).toISOString();
      await this.repo.recordPoll(source.id, { fetchedAt, status, error, nextDueAt, ...extra });
      return { source: source.id, url: source.url, ok, status, notModified: status === 304, ...counts, error, ms: Math.round(performance.now() - t0), consecutiveFailures: failures, nextDueAt };
    };

    let fetched: Fetched;
    try {
      fetched = await this.fetch(source.url, { allowPrivate: source.allowPrivate, headers: feedHeaders(source), returnErrors: true });
    } catch (e) {
      return finish(null, describeError(e), {});
    }
    if (fetched.status === 304) return finish(304, null, fetched.headers);
    if (fetched.status < 200 || fetched.status >= 300) return finish(fetched.status, `HTTP ${fetched.status}`, fetched.headers);

    let feed: ParsedFeed;
    try {
      feed = parseFetchedFeed(fetched, source.url);
    } catch (e) {
      return finish(fetched.status, describeError(e), fetched.headers);
    }
    counts.items = feed.entries.length;
    try {
      await this.storeEntries(source, feed, fetchedAt, counts);
    } catch (e) {
      // the store failed: nothing is marked seen, so the items are tried again next time
      return finish(fetched.status, `storing items failed: ${describeError(e)}`, fetched.headers);
    }
    return finish(fetched.status, null, fetched.headers, {
      etag: fetched.headers['etag'] ?? null,
      lastModified: fetched.headers['last-modified'] ?? null,
      title: feed.title,
      format: feed.format,
    });
  }

  private async storeEntries(
    source: Source,
    feed: ParsedFeed,
    fetchedAt: string,
    counts: { new: number; pages: number; summaries: number; pageFailures: number; failedItems: number; stored: number },
  ): Promise<void> {
    const unique = new Map<string, FeedEntry>();
    for (const e of feed.entries) if (!unique.has(e.key)) unique.set(e.key, e);
    const seen = await this.repo.seenKeys(source.id, [...unique.keys()]);
    const fresh = [...unique.values()].filter((e) => !seen.has(e.key));
    counts.new = fresh.length;
    if (fresh.length === 0) return;

    const marks: SeenItem[] = [];
    const pending: Array<{ entry: FeedEntry; draft: Draft; status: SeenStatus; error: string | null }> = [];
    const usedSources = new Set<string>();
    for (const entry of fresh) {
      // the article's source names the page it came from, unique within this batch
      let name = entry.link ?? `${source.url}#${entry.key}`;
      if (usedSources.has(name)) name = `${source.url}#${entry.key}`;
      usedSources.add(name);
      let draft: Draft | null = null;
      let status: SeenStatus = entry.summaryOnly ? 'summary' : 'feed';
      let error: string | null = null;
      if (shouldFollow(entry, source.follow)) {
        try {
          draft = draftFromPage(await this.readPage(entry.link!, source.allowPrivate), entry, feed, name);
          status = 'page';
        } catch (e) {
          error = `page: ${describeError(e)}`;
          counts.pageFailures++;
        }
      }
      if (!draft) {
        if (entry.text.trim() === '') {
          counts.failedItems++;
          marks.push({ key: entry.key, articleId: null, status: 'failed', error: error ?? 'the item has no text and no link to follow', seenAt: fetchedAt });
          continue;
        }
        draft = draftFromEntry(entry, feed, name, fetchedAt);
        if (status === 'page') status = 'summary';
      }
      pending.push({ entry, draft, status, error });
    }

    const report = await this.engine.ingestItems(pending.map((p): InputItem => ({ ok: true, draft: p.draft })));
    const idOf = new Map(report.outcomes.map((o) => [o.source, o.id]));
    const failureOf = new Map(report.failed.map((f) => [f.source, f.message]));
    for (const p of pending) {
      const id = idOf.get(p.draft.source) ?? null;
      if (id === null) {
        counts.failedItems++;
        marks.push({ key: p.entry.key, articleId: null, status: 'failed', error: [p.error, failureOf.get(p.draft.source) ?? 'not stored'].filter(Boolean).join('; '), seenAt: fetchedAt });
        continue;
      }
      counts.stored++;
      if (p.status === 'page') counts.pages++;
      else if (p.status === 'summary') counts.summaries++;
      marks.push({ key: p.entry.key, articleId: id, status: p.status, error: p.error, seenAt: fetchedAt });
    }
    await this.repo.markSeen(source.id, marks);
  }

  private async readPage(url: string, allowPrivate: boolean): Promise<Draft> {
    const fetched = await this.fetch(url, { allowPrivate, headers: { accept: PAGE_ACCEPT } });
    const { text } = decodeBytes(fetched.bytes, url, fetched.contentType);
    if (documentKind(text, fetched.contentType) !== 'html') {
      throw createError('UNSUPPORTED_TYPE', `sources: ${url} is not an HTML page (${fetched.contentType ?? 'no content type'})`, { subject: url });
    }
    return readHtml(text, { source: url, url: fetched.url, fetchedAt: fetched.fetchedAt });
  }
}

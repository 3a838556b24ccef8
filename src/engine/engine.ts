import type { Article } from '../domain/article.js';
import { articleIds } from '../domain/input-id.js';
import { createError, describeError, isParallaxError, type ErrorCode } from '../errors.js';
import { type InputItem, type ReadOptions, readInputs } from '../ingest/read.js';
import type { IdentityMatch, PutOutcome, Store } from '../store/store.js';
import { Emitter, type EngineEvents } from './events.js';
import { chooseWorkers, prepareItems, prepareLeanInputs, type PreparedItem, type WorkerCount } from './prepare.js';
import { analyseArticle, type Analysis, type Wants } from '../stages/prepare.js';
import type { OutletEntry } from '../ingest/outlets.js';
import { resolveIdentity } from './identity.js';
import type { ChangedArticle, PendingBatch, Stage } from '../stages/stage.js';

export interface IngestFailure {
  readonly source: string;
  readonly code: ErrorCode | 'INTERNAL';
  readonly message: string;
  /** INTERNAL only: where the bug is, for a report (the CLI prints it under PARALLAX_DEBUG; the API leaves it out) */
  readonly stack?: string;
}

export interface IngestReport {
  readonly new: number;
  readonly unchanged: number;
  readonly updated: number;
  readonly failed: readonly IngestFailure[];
  readonly outcomes: readonly IngestOutcome[];
}

/** What became of one article, named by both ids (`articleId` = `id`; `inputId`: the id the input gave it). */
export interface IngestOutcome extends PutOutcome {
  readonly articleId: string;
  readonly inputId: string;
}

export type ProgressEvent = { readonly kind: 'stored'; readonly outcome: PutOutcome; readonly bytes: number } | { readonly kind: 'failed'; readonly failure: IngestFailure; readonly bytes: number };

export interface IngestOptions {
  readonly read?: Partial<ReadOptions>;
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Worker threads that build articles (and the features a stage asks for) ahead of the
   * batches (engine/prepare.ts); 0, the default, builds them in this thread. The stored
   * result is the same for any number.
   */
  readonly workers?: WorkerCount;
}

export interface EngineOptions {
  readonly store: Store;
  /**
   * The stages to run, in order: a command runs only those it needs (`parallax dupes` runs
   * reprint detection alone; a library engine may run none). Several writers on one store
   * must run the same stages (pipeline.ts: every stage).
   */
  readonly stages?: readonly Stage[];
  /**
   * Build lean articles (ingest/lean.ts): for stages that all read no more than an article's
   * text, id and dates, over a store that is not kept (the store in memory of a command over
   * files). USAGE if a stage reads whole articles.
   */
  readonly lean?: boolean;
  /** Articles per transaction: larger is faster, smaller loses less on a crash. */
  readonly batchSize?: number;
  /** the user's outlet names (display name and domains), on top of the built-in table */
  readonly outlets?: readonly OutletEntry[];
}

function toFailure(source: string, e: unknown): IngestFailure {
  if (isParallaxError(e)) return { source, code: e.code, message: e.message };
  const stack = e instanceof Error ? e.stack : undefined;
  return stack ? { source, code: 'INTERNAL', message: describeError(e), stack } : { source, code: 'INTERNAL', message: describeError(e) };
}

/**
 * The one pipeline: read -> build (normalise, metadata, sentences) -> stages -> store,
 * one transaction per batch. The CLI, the server and the stateless commands all run it.
 */
export class Engine {
  readonly store: Store;
  readonly events = new Emitter<EngineEvents>();
  private readonly stages: readonly Stage[];
  private readonly batchSize: number;
  private readonly outlets: readonly OutletEntry[];
  private readonly lean: boolean;
  private opened = false;
  /** Commits run one at a time (see locked). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.stages = options.stages ?? [];
    this.batchSize = options.batchSize ?? 500;
    this.outlets = options.outlets ?? [];
    this.lean = options.lean === true;
    const whole = this.stages.find((s) => s.wants?.article !== 'lean');
    if (this.lean && (whole || this.stages.length === 0)) {
      throw createError('USAGE', `engine: lean articles are for stages that read only text and dates; ${whole ? `the ${whole.name} stage reads whole articles` : 'no stage is selected'}`, {
        subject: 'lean',
      });
    }
  }

  /**
   * What to build and analyse for each input. The analyses are made ahead only where that
   * pays: in worker threads (off this thread, though every input gets them, new or not, which
   * is known only at commit), and for lean articles (all of them are new: a store not kept);
   * otherwise they are made at commit, for the new articles only (commitNow).
   */
  private wants(workers: number): Wants {
    const ahead = workers > 0 || this.lean;
    const all = this.stageWants();
    return { lean: this.lean, features: ahead && all.features, print: ahead ? all.print : null };
  }

  /** The analyses the stages read (Stage.wants). */
  private stageWants(): Pick<Wants, 'features' | 'print'> {
    return { features: this.stages.some((s) => s.wants?.features === true), print: this.stages.find((s) => s.wants?.print)?.wants?.print ?? null };
  }

  /**
   * Everything that reads or changes the stages' state runs here, one call at a time (the
   * stages hold one in-memory state, updated in commit order) and as the store's only
   * writer (Store.exclusive). Before `fn`, the stages are opened, or, if another writer
   * (a second `parallax ingest`, a server) committed since this engine last wrote, brought
   * up to date with it: every article is then clustered and fingerprinted by a state that
   * holds every article stored before it, whichever process stored them.
   */
  private locked<T>(fn: () => Promise<T>): Promise<T> {
    let touched = false;
    const run = this.queue
      .then(() =>
        this.store.exclusive(async (othersWrote) => {
          touched = true;
          if (!this.opened) {
            for (const s of this.stages) await s.open(this.store);
            this.opened = true;
          } else {
            for (const s of this.stages) {
              if (s.catchUp) await s.catchUp(this.store, othersWrote);
              else if (othersWrote) await s.open(this.store);
            }
          }
          return fn();
        }),
      )
      .catch((e: unknown) => {
        // whatever failed (a stage, the write, or the COMMIT itself: a full disk shows there),
        // the store rolled back: the stages' in-memory changes are dropped by opening them again
        // before the next commit
        if (touched) this.opened = false;
        throw e;
      });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads and stores every input. Failures are collected; they never stop the rest. */
  async ingest(inputs: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    const workers = options.workers ?? 0;
    if (this.lean && typeof workers === 'number' && workers > 0) {
      // the reading itself in the workers too: JSON Lines files cross as raw chunks of lines,
      // which the workers decode, parse, build lean and sketch (engine/prepare.ts)
      if (!this.opened) await this.locked(() => Promise.resolve());
      return this.consume(prepareLeanInputs(inputs, { workers, wants: this.wants(workers), read: { deferHtml: true, ...options.read } }), options);
    }
    // pages are extracted where articles are built: in the workers, when there are any
    return this.ingestItems(readInputs(inputs, { deferHtml: true, ...options.read }), options);
  }

  /** Stores already-read items (drafts or failures), e.g. from an HTTP upload. */
  async ingestItems(items: AsyncIterable<InputItem> | Iterable<InputItem>, options: IngestOptions = {}): Promise<IngestReport> {
    // the stages open before any input is read: a store they cannot use fails at once
    if (!this.opened) await this.locked(() => Promise.resolve());
    const chosen = await chooseWorkers(items, options.workers ?? 0);
    const workers = chosen.workers;
    return this.consume(prepareItems(chosen.items, { workers, wants: this.wants(workers), ahead: this.batchSize, outlets: this.outlets }), options);
  }

  /** Stores prepared items in batches, in order. */
  private async consume(prepared: AsyncIterable<PreparedItem>, options: IngestOptions): Promise<IngestReport> {
    const counts = { new: 0, unchanged: 0, updated: 0 };
    const failed: IngestFailure[] = [];
    const outcomes: IngestOutcome[] = [];
    let pending: Array<{ article: Article; key: string; analysis: Analysis; bytes: number }> = [];
    const ids = new Set<string>();

    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      ids.clear();
      const written = await this.commit(batch);
      for (let i = 0; i < written.length; i++) {
        const o = written[i]!;
        counts[o.status]++;
        outcomes.push({ ...o, ...articleIds(batch[i]!.article) });
        if (o.status === 'new') this.events.emit('article.added', { id: o.id, source: o.source });
        else if (o.status === 'updated') this.events.emit('article.updated', { id: o.id, source: o.source, version: o.version });
        options.onProgress?.({ kind: 'stored', outcome: o, bytes: batch[i]!.bytes });
      }
    };

    for await (const item of prepared) {
      const bytes = item.bytes ?? 0;
      if (!item.ok) {
        const f = toFailure(item.source, item.error);
        failed.push(f);
        options.onProgress?.({ kind: 'failed', failure: f, bytes });
        continue;
      }
      const { article, key, analysis } = item.prepared;
      // the same input twice in one batch: commit the first before deciding about the second
      if (ids.has(key)) await flush();
      ids.add(key);
      pending.push({ article, key, analysis, bytes });
      if (pending.length >= this.batchSize) await flush();
    }
    await flush();
    return { ...counts, failed, outcomes };
  }

  /** Classifies, runs the stages on new and changed articles, and writes all in one transaction. */
  private async commit(prepared: readonly { article: Article; key: string; analysis: Analysis }[]): Promise<PutOutcome[]> {
    const { outcomes, events } = await this.locked(() => this.commitNow(prepared));
    // announced once committed (a listener that throws cannot roll the batch back)
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(`${e.type}:${e.id}`)) continue;
      seen.add(`${e.type}:${e.id}`);
      this.events.emit(e.type, { id: e.id });
    }
    return outcomes;
  }

  private async commitNow(prepared: readonly { article: Article; key: string; analysis: Analysis }[]): Promise<{ outcomes: PutOutcome[]; events: PendingBatch['events'] }> {
    const keys = prepared.map((p) => p.key);
    const byKey = new Map<string, IdentityMatch[]>();
    for (const m of await this.store.identityMatches(keys)) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
    const outcomes: (PutOutcome | null)[] = [];
    const written: Article[] = [];
    const changed: ChangedArticle[] = [];
    const wants = this.stageWants();
    for (let i = 0; i < prepared.length; i++) {
      const { article: read, analysis } = prepared[i]!;
      const r = resolveIdentity(read, keys[i]!, byKey.get(keys[i]!) ?? []);
      if (r.status === 'unchanged') {
        outcomes.push({ id: r.id, status: 'unchanged', version: r.version, source: read.source });
        continue;
      }
      const article = r.id === read.id ? read : this.lean ? renamed(read, r.id) : { ...read, id: r.id };
      outcomes.push(null);
      written.push(article);
      // what was not made ahead is made here, for the new articles only, from one analysis of
      // the text that every stage then reads (stages/prepare.ts, analyseArticle)
      changed.push({ article, status: r.status, analysis: analyseArticle(article, wants, analysis, true) });
    }
    const batch = emptyBatch(written);
    for (const s of this.stages) await s.apply(changed, batch);
    const stored = await this.write(batch);
    let w = 0;
    return { outcomes: outcomes.map((o) => o ?? stored[w++]!), events: batch.events };
  }

  /**
   * Runs `fn` on the stage named `name` as the store's only writer, with the stages up to date
   * (as a commit does), and writes what it adds to a batch in one transaction, then announces
   * the batch's events. For changes that come from a person, not from articles (a correction
   * to the stories). USAGE if no stage has that name.
   */
  async withStage<T>(name: string, fn: (stage: Stage, batch: PendingBatch) => Promise<T>): Promise<T> {
    const stage = this.stages.find((s) => s.name === name);
    if (!stage) throw createError('USAGE', `this engine has no ${name} stage`, { subject: name });
    const { result, events } = await this.locked(async () => {
      const batch = emptyBatch([]);
      const result = await fn(stage, batch);
      await this.write(batch);
      return { result, events: batch.events };
    });
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(`${e.type}:${e.id}`)) continue;
      seen.add(`${e.type}:${e.id}`);
      this.events.emit(e.type, { id: e.id });
    }
    return result;
  }

  /**
   * Writes a batch in one transaction: the articles first (the stories' statistics are
   * computed from them), then each repository's part.
   */
  private write(batch: PendingBatch): Promise<PutOutcome[]> {
    const store = this.store;
    return store.transaction(async (tx) => {
      const outcomes = await store.put(tx, batch.articles);
      await store.stories.write(tx, batch);
      await store.reuse.write(tx, batch);
      await store.states.write(tx, batch.states);
      return outcomes;
    });
  }

  /**
   * Writes what the stages deferred (see Stage.checkpoint), then closes the store. If that
   * write fails the store is closed all the same and the error is thrown: nothing stored is
   * lost (the stages rebuild what was deferred when they next open), but it is reported.
   */
  async close(): Promise<void> {
    try {
      // after the commits in flight
      await this.queue;
      if (this.opened && this.stages.some((s) => s.checkpoint !== undefined)) {
        await this.locked(async () => {
          const batch = emptyBatch([]);
          for (const s of this.stages) s.checkpoint?.(batch);
          if (batch.states.length > 0) await this.write(batch);
        });
      }
    } finally {
      await this.store.close();
    }
  }
}

/** An article under another id; a lean article's lazy fields stay lazy (a spread would read them). */
function renamed(article: Article, id: Article['id']): Article {
  return Object.create(article, { id: { value: id, enumerable: true } }) as Article;
}

function emptyBatch(articles: readonly Article[]): PendingBatch {
  return { articles: [...articles], states: [], stories: [], memberships: [], storyMerges: [], signatures: [], reuseLinks: [], relinked: [], events: [] };
}

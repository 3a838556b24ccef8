import type { JsMsg } from 'nats';
import { openEngine } from '../engine/pipeline.js';
import type { IngestFailure } from '../engine/engine.js';
import { ERROR_CODES, createError, describeError, isParallaxError, type ErrorCode } from '../errors.js';
import { type InputItem, readInputs } from '../ingest/read.js';
import { isConnectionError } from '../store/postgres/postgres-store.js';
import type { Store } from '../store/store.js';
import type { OutletEntry } from '../ingest/outlets.js';
import { MAX_DELIVER, type Queue, type QueueItem } from './queue.js';

export interface WorkerOptions {
  readonly queue: Queue;
  readonly store: Store;
  /** stops taking items; the batch in hand is finished first */
  readonly signal: AbortSignal;
  /** items taken at once (prepared together, stored in one turn) */
  readonly batch?: number;
  /** worker threads for preparation in this process (see Engine.ingestItems) */
  readonly threads?: number;
  readonly log?: (line: string) => void;
  /** the user's outlet names (PARALLAX_OUTLETS), as `ingest` and `serve` take them */
  readonly outlets?: readonly OutletEntry[];
}

export interface WorkerTotals {
  done: number;
  failed: number;
  retried: number;
}

/** Failures worth another attempt (on another worker, later): the network, not the input. */
const TRANSIENT: ReadonlySet<string> = new Set<ErrorCode | 'INTERNAL'>(['FETCH_FAILED', 'DB_LOCKED', 'DB_FAILED']);

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((r) => {
    const t = setTimeout(r, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

function decode(m: JsMsg): QueueItem | { kind: 'bad'; message: string } {
  try {
    const v = JSON.parse(new TextDecoder().decode(m.data)) as QueueItem;
    if (v && v.v === 1 && (v.kind === 'draft' || v.kind === 'url' || v.kind === 'failed')) return v;
    return { kind: 'bad', message: 'not a Parallax queue item' };
  } catch (e) {
    return { kind: 'bad', message: `unreadable queue item (${(e as Error).message})` };
  }
}

/**
 * Takes items from the queue until `signal` aborts. Per batch: URLs are fetched and every
 * article prepared here, in parallel with the other workers; the engine then stores the
 * batch in the store's write turn (Store.exclusive: an advisory lock on PostgreSQL), after
 * catching its stages up with what other workers stored, so reprints and stories come out
 * as one process would make them over the stored order. An item is acknowledged only
 * after its articles are committed (a worker killed before that loses nothing: the item is
 * redelivered, and storing it again changes nothing); a bad item is recorded as failed and
 * acknowledged; a transient failure is retried up to MAX_DELIVER times, then failed.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerTotals> {
  const { queue: q, store, signal } = options;
  const log = options.log ?? (() => undefined);
  const engine = openEngine(store, options.outlets ? { outlets: options.outlets } : {});
  const consumer = await q.js.consumers.get(q.names.items, q.names.consumer);
  const totals: WorkerTotals = { done: 0, failed: 0, retried: 0 };
  const enc = new TextEncoder();
  let backoff = 500;

  const record = async (m: JsMsg, ok: boolean, failure?: { source: string; code: string; message: string }): Promise<void> => {
    const seq = m.info.streamSequence;
    if (ok) await q.js.publish(q.names.doneSubject, enc.encode(JSON.stringify({ seq })), { msgID: `done-${seq}` });
    else await q.js.publish(q.names.failedSubject, enc.encode(JSON.stringify({ seq, ...failure })), { msgID: `failed-${seq}` });
    m.ack();
    if (ok) totals.done++;
    else totals.failed++;
  };

  try {
    while (!signal.aborted) {
      const msgs: JsMsg[] = [];
      try {
        const it = await consumer.fetch({ max_messages: options.batch ?? 50, expires: 1000 });
        for await (const m of it) msgs.push(m);
      } catch (e) {
        // NATS away: the client reconnects by itself; wait and ask again
        log(`queue: ${describeError(e)}; waiting`);
        await sleep(1000, signal);
        continue;
      }
      if (msgs.length === 0) continue;
      // keep the items ours while a long batch is prepared and stored
      const keepAlive = setInterval(() => msgs.forEach((m) => m.working()), 10_000);
      try {
        await processBatch(msgs);
        backoff = 500;
      } catch (e) {
        // the store failed (PostgreSQL away or restarting): nothing of the batch is committed
        // (or it is, and storing it again changes nothing); the items go back for a retry
        const last = msgs.filter((m) => m.info.deliveryCount >= MAX_DELIVER);
        const away = isConnectionError(e) || (isParallaxError(e) && TRANSIENT.has(e.code));
        log(`batch of ${msgs.length} interrupted (${describeError(e)}); its items go back to the queue; waiting ${backoff} ms${away ? ' for the service to come back' : ''}`);
        for (const m of msgs) {
          if (last.includes(m)) {
            const code = isParallaxError(e) ? e.code : 'INTERNAL';
            await record(m, false, { source: `queue item ${m.info.streamSequence}`, code, message: describeError(e) }).catch(() => undefined);
          } else m.nak(backoff);
        }
        totals.retried += msgs.length - last.length;
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 10_000);
      } finally {
        clearInterval(keepAlive);
      }
    }
  } finally {
    await engine.close();
  }
  return totals;

  async function processBatch(msgs: JsMsg[]): Promise<void> {
    const items: InputItem[] = [];
    /** the message each item came from (by item source), and what happened to each message */
    const owner = new Map<string, number>();
    const failures = new Map<number, IngestFailure>();
    const prepared = await Promise.all(
      msgs.map(async (m): Promise<InputItem[]> => {
        const item = decode(m);
        if (item.kind === 'bad') return [{ ok: false, source: `queue item ${m.info.streamSequence}`, error: createError('INVALID_JSONL', `queue: ${item.message}`) }];
        if (item.kind === 'failed')
          return [{ ok: false, source: item.source, error: createError((item.code in ERROR_CODES ? item.code : 'NOT_FOUND_PATH') as ErrorCode, item.message, { subject: item.source }) }];
        if (item.kind === 'draft') return [{ ok: true, draft: item.draft }];
        const out: InputItem[] = [];
        const fetch = { allowPrivate: item.allowPrivate ?? false, ...(item.timeoutMs ? { timeoutMs: item.timeoutMs } : {}), ...(item.maxBytes ? { maxBytes: item.maxBytes } : {}) };
        for await (const it of readInputs([item.url], { deferHtml: true, fetch })) out.push(it);
        return out;
      }),
    );
    prepared.forEach((list, i) => {
      for (const it of list) {
        owner.set(it.ok ? it.draft.source : it.source, i);
        items.push(it);
      }
    });
    const report = await engine.ingestItems(items, options.threads !== undefined ? { workers: options.threads } : {});
    for (const f of report.failed) {
      const i = owner.get(f.source) ?? [...owner.entries()].find(([s]) => f.source.startsWith(s))?.[1];
      if (i !== undefined && !failures.has(i)) failures.set(i, f);
    }
    for (const [i, m] of msgs.entries()) {
      const f = failures.get(i);
      if (!f) await record(m, true);
      else if (TRANSIENT.has(f.code) && m.info.deliveryCount < MAX_DELIVER) {
        // another attempt later, perhaps on another worker; the others of the batch are stored
        m.nak(2000 * m.info.deliveryCount);
        totals.retried++;
      } else {
        log(`failed ${f.source}: ${f.message}`);
        await record(m, false, { source: f.source, code: f.code, message: f.message });
      }
    }
  }
}

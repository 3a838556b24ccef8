import { resolve } from 'node:path';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { sha256Hex } from '../domain/ids.js';
import { createError } from '../errors.js';
import type { Draft } from '../ingest/draft.js';
import { isPostgresUrl } from '../store/open.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';

/**
 * The work queue on NATS JetStream. Three streams per store:
 * - ITEMS (work-queue retention): one message per input item, taken by the workers through
 *   one durable pull consumer, acknowledged once stored (or counted failed);
 * - DONE and FAILED: one message per finished item, de-duplicated by the item's stream
 *   sequence, so that an item redelivered after a worker died between recording and
 *   acknowledging is counted once. `queue status` reads their counts.
 * The names derive from the store's identity (server and database, or the SQLite file), so
 * two stores never share a queue, and every worker of one store finds the same one.
 */

/** An input item on the queue: a draft read by `ingest --queue`, a URL a worker fetches, or an input that failed to read. */
export type QueueItem =
  | { readonly v: 1; readonly kind: 'draft'; readonly draft: Draft }
  | { readonly v: 1; readonly kind: 'url'; readonly url: string; readonly allowPrivate?: boolean; readonly timeoutMs?: number; readonly maxBytes?: number }
  | { readonly v: 1; readonly kind: 'failed'; readonly source: string; readonly code: string; readonly message: string };

export interface QueueNames {
  readonly id: string;
  readonly items: string;
  readonly done: string;
  readonly failed: string;
  readonly consumer: string;
  readonly itemSubject: string;
  readonly doneSubject: string;
  readonly failedSubject: string;
}

/** Attempts at an item before it is counted failed (a URL that does not answer, a store error). */
export const MAX_DELIVER = 4;
/** An item unacknowledged this long (a worker killed) goes to another worker. */
export const ACK_WAIT_MS = 30_000;

/**
 * The store's identity: a PostgreSQL store's own id (made with the store, the same through
 * any host name or proxy that reaches it; the store is created if missing, so that the
 * enqueuer and the workers agree from the first item), or the SQLite file's absolute path.
 */
export async function storeIdentity(db: string): Promise<string> {
  if (isPostgresUrl(db)) {
    const store = PostgresStore.open({ url: db });
    try {
      return `postgres:${await store.storeId()}`;
    } finally {
      await store.close();
    }
  }
  return `sqlite:${resolve(db.replace(/^sqlite:(\/\/)?/i, ''))}`;
}

export async function queueNames(db: string): Promise<QueueNames> {
  const id = sha256Hex(await storeIdentity(db))
    .slice(0, 16)
    .toUpperCase();
  return {
    id,
    items: `PARALLAX_${id}_ITEMS`,
    done: `PARALLAX_${id}_DONE`,
    failed: `PARALLAX_${id}_FAILED`,
    consumer: 'workers',
    itemSubject: `parallax.${id}.items`,
    doneSubject: `parallax.${id}.done`,
    failedSubject: `parallax.${id}.failed`,
  };
}

export function isQueueUrl(url: string): boolean {
  return /^(nats|tls|wss?):\/\//i.test(url);
}

/** Connects to NATS; `wait`: a worker waits for a server that is not up yet, and reconnects for ever. */
export async function connectQueue(url: string, options: { wait?: boolean } = {}): Promise<NatsConnection> {
  if (!isQueueUrl(url)) throw createError('USAGE', `--queue: expected a nats:// URL, found "${url}"`, { subject: '--queue' });
  const { connect } = await import('nats');
  const u = new URL(url);
  try {
    return await connect({
      servers: `${u.hostname}:${u.port || '4222'}`,
      ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
      name: 'parallax',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      waitOnFirstConnect: options.wait ?? false,
    });
  } catch (e) {
    throw createError('DB_FAILED', `queue: cannot reach NATS at ${u.hostname}:${u.port || '4222'} (${(e as Error).message}); is it running with JetStream?`, { subject: url, cause: e });
  }
}

export interface Queue {
  readonly names: QueueNames;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/** The store's streams and consumer, created if missing (idempotent: every worker and enqueuer calls it). */
export async function openQueue(nc: NatsConnection, db: string): Promise<Queue> {
  const { AckPolicy, RetentionPolicy, nanos } = await import('nats');
  const names = await queueNames(db);
  const jsm = await nc.jetstreamManager();
  const ensure = async (name: string, subject: string, work: boolean): Promise<void> => {
    try {
      await jsm.streams.info(name);
    } catch {
      try {
        await jsm.streams.add({
          name,
          subjects: [subject],
          retention: work ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
          // de-duplication of DONE/FAILED records by item: longer than an item can be in flight
          duplicate_window: nanos(work ? 120_000 : 15 * 60_000),
        });
      } catch (e) {
        // another worker created it meanwhile
        await jsm.streams.info(name).catch(() => {
          throw e;
        });
      }
    }
  };
  await ensure(names.items, names.itemSubject, true);
  await ensure(names.done, names.doneSubject, false);
  await ensure(names.failed, names.failedSubject, false);
  try {
    await jsm.consumers.info(names.items, names.consumer);
  } catch {
    await jsm.consumers.add(names.items, {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: MAX_DELIVER,
      max_ack_pending: 10_000,
    });
  }
  return { names, nc, js: nc.jetstream(), jsm };
}

/** Removes the store's streams (tests; a store dropped for good). */
export async function deleteQueue(nc: NatsConnection, db: string): Promise<void> {
  const names = await queueNames(db);
  const jsm = await nc.jetstreamManager();
  for (const s of [names.items, names.done, names.failed]) await jsm.streams.delete(s).catch(() => false);
}

export interface QueueStatus {
  readonly stream: string;
  /** items not yet taken by a worker */
  readonly pending: number;
  /** taken, not yet acknowledged (being prepared or stored, or held by a worker that died: redelivered after the ack wait) */
  readonly inFlight: number;
  readonly done: number;
  readonly failed: number;
  /** the last failures, newest last */
  readonly lastErrors: readonly { source: string; code: string; message: string; at: string }[];
}

export async function queueStatus(q: Queue, lastErrors = 10): Promise<QueueStatus> {
  const consumer = await q.jsm.consumers.info(q.names.items, q.names.consumer);
  const done = await q.jsm.streams.info(q.names.done);
  const failed = await q.jsm.streams.info(q.names.failed);
  const errors: QueueStatus['lastErrors'][number][] = [];
  const dec = new TextDecoder();
  for (let seq = failed.state.last_seq; seq >= failed.state.first_seq && seq > 0 && errors.length < lastErrors; seq--) {
    const m = await q.jsm.streams.getMessage(q.names.failed, { seq }).catch(() => null);
    if (!m) continue;
    const r = JSON.parse(dec.decode(m.data)) as { source: string; code: string; message: string };
    errors.unshift({ source: r.source, code: r.code, message: r.message, at: m.time.toISOString() });
  }
  return { stream: q.names.items, pending: consumer.num_pending, inFlight: consumer.num_ack_pending, done: done.state.messages, failed: failed.state.messages, lastErrors: errors };
}

/** Publishes items; returns how many the server stored. */
export async function enqueue(q: Queue, items: AsyncIterable<QueueItem> | Iterable<QueueItem>): Promise<number> {
  const enc = new TextEncoder();
  const max = q.nc.info?.max_payload ?? 1024 * 1024;
  let n = 0;
  let inflight: Promise<unknown>[] = [];
  for await (const item of items) {
    let data = enc.encode(JSON.stringify(item));
    if (data.length > max - 1024) {
      // too large for one message: recorded as a failed item, so status shows it
      const source = item.kind === 'draft' ? item.draft.source : item.kind === 'url' ? item.url : item.source;
      data = enc.encode(
        JSON.stringify({
          v: 1,
          kind: 'failed',
          source,
          code: 'TOO_LARGE',
          message: `queue: ${source} is ${data.length} bytes, over the queue's ${max}-byte message limit; ingest it without --queue`,
        } satisfies QueueItem),
      );
    }
    inflight.push(q.js.publish(q.names.itemSubject, data));
    n++;
    // bounded publishes in flight: fast, without holding a whole stream in memory
    if (inflight.length >= 256) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
  return n;
}

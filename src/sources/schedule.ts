import { createError } from '../errors.js';

/**
 * When to ask a source again: pure functions of the last answer and the clock. Polite by
 * default, as feed readers are (Miniflux, FreshRSS): never before the source's interval,
 * never before the server said the answer stays fresh (Cache-Control max-age) or told us to
 * come back (Retry-After), and ever later while it keeps failing.
 */

export const MIN_INTERVAL_SECONDS = 60;
export const MAX_INTERVAL_SECONDS = 7 * 86_400;
export const DEFAULT_INTERVAL_SECONDS = 15 * 60;
/** However long a server asks us to wait or a source keeps failing, it is asked again within a day. */
export const MAX_DELAY_SECONDS = 86_400;
/** Exponential backoff doubles the interval per consecutive failure, up to 2^MAX_BACKOFF_STEPS. */
export const MAX_BACKOFF_STEPS = 6;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `2h`, `1d` (or a bare number of seconds) to seconds; USAGE naming the flag otherwise. */
export function parseInterval(value: string, flag = '--interval'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(value);
  if (!m) throw createError('USAGE', `${flag}: expected a duration like 15m, 2h or 1d, found "${value}"`, { subject: flag });
  const seconds = Math.round(Number(m[1]) * UNITS[(m[2] || 's').toLowerCase()]!);
  if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
    throw createError('USAGE', `${flag}: expected between 1m and 7d, found "${value}"`, { subject: flag });
  }
  return seconds;
}

/** 900 -> `15m`, 5400 -> `1h30m`. */
export function formatInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/** Cache-Control max-age (else s-maxage) in seconds; null without one. `no-store`/`no-cache` are 0. */
export function maxAgeSeconds(cacheControl: string | undefined): number | null {
  if (!cacheControl) return null;
  const cc = cacheControl.toLowerCase();
  // a poller is a private cache: max-age is its directive, s-maxage (for shared caches) only without one
  const m = /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/.exec(cc) ?? /(?:^|[,\s])s-maxage\s*=\s*"?(\d+)"?/.exec(cc);
  if (m) return Number(m[1]);
  if (/(?:^|[,\s])(no-store|no-cache)(?:$|[,\s])/.test(cc)) return 0;
  return null;
}

/** Retry-After in seconds from `now` (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.ceil((t - now.getTime()) / 1000));
}

export interface PollOutcome {
  /** true for a 200 that was read, or a 304. */
  readonly ok: boolean;
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Seconds until the next poll. Success: the interval, or longer when max-age says the feed
 * stays fresh longer. Failure: the interval doubled per consecutive failure (`failures`
 * counts this one), and at least what Retry-After asks (429 and 503 send it). Capped at a
 * day: a source that recovers is noticed.
 */
export function nextDelaySeconds(outcome: PollOutcome, intervalSeconds: number, failures: number, now: Date): number {
  if (outcome.ok) {
    const maxAge = maxAgeSeconds(outcome.headers['cache-control']);
    return Math.min(MAX_DELAY_SECONDS, Math.max(intervalSeconds, maxAge ?? 0));
  }
  const steps = Math.min(MAX_BACKOFF_STEPS, Math.max(0, failures - 1));
  const backoff = intervalSeconds * 2 ** steps;
  const retryAfter = retryAfterSeconds(outcome.headers['retry-after'], now) ?? 0;
  // a 429 without Retry-After still means "slower": at least one more doubling
  const floor = outcome.status === 429 ? intervalSeconds * 2 : 0;
  return Math.min(MAX_DELAY_SECONDS, Math.max(backoff, retryAfter, floor));
}

/**
 * One request at a time per host, at least `minDelayMs` between the end of one and the start
 * of the next. The caller awaits `acquire` before each request and calls the returned release
 * after it; waits are served in the order they were asked.
 */
export class HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastEnd = new Map<string, number>();

  constructor(
    private readonly minDelayMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The politeness key of a URL: its host name (ports of one host share it). */
  static keyOf(url: string): string {
    try {
      return new URL(url).hostname.toLowerCase();
    } catch {
      return url;
    }
  }

  async acquire(url: string): Promise<() => void> {
    const key = HostGate.keyOf(url);
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    const wait = (this.lastEnd.get(key) ?? Number.NEGATIVE_INFINITY) + this.minDelayMs - this.clock();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.lastEnd.set(key, this.clock());
      if (this.tails.get(key) === tail) this.tails.delete(key);
      release();
    };
  }
}

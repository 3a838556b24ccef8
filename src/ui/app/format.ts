import { h } from './dom.js';

/**
 * Dates as a reader expects them: a time in the reader's own time zone, which the page names
 * (`timeZoneNote`); a date given without a time stays that calendar day, whatever the zone
 * (shifting 2013-05-02 into UTC-5 would make it May 1st); no date is "undated", never the
 * time Parallax happened to read the article.
 */
const DAY_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function locale(): string | undefined {
  return typeof navigator !== 'undefined' ? navigator.language : undefined;
}

/** The reader's time zone, as the browser reports it (Europe/Paris), or UTC. */
export function readerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A calendar day as a Date at local midnight (for placing it on a local time axis). */
export function parseWhen(iso: string): Date | null {
  const d = DAY_ONLY.exec(iso);
  if (d) return new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

export function isDayOnly(iso: string): boolean {
  return DAY_ONLY.test(iso);
}

/** `undated`; a date-only value as that day; a timestamp in the reader's zone. */
export function fmtDate(iso: string | null | undefined, options: { time?: boolean } = {}): string {
  if (!iso) return 'undated';
  const d = DAY_ONLY.exec(iso);
  if (d) return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))));
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(locale(), options.time === false ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(t));
}

/** A <time> element: the formatted date, with the stored value as machine-readable datetime. */
export function timeEl(iso: string | null | undefined, options: { time?: boolean; fetchedAt?: string } = {}): HTMLElement {
  if (!iso) {
    return h(
      'span',
      { class: 'undated', title: options.fetchedAt ? `no publication date; Parallax read it on ${fmtDate(options.fetchedAt)}` : 'no publication date' },
      'undated',
      options.fetchedAt ? ` (read ${fmtDate(options.fetchedAt, { time: false })})` : '',
    );
  }
  return h('time', { datetime: iso, title: isDayOnly(iso) ? `${iso} (date only)` : iso }, fmtDate(iso, options));
}

/** A span of dates, shortest form: one date when both ends fall on the same day. */
export function fmtSpan(first: string | null, last: string | null): string {
  if (!first && !last) return 'undated';
  const a = fmtDate(first);
  const b = fmtDate(last);
  return a === b || !last ? a : !first ? b : `${a} – ${b}`;
}

export function timeZoneNote(): string {
  return `Times are shown in your time zone (${readerZone()}); dates given without a time are shown as given.`;
}

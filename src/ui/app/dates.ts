/**
 * Dates as the UI shows them. The API sends a calendar date (`2013-05-03`) where only the day
 * is known, else a UTC instant. A calendar date is shown as it is: converting it would move
 * it to the day before west of Greenwich, and add a time nobody gave. An instant is shown in
 * the reader's time zone, which is named, so nobody takes it for the outlet's local time.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parts(d: Date, timeZone?: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/** The reader's time zone, as the browser reports it (`Europe/Berlin`). */
export function readerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * `2013-05-03` for a date, `2013-05-03 16:20 CEST` for an instant (in `timeZone`, the
 * reader's by default), `undated` for none.
 */
export function fmtDate(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return 'undated';
  if (DATE_ONLY.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const p = parts(new Date(t), timeZone);
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']} ${p['timeZoneName'] ?? ''}`.trim();
}

/** The publication date, or for an undated article its ingest time said as such. */
export function fmtPublished(published: string | null | undefined, fetchedAt?: string | null, timeZone?: string): string {
  if (published) return fmtDate(published, timeZone);
  return fetchedAt ? `undated (ingested ${fmtDate(fetchedAt, timeZone)})` : 'undated';
}

/** A story's span of publication dates: one date when first and last are the same day. */
export function fmtSpan(first: string | null | undefined, last: string | null | undefined, timeZone?: string): string {
  if (!first && !last) return 'undated';
  const a = fmtDate(first ?? last, timeZone);
  const b = fmtDate(last ?? first, timeZone);
  return a === b ? a : `${a} – ${b}`;
}

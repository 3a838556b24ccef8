import { svg } from './dom.js';
import { fmtDate, parseWhen, readerZone } from './format.js';

export interface TimelineItem {
  readonly id: string;
  readonly outlet: string | null;
  readonly published: string | null;
  readonly label: string;
  readonly colour: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];

/** Tick times for a local time axis: round hours or local midnights, at most about 7. */
export function ticks(min: number, max: number): { step: number; at: number[] } {
  const span = Math.max(1, max - min);
  const step = STEPS.find((s) => span / s <= 7) ?? 365 * DAY * Math.ceil(span / (7 * 365 * DAY));
  // from a local midnight (or a month's first day), so hour ticks fall on 00:00, 06:00, ...
  const first = new Date(min);
  first.setHours(0, 0, 0, 0);
  if (step >= 30 * DAY) first.setDate(1);
  const at: number[] = [];
  for (let t = first.getTime(); t <= max + 1;) {
    if (t >= min - 1) at.push(t);
    const d = new Date(t);
    // calendar steps, so ticks stay on midnights and first days across DST changes
    if (step >= 30 * DAY) d.setMonth(d.getMonth() + Math.round(step / (30 * DAY)));
    else if (step >= DAY) d.setDate(d.getDate() + Math.round(step / DAY));
    else d.setTime(d.getTime() + step);
    t = d.getTime();
  }
  return { step, at };
}

function tickLabel(t: number, step: number): string {
  const d = new Date(t);
  if (step >= 30 * DAY) return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' }).format(d);
  if (step >= DAY) return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(d);
  // within a day the hours, with the date at midnight so a reader knows which day it is
  if (d.getHours() === 0 && d.getMinutes() === 0) return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(d);
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** The days an hour-scale axis covers, named once (ticks show hours). */
function span(first: number, last: number): string {
  const a = fmtDate(new Date(first).toISOString(), { time: false });
  const b = fmtDate(new Date(last).toISOString(), { time: false });
  return a === b ? a : `${a} to ${b}`;
}

/**
 * A timeline with one labelled lane per outlet and a time axis in the reader's zone; undated
 * articles are counted, not placed.
 */
export function timeline(items: readonly TimelineItem[]): SVGElement {
  const dated = items.map((a) => ({ a, t: a.published ? (parseWhen(a.published)?.getTime() ?? null) : null })).filter((x): x is { a: TimelineItem; t: number } => x.t !== null);
  const lanes = [...new Set(dated.map((x) => x.a.outlet ?? 'unknown outlet'))];
  const labelW = 170;
  const w = 900;
  const laneH = 26;
  const top = 22;
  const axisY = top + Math.max(1, lanes.length) * laneH + 6;
  const hgt = axisY + 44;
  const plot = svg('svg', {
    class: 'plot timeline',
    viewBox: `0 0 ${w} ${hgt}`,
    role: 'img',
    'aria-label': `timeline: ${dated.length} dated articles from ${lanes.length} outlets, times in ${readerZone()}`,
  });
  const undated = items.length - dated.length;
  plot.append(
    svg(
      'text',
      { x: 6, y: 14 },
      dated.length === 0 ? 'No article in this story carries a date.' : `${dated.length} dated article${dated.length === 1 ? '' : 's'}${undated > 0 ? `; ${undated} undated, not shown` : ''}`,
    ),
  );
  if (dated.length === 0) return plot;
  const first = Math.min(...dated.map((x) => x.t));
  const last = Math.max(...dated.map((x) => x.t));
  let min = first;
  let max = last;
  if (max - min < HOUR) {
    min -= HOUR / 2;
    max += HOUR / 2;
  }
  const x0 = labelW + 10;
  const x1 = w - 20;
  const xOf = (t: number): number => x0 + ((t - min) / (max - min)) * (x1 - x0);
  lanes.forEach((name, i) => {
    const y = top + i * laneH + laneH / 2;
    plot.append(
      svg('line', { x1: x0, x2: x1, y1: y, y2: y, class: 'lane' }),
      svg('text', { x: labelW, y: y + 4, 'text-anchor': 'end', class: 'lane-label' }, name.length > 24 ? `${name.slice(0, 23)}…` : name, svg('title', null, name)),
    );
  });
  const { step, at } = ticks(min, max);
  plot.append(svg('line', { x1: x0, x2: x1, y1: axisY, y2: axisY, class: 'axis' }));
  for (const t of at) {
    const x = xOf(t);
    plot.append(svg('line', { x1: x, x2: x, y1: top, y2: axisY + 4, class: 'tick' }), svg('text', { x, y: axisY + 17, 'text-anchor': 'middle', class: 'tick-label' }, tickLabel(t, step)));
  }
  plot.append(svg('text', { x: x0, y: axisY + 36, class: 'axis-title' }, `Time (${readerZone()})${step < DAY ? `, ${span(first, last)}` : ''}`));
  for (const { a, t } of dated) {
    const y = top + lanes.indexOf(a.outlet ?? 'unknown outlet') * laneH + laneH / 2;
    plot.append(svg('circle', { cx: xOf(t).toFixed(1), cy: y, r: 6, class: `c${a.colour} dot` }, svg('title', null, `${a.label}: ${fmtDate(a.published)}`)));
  }
  return plot;
}

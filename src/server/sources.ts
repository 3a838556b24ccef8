import { addSources, getSource, listSources, removeSource, SOURCE_DAYS, type SOURCE_FOLLOW_MODES } from '../contract/sources.js';
import { createError } from '../errors.js';
import { sourceJson } from '../sources/json.js';
import type { FOLLOW_MODES } from '../sources/types.js';
import type { Api, AppContext } from './app.js';

// the contract's follow modes are the sources' own: either list changing alone fails to compile
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const followModesAgree: Same<(typeof SOURCE_FOLLOW_MODES)[number], (typeof FOLLOW_MODES)[number]> = true;
void followModesAgree;

/** GET/POST/DELETE /sources: the same fields as `parallax sources list --json`, with each source's health. */
export function sourceRoutes(api: Api, ctx: AppContext): void {
  // opened (and migrated) now, while the engine is idle: a migration run inside a commit in
  // flight on the same connection would share its fate
  const repository = ctx.engine.store.sources;
  const repo = () => repository;
  const today = (): string => new Date().toISOString().slice(0, 10);

  api.openapi(listSources, async (c) => {
    const r = repo();
    const sources = await r.list();
    const day = today();
    const items = [];
    for (const s of sources) items.push({ ...sourceJson(s), articlesPerDay: await r.articlesPerDay(s.id, SOURCE_DAYS, day) });
    return c.json({ items, total: items.length }, 200);
  });

  api.openapi(getSource, async (c) => {
    const { id } = c.req.valid('param');
    const r = repo();
    const s = await r.find(Number(id));
    if (!s) throw createError('UNKNOWN_ID', `no source with id ${id}`, { subject: 'id' });
    return c.json({ ...sourceJson(s), articlesPerDay: await r.articlesPerDay(s.id, SOURCE_DAYS, today()), itemErrors: await r.itemErrors(s.id, 20) }, 200);
  });

  api.openapi({ ...addSources, middleware: ctx.writer }, async (c) => {
    const body = c.req.valid('json');
    if (body.allowPrivate && !ctx.allowPrivate)
      throw createError('URL_REFUSED', 'allowPrivate: this server does not fetch private addresses (start it with --allow-private)', { subject: 'allowPrivate' });
    const { parseInterval } = await import('../sources/schedule.js');
    let intervalSeconds: number;
    try {
      intervalSeconds = parseInterval(body.interval, 'interval');
    } catch (e) {
      throw createError('INVALID_FIELD', `body: ${(e as Error).message}`, { subject: 'interval' });
    }
    const { addSources: add } = await import('../sources/add.js');
    const results = await add(repo(), body.urls, { intervalSeconds, allowPrivate: body.allowPrivate, follow: body.follow });
    const { watchingOf } = await import('../sources/watching.js');
    watchingOf(ctx.engine)?.poller.wake();
    const out = results.map((r) => (r.ok ? { url: r.url, ok: true as const, created: r.created, source: sourceJson(r.source) } : r));
    const status = results.every((r) => !r.ok) ? 422 : results.some((r) => r.ok && r.created) ? 201 : 200;
    return c.json({ results: out }, status);
  });

  api.openapi({ ...removeSource, middleware: ctx.writer }, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await repo().remove(Number(id)))) throw createError('UNKNOWN_ID', `no source with id ${id}`, { subject: 'id' });
    return c.json({ removed: Number(id) }, 200);
  });
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { Engine } from '../engine/engine.js';
import type { ArticleId } from '../domain/ids.js';
import { createError, isParallaxError } from '../errors.js';
import { decodeBytes } from '../ingest/decode.js';
import { draftFromRecord } from '../ingest/jsonl.js';
import { draftsFromDocument, type InputItem, isJsonlHead, readJsonlBytes, readUrls } from '../ingest/read.js';
import { sniffKind } from '../ingest/sniff.js';
import type { QueueItem } from '../queue/queue.js';
import { HttpError, parseInput, renderError } from './errors.js';
import { allowedQuery, openApiDocument, queryRulesOf, type QueryRules } from './openapi.js';
import { mountUi } from './ui.js';
import { ResponseCache } from './cache.js';
import { ArticleIdParam, ArticleListQuery, IngestBody, SearchQuery } from './schemas.js';

export interface ServerOptions {
  readonly engine: Engine;
  /** Bearer token for writes; without one, writes are refused. */
  readonly writeToken?: string | undefined;
  /** Bearer token for reads too; reads are open without one. */
  readonly readToken?: string | undefined;
  /** Largest request body. */
  readonly maxBodyBytes?: number;
  /** Lets URL ingest reach private addresses (tests, intranets). */
  readonly allowPrivate?: boolean;
  readonly log?: (entry: Record<string, unknown>) => void;
  /** Serve the web UI at / (default true). */
  readonly ui?: boolean;
  /** Extra API route groups (stories, reprints) mounted by other features. */
  readonly extend?: ReadonlyArray<(app: Hono, ctx: AppContext) => void>;
  /**
   * How often an open event stream checks whether the store changed (ms, default 2000): what
   * another process stores (a cron ingest) raises no engine event here, so a `store.changed`
   * event says to fetch again.
   */
  readonly changePollMs?: number;
  /**
   * With a work queue (serve --queue): uploads are put on it for the workers and answered
   * 202 with how many items were queued, instead of being stored by this process.
   */
  readonly enqueue?: (items: readonly QueueItem[]) => Promise<number>;
}

export interface AppContext {
  readonly engine: Engine;
  readonly log: (entry: Record<string, unknown>) => void;
  /** shared cache for read routes, invalidated by any store commit */
  readonly cache: ResponseCache;
  /** Throws 401/403 unless the request carries the write token: every write route calls it. */
  readonly requireWriter: (c: Context) => void;
  /** Whether the server may fetch loopback and private addresses (--allow-private). */
  readonly allowPrivate: boolean;
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function bearer(c: Context): string | null {
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m?.[1] ?? null;
}

/**
 * A token check that tells nothing by its timing: both sides are hashed first, so what is
 * compared (in constant time) always has the same length, whatever the token's.
 */
function tokenMatcher(token: string): (given: string | null) => boolean {
  const want = createHash('sha256').update(token).digest();
  return (given) => given !== null && timingSafeEqual(createHash('sha256').update(given).digest(), want);
}

/** Builds the HTTP application: JSON API under /api/v1, plus what `extend` mounts. */
/** Whether a Hono route pattern (`/stories/:id`) matches a path. */
function routeMatches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const q = path.split('/');
  if (p.length !== q.length) return false;
  return p.every((seg, i) => seg.startsWith(':') || seg === q[i] || seg === '*');
}

export function createApp(options: ServerOptions): Hono {
  const { engine } = options;
  const store = engine.store;
  const log = options.log ?? (() => undefined);
  const maxBody = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const app = new Hono();

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    log({ level: 'info', msg: 'request', method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - t0) * 10) / 10 });
  });

  const readerOk = options.readToken ? tokenMatcher(options.readToken) : null;
  const writerOk = options.writeToken ? tokenMatcher(options.writeToken) : null;
  app.use('/api/*', async (c, next) => {
    // HEAD runs the GET handler (its status says whether an id exists), so it is a read too
    if (readerOk && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      if (!readerOk(bearer(c))) throw new HttpError(401, 'UNAUTHORIZED', 'reads need a bearer token (Authorization: Bearer <token>)');
    }
    await next();
  });

  /** Runs before the body is read: a client without the token never gets a byte buffered. */
  const checkWriter = (c: Context): void => {
    if (!writerOk) throw new HttpError(403, 'WRITES_DISABLED', 'writes are disabled: start the server with PARALLAX_TOKEN set');
    if (!writerOk(bearer(c))) throw new HttpError(401, 'UNAUTHORIZED', 'writes need a bearer token (Authorization: Bearer <token>)');
  };
  const requireWriter: MiddlewareHandler = async (c, next) => {
    checkWriter(c);
    await next();
  };

  /**
   * The body limit, and a body that cannot be read (a malformed chunked encoding, a client
   * that hangs up mid-upload) as the client's 400, not the server's error.
   */
  const limit = bodyLimit({ maxSize: maxBody, onError: (c) => c.json({ error: { code: 'TOO_LARGE', message: `request body over ${maxBody} bytes` } }, 413) });
  const readBody: MiddlewareHandler = async (c, next) => {
    let handled = false;
    try {
      return await limit(c, async () => {
        handled = true;
        await next();
      });
    } catch (e) {
      if (handled) throw e;
      throw new HttpError(400, 'INVALID_FIELD', 'body: the request body could not be read (malformed chunked encoding, or the connection broke)', 'body');
    }
  };

  const api = new Hono();
  const cache = new ResponseCache(store);
  let openapi: string | null = null;

  // A query parameter the route does not document is refused, not ignored: `/stories?q=gaza`
  // on a route without `q` would answer with everything and look like a result. The OpenAPI
  // document is the list, so every route, also those other features mount, is checked.
  let queryRules: QueryRules | null = null;
  api.use('*', async (c, next) => {
    queryRules ??= queryRulesOf(openApiDocument());
    const path = c.req.path.replace(/^\/api\/v1/, '');
    const allowed = allowedQuery(queryRules, c.req.method, path);
    if (allowed) {
      for (const key of new URL(c.req.url).searchParams.keys()) {
        if (!allowed.has(key)) {
          const known = [...allowed];
          throw new HttpError(400, 'INVALID_FIELD', `query: unknown parameter "${key}"; ${c.req.method} ${path} takes ${known.length > 0 ? known.join(', ') : 'no query parameters'}`, key);
        }
      }
    }
    await next();
  });

  api.get('/openapi.json', (c) => {
    openapi ??= JSON.stringify(openApiDocument());
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(openapi);
  });

  api.get('/articles', async (c) => {
    const q = parseInput(ArticleListQuery, c.req.query(), 'query');
    const { items, total } = await store.listArticles({
      limit: q.limit,
      offset: q.offset,
      ...(q.outlet !== undefined ? { outlet: q.outlet } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
      ...(q.language !== undefined ? { language: q.language } : {}),
    });
    return c.json({ items, total, limit: q.limit, offset: q.offset });
  });

  api.get('/articles/:id', async (c) => {
    const { id } = parseInput(ArticleIdParam, c.req.param(), 'path');
    const article = await store.getArticle(id as ArticleId);
    if (!article) throw new HttpError(404, 'UNKNOWN_ID', `no article with id ${id}`, 'id');
    const [versions, story] = await Promise.all([store.getVersions(article.id), store.stories.storyOf(article.id)]);
    return c.json({
      ...article,
      sentences: article.sentences.map((s, index) => ({ index, start: s.start, end: s.end, text: article.text.slice(s.start, s.end) })),
      // the documented fields only: the article's id is already on the record
      versions: versions.map(({ version, contentHash, title, text, fetchedAt, published, source }) => ({ version, contentHash, title, text, fetchedAt, published, source })),
      story,
    });
  });

  api.get('/search', async (c) => {
    const q = parseInput(SearchQuery, c.req.query(), 'query');
    const [items, total] = await Promise.all([store.search(q.q, { limit: q.limit, offset: q.offset }), store.countMatches(q.q)]);
    return c.json({ items, total, limit: q.limit, offset: q.offset });
  });

  api.post(
    '/ingest',
    requireWriter,
    readBody,
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      const fetchedAt = new Date().toISOString();
      const items: InputItem[] = [];
      const warnings: { source: string; message: string }[] = [];
      let urls: string[] = [];
      if (type.startsWith('multipart/form-data')) {
        let form: FormData;
        try {
          form = await c.req.formData();
        } catch {
          throw new HttpError(400, 'INVALID_FIELD', 'body: expected a multipart/form-data body with a boundary and "file" parts', 'body');
        }
        const files = form.getAll('file');
        if (files.length === 0) throw new HttpError(400, 'INVALID_FIELD', 'body: expected one or more "file" fields', 'file');
        for (const f of files) {
          if (typeof f === 'string') throw new HttpError(400, 'INVALID_FIELD', 'file: expected a file upload, found a text field', 'file');
          const source = `upload:${f.name.replace(/[^\w.\- ]/g, '_').slice(0, 200)}`;
          try {
            const bytes = new Uint8Array(await f.arrayBuffer());
            if (bytes.length > 0 && isJsonlHead(bytes, f.name)) {
              // line by line, as a file is read: a damaged line costs only itself
              items.push(...readJsonlBytes(bytes, source, fetchedAt, (where, message) => warnings.push({ source: where, message })));
              continue;
            }
            const { text, warning } = decodeBytes(bytes, source, f.type);
            if (warning) warnings.push({ source, message: warning });
            items.push(...draftsFromDocument(text, sniffKind(text, f.name), source, null, fetchedAt));
          } catch (e) {
            if (!isParallaxError(e)) throw e;
            items.push({ ok: false, source, error: e });
          }
        }
      } else if (type.startsWith('application/json')) {
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          throw new HttpError(400, 'INVALID_FIELD', 'body: expected valid JSON', 'body');
        }
        const body = parseInput(IngestBody, raw, 'body');
        (body.articles ?? []).forEach((a, i) => {
          const where = `articles.${i}`;
          try {
            items.push({ ok: true, draft: draftFromRecord(a, where, fetchedAt) });
          } catch (e) {
            if (!isParallaxError(e)) throw e;
            items.push({ ok: false, source: where, error: e });
          }
        });
        urls = body.urls ?? [];
      } else {
        throw new HttpError(415, 'UNSUPPORTED_TYPE', 'body: expected application/json or multipart/form-data', 'content-type');
      }
      if (options.enqueue) {
        const queued: QueueItem[] = items.map((it) => (it.ok ? { v: 1, kind: 'draft', draft: it.draft } : { v: 1, kind: 'failed', source: it.source, code: isParallaxError(it.error) ? it.error.code : 'INTERNAL', message: it.error.message }));
        for (const url of urls) queued.push({ v: 1, kind: 'url', url, allowPrivate: options.allowPrivate ?? false });
        return c.json({ queued: await options.enqueue(queued) }, 202);
      }
      async function* all(): AsyncGenerator<InputItem> {
        yield* items;
        // URLs only: nothing a client sends may name a file on this server's disk
        if (urls.length > 0) yield* readUrls(urls, { fetch: { allowPrivate: options.allowPrivate ?? false }, onWarning: (source, message) => warnings.push({ source, message }) });
      }
      const report = await engine.ingestItems(all());
      const status = report.failed.length > 0 && report.outcomes.length === 0 ? 422 : 200;
      // a bug's stack stays on the server: it names files and lines of this installation
      const failed = report.failed.map(({ source, code, message }) => ({ source, code, message }));
      return c.json({ new: report.new, unchanged: report.unchanged, updated: report.updated, failed, ...(warnings.length > 0 ? { warnings } : {}), articles: report.outcomes }, status);
    },
  );

  api.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      // subscribed first: a client that leaves during the awaits below must still end this
      const aborted = new Promise<void>((resolve) => stream.onAbort(() => resolve()));
      const offs = [
        engine.events.on('article.added', (p) => void stream.writeSSE({ event: 'article.added', data: JSON.stringify(p) })),
        engine.events.on('article.updated', (p) => void stream.writeSSE({ event: 'article.updated', data: JSON.stringify(p) })),
        engine.events.on('story.created', (p) => void stream.writeSSE({ event: 'story.created', data: JSON.stringify(p) })),
        engine.events.on('story.changed', (p) => void stream.writeSSE({ event: 'story.changed', data: JSON.stringify(p) })),
      ];
      let poll: ReturnType<typeof setInterval> | undefined;
      try {
        await stream.writeSSE({ event: 'ready', data: '{}' });
        // The store's change token moves with every commit, this server's or another
        // process's. Articles another process stores raise no engine event here, so the
        // stream says the store changed (at most once per poll) and a client fetches again.
        let token = await store.changeToken();
        let polling = false;
        poll = setInterval(() => {
          if (polling) return;
          polling = true;
          void store
            .changeToken()
            .then(async (now) => {
              if (now === token) return;
              token = now;
              await stream.writeSSE({ event: 'store.changed', data: '{}' });
            })
            .catch(() => undefined)
            .finally(() => (polling = false));
        }, options.changePollMs ?? 2000);
        if (!stream.aborted) await aborted;
      } finally {
        clearInterval(poll);
        for (const off of offs) off();
      }
    }),
  );

  // extension routes call the check first thing, before they read a body
  const ctx: AppContext = { engine, log, cache, requireWriter: checkWriter, allowPrivate: options.allowPrivate ?? false };
  for (const extend of options.extend ?? []) extend(api, ctx);

  // a known path with another method is a 405 with the methods it takes, not a 404
  const apiNotFound = (c: Context): Response => {
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== c.req.method && app.routes.some((r) => r.method === m && routeMatches(r.path, c.req.path)));
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return c.json({ error: { code: 'METHOD_NOT_ALLOWED', message: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}` } }, 405);
    }
    return c.json({ error: { code: 'NOT_FOUND', message: `no API route ${c.req.method} ${c.req.path}` } }, 404);
  };
  api.notFound(apiNotFound);
  app.route('/api/v1', api);
  if (options.ui !== false) mountUi(app);
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? apiNotFound(c) : c.text('not found', 404),
  );
  app.onError((err, c) => renderError(err, c, log));
  api.onError((err, c) => renderError(err, c, log));
  return app;
}

export { createError };

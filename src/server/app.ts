import { OpenAPIHono } from '@hono/zod-openapi';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import { events, getArticle, ingest, listArticles, searchArticles } from '../contract/articles.js';
import { invalidField } from '../contract/common.js';
import type { ArticleId } from '../domain/ids.js';
import type { Engine } from '../engine/engine.js';
import { createError, isParallaxError } from '../errors.js';
import { type InputItem, readUrls } from '../ingest/read.js';
import { readUpload } from '../ingest/upload.js';
import type { QueueItem } from '../queue/queue.js';
import { ResponseCache } from './cache.js';
import { errorResponse, type Log, renderError } from './errors.js';
import { openApiDocument, queryRulesOf, allowedQuery, type QueryRules } from './openapi.js';
import { mountUi } from './ui.js';

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
  readonly log?: Log;
  /** Serve the web UI at / (default true). */
  readonly ui?: boolean;
  /** Extra API route groups (stories, reprints) mounted by other features. */
  readonly extend?: ReadonlyArray<(api: Api, ctx: AppContext) => void>;
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

/** The API's router: it implements the routes of src/contract/ and documents them. */
export type Api = OpenAPIHono;

export interface AppContext {
  readonly engine: Engine;
  readonly log: Log;
  /** shared cache for read routes, invalidated by any store commit */
  readonly cache: ResponseCache;
  /**
   * What every write route runs first, as route middleware: the write token (401/403), checked
   * before a byte of the body is read, then the body limit.
   */
  readonly writer: MiddlewareHandler[];
  /** Whether the server may fetch loopback and private addresses (--allow-private). */
  readonly allowPrivate: boolean;
}

/** The web UI's policy: no inline script or style, nothing from another origin. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** RFC 6750's token syntax, which hono's bearer-auth holds a presented token to. */
const TOKEN_SYNTAX = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * hono's bearer-auth (constant-time comparison of SHA-256 digests), with refusals in the API's
 * error form. A malformed Authorization header is refused like a wrong token.
 */
function tokenGuard(token: string, name: string, what: string): MiddlewareHandler {
  if (!TOKEN_SYNTAX.test(token)) {
    throw createError('USAGE', `${name}: expected a token of letters, digits and - . _ ~ + / (optionally ending in =), as a bearer token must be`, { subject: name });
  }
  const refuse = (c: Context): Response => errorResponse(c, 'UNAUTHORIZED', `${what} need a bearer token (Authorization: Bearer <token>)`);
  return bearerAuth({ token, noAuthenticationHeader: { message: refuse }, invalidAuthenticationHeader: { message: refuse }, invalidToken: { message: refuse } });
}

/** Whether a Hono route pattern (`/stories/:id`) matches a path. */
function routeMatches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const q = path.split('/');
  if (p.length !== q.length) return false;
  return p.every((seg, i) => seg.startsWith(':') || seg === q[i] || seg === '*');
}

/** Builds the HTTP application: JSON API under /api/v1, plus what `extend` mounts. */
export function createApp(options: ServerOptions): Hono {
  const { engine } = options;
  const store = engine.store;
  const log = options.log ?? (() => undefined);
  const maxBody = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const app = new Hono();

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    log({ level: 'info', msg: 'request', method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - t0) * 10) / 10 });
  });
  // HSTS is left to whoever terminates TLS in front: this server speaks plain HTTP
  app.use('*', secureHeaders({ contentSecurityPolicy: CSP, xFrameOptions: 'DENY', strictTransportSecurity: false }));

  if (options.readToken) {
    const reader = tokenGuard(options.readToken, 'PARALLAX_READ_TOKEN', 'reads');
    // HEAD runs the GET handler (its status says whether an id exists), so it is a read too
    const readGuard: MiddlewareHandler = (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? reader(c, next) : next());
    app.use('/api/*', readGuard);
  }
  const writerToken: MiddlewareHandler = options.writeToken
    ? tokenGuard(options.writeToken, 'PARALLAX_TOKEN', 'writes')
    : () => {
        throw createError('WRITES_DISABLED', 'writes are disabled: start the server with PARALLAX_TOKEN set');
      };

  /**
   * The body limit, and a body that cannot be read (a malformed chunked encoding, a client
   * that hangs up mid-upload) as the client's 400, not the server's error.
   */
  const limit = bodyLimit({ maxSize: maxBody, onError: (c) => errorResponse(c, 'TOO_LARGE', `request body over ${maxBody} bytes`) });
  const unreadable = () => createError('INVALID_FIELD', 'body: the request body could not be read (malformed chunked encoding, or the connection broke)', { subject: 'body' });
  const readBody: MiddlewareHandler = async (c, next) => {
    let handled = false;
    try {
      return await limit(c, async () => {
        handled = true;
        await next();
      });
    } catch (e) {
      if (handled) throw e;
      throw unreadable();
    }
  };
  const writer = [writerToken, readBody];

  // a request that fails its route's schema is a 400 naming the field, in the API's error form
  const api: Api = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw invalidField(result.error, result.target === 'param' ? 'path' : result.target === 'json' ? 'body' : result.target);
    },
  });
  const cache = new ResponseCache(store);
  let openapi: string | null = null;

  // A query parameter the route does not document is refused, not ignored: `/stories?q=gaza`
  // on a route without `q` would answer with everything and look like a result. The routes'
  // own schemas are the list, so every route, also those other features mount, is checked.
  let queryRules: QueryRules | null = null;
  api.use('*', async (c, next) => {
    queryRules ??= queryRulesOf(api);
    const path = c.req.path.replace(/^\/api\/v1/, '');
    const allowed = allowedQuery(queryRules, c.req.method, path);
    if (allowed) {
      for (const key of new URL(c.req.url).searchParams.keys()) {
        if (!allowed.has(key)) {
          const known = [...allowed];
          throw createError('INVALID_FIELD', `query: unknown parameter "${key}"; ${c.req.method} ${path} takes ${known.length > 0 ? known.join(', ') : 'no query parameters'}`, { subject: key });
        }
      }
    }
    await next();
  });

  api.get('/openapi.json', (c) => {
    openapi ??= JSON.stringify(openApiDocument(api));
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(openapi);
  });

  api.openapi(listArticles, async (c) => {
    const q = c.req.valid('query');
    const { items, total } = await store.listArticles({
      limit: q.limit,
      offset: q.offset,
      ...(q.outlet !== undefined ? { outlet: q.outlet } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
      ...(q.language !== undefined ? { language: q.language } : {}),
    });
    return c.json({ items, total, limit: q.limit, offset: q.offset }, 200);
  });

  api.openapi(getArticle, async (c) => {
    const { id } = c.req.valid('param');
    const article = await store.getArticle(id as ArticleId);
    if (!article) throw createError('UNKNOWN_ID', `no article with id ${id}`, { subject: 'id' });
    const [versions, story] = await Promise.all([store.getVersions(article.id), store.stories.storyOf(article.id)]);
    return c.json(
      {
        ...article,
        sentences: article.sentences.map((s, index) => ({ index, start: s.start, end: s.end, text: article.text.slice(s.start, s.end) })),
        // the documented fields only: the article's id is already on the record
        versions: versions.map(({ version, contentHash, title, text, fetchedAt, published, source }) => ({ version, contentHash, title, text, fetchedAt, published, source })),
        story,
      },
      200,
    );
  });

  api.openapi(searchArticles, async (c) => {
    const q = c.req.valid('query');
    const [items, total] = await Promise.all([store.search(q.q, { limit: q.limit, offset: q.offset }), store.countMatches(q.q)]);
    return c.json({ items, total, limit: q.limit, offset: q.offset }, 200);
  });

  // Documented with its body; the body is decoded by ingest (readUpload), not by the router.
  api.openAPIRegistry.registerPath(ingest);
  api.openapi({ ...ingest, request: {}, hide: true, middleware: writer }, async (c) => {
    const read = async (): Promise<Uint8Array<ArrayBuffer>> => {
      try {
        return new Uint8Array(await c.req.arrayBuffer());
      } catch {
        throw unreadable();
      }
    };
    const upload = await readUpload(c.req.header('content-type') ?? '', read, new Date().toISOString());
    const { items, urls, warnings } = upload;
    if (options.enqueue) {
      const queued: QueueItem[] = items.map((it) =>
        it.ok ? { v: 1, kind: 'draft', draft: it.draft } : { v: 1, kind: 'failed', source: it.source, code: isParallaxError(it.error) ? it.error.code : 'INTERNAL', message: it.error.message },
      );
      for (const url of urls) queued.push({ v: 1, kind: 'url', url, allowPrivate: options.allowPrivate ?? false });
      return c.json({ queued: await options.enqueue(queued) }, 202);
    }
    async function* all(): AsyncGenerator<InputItem> {
      yield* items;
      // URLs only: nothing a client sends may name a file on this server's disk
      if (urls.length > 0) yield* readUrls(urls, { fetch: { allowPrivate: options.allowPrivate ?? false }, onWarning: (source, message) => warnings.push({ source, message }) });
    }
    const report = await engine.ingestItems(all());
    // a bug's stack stays on the server: it names files and lines of this installation
    const failed = report.failed.map(({ source, code, message }) => ({ source, code, message }));
    const body = { new: report.new, unchanged: report.unchanged, updated: report.updated, failed, ...(warnings.length > 0 ? { warnings } : {}), articles: report.outcomes };
    return report.failed.length > 0 && report.outcomes.length === 0 ? c.json(body, 422) : c.json(body, 200);
  });

  api.openapi(events, (c) =>
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

  const ctx: AppContext = { engine, log, cache, writer, allowPrivate: options.allowPrivate ?? false };
  for (const extend of options.extend ?? []) extend(api, ctx);

  // a known path with another method is a 405 with the methods it takes, not a 404
  const apiNotFound = (c: Context): Response => {
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== c.req.method && app.routes.some((r) => r.method === m && routeMatches(r.path, c.req.path)));
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return errorResponse(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}`);
    }
    return errorResponse(c, 'NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`);
  };
  api.notFound(apiNotFound);
  app.route('/api/v1', api);
  if (options.ui !== false) mountUi(app);
  app.notFound((c) => (c.req.path.startsWith('/api/') ? apiNotFound(c) : c.text('not found', 404)));
  app.onError((err, c) => renderError(err, c, log));
  api.onError((err, c) => renderError(err, c, log));
  return app;
}

export { createError };

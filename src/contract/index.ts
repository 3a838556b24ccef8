/**
 * The HTTP API contract: every route with its request and response schemas, defined once.
 * The server implements these routes (src/server/), the OpenAPI document is generated from
 * them, and the web UI takes its types from here with `import type` only, so no schema code
 * reaches the browser. Each schema has a type of the same name: what a client reads.
 */
export * from './common.js';
export * from './articles.js';
export * from './stories.js';
export * from './reprints.js';
export * from './corrections.js';
export * from './sources.js';
export * from './comparison.js';

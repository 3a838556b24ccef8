/* eslint-disable no-restricted-globals -- the point of this file: these names must not type-check */
/**
 * The Node program (tsconfig.json) has no DOM library: jsdom's and Readability's types, which
 * would bring it, are declared in src/ingest/dom.ts instead of imported. Each line below is
 * expected to fail; if a dependency brings the DOM library back, the expectation is unused and
 * `npm run typecheck` fails here (test/typecheck.test.ts also checks the program's files).
 */

// @ts-expect-error no `document` in Node code
export const aDocument: unknown = document;
// @ts-expect-error no `window` in Node code
export const aWindow: unknown = window;
// @ts-expect-error no DOM element types in Node code
export type AnElement = HTMLElement;

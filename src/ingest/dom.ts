/**
 * The few shapes of jsdom's documents and of Readability that HTML extraction (html.ts) uses,
 * declared here instead of imported from @types/jsdom or @mozilla/readability: both reference
 * the browser's DOM library, which would then type every Node module of the program, so that
 * `document` or `window` in a server module would type-check and fail only when run. With
 * these, the Node program (tsconfig.json) has no DOM globals at all; test/typecheck.test.ts
 * checks it. Types only: the packages are loaded at run time by lazyRequire (util/lazy.ts).
 */

export interface DomNode {
  readonly textContent: string | null;
  cloneNode(deep?: boolean): DomNode;
}

export interface DomElement extends DomNode {
  /** (an element's text is never null; only a document's or a doctype's is) */
  readonly textContent: string;
  readonly parentElement: DomElement | null;
  readonly firstElementChild: DomElement | null;
  readonly nextElementSibling: DomElement | null;
  readonly childElementCount: number;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement> & { readonly length: number };
  closest(selectors: string): DomElement | null;
  remove(): void;
}

export interface DomDocument extends DomNode {
  readonly documentElement: DomElement;
  /** (as the DOM library types it; a document parsed as HTML always has one) */
  readonly body: DomElement;
  readonly title: string;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement> & { readonly length: number };
}

/** What html.ts takes from the `jsdom` package. */
export interface JsdomModule {
  readonly JSDOM: new (
    html: string,
    options: { url: string; virtualConsole: unknown; pretendToBeVisual: boolean },
  ) => {
    readonly window: { readonly DOMParser: new () => { parseFromString(html: string, type: 'text/html'): DomDocument } };
  };
  readonly VirtualConsole: new () => unknown;
}

/** What html.ts takes from the `@mozilla/readability` package. */
export interface ReadabilityModule {
  readonly Readability: new (
    document: DomDocument,
    options: { charThreshold: number; nbTopCandidates: number; maxElemsToParse: number; keepClasses: boolean },
  ) => { parse(): { readonly content: string | null | undefined } | null };
}

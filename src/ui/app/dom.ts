/**
 * DOM building without HTML strings (and without style attributes, which the
 * Content-Security-Policy forbids: colours and sizes are classes and SVG geometry). Article text comes from strangers, so it only ever
 * reaches the page as text nodes or through setAttribute on an allow-list: there is no
 * innerHTML anywhere in the UI.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

const SAFE_ATTRS =
  /^(class|id|role|title|tabindex|colspan|rowspan|scope|for|type|name|value|placeholder|aria-[a-z-]+|data-[a-z-]+|width|height|viewBox|x|y|x1|x2|y1|y2|cx|cy|r|d|fill|stroke|stroke-width|points|text-anchor|dominant-baseline|font-size|transform|datetime|lang|dir|disabled|hidden|selected|checked|autocomplete|spellcheck|marker-end|refX|refY|markerWidth|markerHeight|orient|preserveAspectRatio|start|min|max|step|rel|inputmode|open|stroke-dasharray)$/;

/** Links: internal routes or http(s) URLs only (no javascript:, data:, ...). */
export function safeHref(url: string): string | null {
  if (url.startsWith('#/')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function build(el: Element, attrs: Attrs | null, children: Child[]): void {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') {
      el.addEventListener(k.replace(/^on/, ''), v);
    } else if (k === 'href') {
      const href = safeHref(String(v));
      if (href) el.setAttribute('href', href);
    } else if (SAFE_ATTRS.test(k)) {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function h(tag: string, attrs: Attrs | null = null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  build(el, attrs, children);
  return el;
}

export function svg(tag: string, attrs: Attrs | null = null, ...children: Child[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  build(el, attrs, children);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * How deep markup nests, measured on the source text in one linear pass, before any parser
 * builds a tree of it. Parsers and what runs over their trees (jsdom's tree builder, its
 * textContent, Readability) take time and stack that grow with depth: 100,000 nested divs
 * (1.1 MB) took jsdom over 400 s and overflowed the stack of a recursive walk. A page is
 * refused when this count passes a limit; nothing deep ever reaches the parser.
 *
 * The count follows what an HTML parser does closely enough to bound it: void elements
 * (br, img) and raw-text elements (script, style, textarea) add nothing; elements whose end
 * tag is optional (p, li, td, option, ...) close an open sibling of their kind, as the
 * parser does, so a page of unclosed <p> is flat; `<x/>` closes itself only inside svg or
 * math (an HTML parser ignores the slash on a div, and nests it); an end tag closes up to
 * its open element, and is ignored when none is open. Stray differences from the parser
 * only make the count err upwards, on markup no news page uses. In XML mode every `/>`
 * closes and no element is special.
 */

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'bgsound', 'frame', 'image', 'isindex']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
/** For an element whose start closes open siblings: the open elements (at the top) it closes. */
const CLOSES: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['p', new Set(['p'])],
  ['li', new Set(['li', 'p'])],
  ['dt', new Set(['dt', 'dd', 'p'])],
  ['dd', new Set(['dt', 'dd', 'p'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
  ['tr', new Set(['td', 'th', 'tr'])],
  ['tbody', new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot'])],
  ['thead', new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot'])],
  ['tfoot', new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['option', 'optgroup'])],
  ['rb', new Set(['rb', 'rt', 'rp', 'rtc'])],
  ['rt', new Set(['rb', 'rt', 'rp'])],
  ['rp', new Set(['rb', 'rt', 'rp'])],
  ['a', new Set(['a'])],
  ['nobr', new Set(['nobr'])],
  ['button', new Set(['button'])],
  ...HEADINGS.map((h): [string, ReadonlySet<string>] => [h, new Set([...HEADINGS, 'p'])]),
]);
/** Block elements whose start closes an open <p>. */
const CLOSES_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hgroup',
  'main',
  'menu',
  'nav',
  'ol',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
  'listing',
  'plaintext',
]);
/** Elements an HTML document has once, at the top: never deeper than the first. */
const ROOTS = new Set(['html', 'head', 'body']);

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/**
 * Whether elements in `markup` nest deeper than `max`. Linear in the length of the text
 * (every index is passed a bounded number of times; the stack only pops what it pushed).
 */
export function markupDepthOver(markup: string, max: number, options: { xml?: boolean } = {}): boolean {
  const xml = options.xml ?? false;
  const n = markup.length;
  const stack: string[] = [];
  const open = new Map<string, number>();
  let foreign = 0;
  const push = (name: string): void => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (name === 'svg' || name === 'math') foreign++;
  };
  const pop = (): string => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    if (name === 'svg' || name === 'math') foreign--;
    return name;
  };
  /** The end of a tag's attributes: the index after its `>` (n if none), and whether it ended with `/>`. */
  const endOfTag = (from: number): [number, boolean] => {
    let i = from;
    while (i < n) {
      const c = markup.charCodeAt(i);
      if (c === 62) return [i + 1, markup.charCodeAt(i - 1) === 47]; // '>', after '/'?
      if (c === 34 || c === 39) {
        // a quoted value, only after '=' (a stray quote in a name is a character)
        let j = i - 1;
        while (j > from && isSpace(markup.charCodeAt(j))) j--;
        if (markup.charCodeAt(j) === 61) {
          const close = markup.indexOf(c === 34 ? '"' : "'", i + 1);
          if (close < 0) return [n, false];
          i = close + 1;
          continue;
        }
      }
      i++;
    }
    return [n, false];
  };
  let i = 0;
  while (i < n) {
    const lt = markup.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = markup.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (markup.startsWith('<!--', lt)) {
        const end = markup.indexOf('-->', lt + 4);
        i = end < 0 ? n : end + 3;
      } else if (markup.startsWith('<![CDATA[', lt)) {
        const end = markup.indexOf(']]>', lt + 9);
        i = end < 0 ? n : end + 3;
      } else {
        const end = markup.indexOf('>', lt + 2);
        i = end < 0 ? n : end + 1;
      }
      continue;
    }
    if (c === 63 /* ? */) {
      const end = markup.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const closing = c === 47; /* / */
    const nameAt = closing ? lt + 2 : lt + 1;
    if (nameAt >= n || !isNameStart(markup.charCodeAt(nameAt))) {
      i = lt + 1; // a '<' that opens no tag is text
      continue;
    }
    let j = nameAt + 1;
    while (j < n) {
      const d = markup.charCodeAt(j);
      if (isSpace(d) || d === 47 || d === 62) break;
      j++;
    }
    const raw = markup.slice(nameAt, j);
    const name = xml ? raw : raw.toLowerCase();
    const [after, selfClosing] = endOfTag(j);
    i = after;
    if (closing) {
      if ((open.get(name) ?? 0) > 0) while (pop() !== name);
      continue;
    }
    if (xml) {
      if (!selfClosing) push(name);
    } else {
      if (VOID.has(name) || (selfClosing && foreign > 0) || ROOTS.has(name)) continue;
      if (RAW_TEXT.has(name)) {
        // the element's text runs to its end tag, whatever it holds
        const re = new RegExp(`</${name}[\\s/>]`, 'gi');
        re.lastIndex = i;
        const m = re.exec(markup);
        i = m ? m.index : n;
        continue;
      }
      if (name === 'plaintext') break;
      const closes = CLOSES.get(name);
      if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1]!)) pop();
      else if (CLOSES_P.has(name) && stack[stack.length - 1] === 'p') pop();
      push(name);
    }
    if (stack.length > max) return true;
  }
  return false;
}

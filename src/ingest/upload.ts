import { IngestBody, parseWith } from '../contract/index.js';
import { createError, isParallaxError } from '../errors.js';
import { decodeBytes } from './decode.js';
import { draftFromRecord } from './jsonl.js';
import { draftsFromDocument, type InputItem, isJsonlHead, readJsonlBytes } from './read.js';
import { sniffKind } from './sniff.js';

/** What an upload holds: its inputs (one failed item per bad file or article), and URLs to fetch. */
export interface Upload {
  readonly items: InputItem[];
  readonly urls: string[];
  readonly warnings: { source: string; message: string }[];
}

/**
 * Decodes an HTTP upload: a JSON body (`IngestBody`: articles and URLs) or multipart files
 * (field "file"), by its declared content type. The type is checked before `read` is called,
 * so a body of a type that is refused is never buffered. A body that is wrong as a whole
 * throws INVALID_FIELD or UNSUPPORTED_TYPE; a file or article that cannot be read is a failed
 * item and costs only itself.
 */
export async function readUpload(type: string, read: () => Promise<Uint8Array<ArrayBuffer>>, fetchedAt: string): Promise<Upload> {
  const warnings: Upload['warnings'] = [];
  if (type.startsWith('multipart/form-data')) {
    const bytes = await read();
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
    } catch {
      throw createError('INVALID_FIELD', 'body: expected a multipart/form-data body with a boundary and "file" parts', { subject: 'body' });
    }
    const files = form.getAll('file');
    if (files.length === 0) throw createError('INVALID_FIELD', 'body: expected one or more "file" fields', { subject: 'file' });
    const items: InputItem[] = [];
    for (const f of files) {
      if (typeof f === 'string') throw createError('INVALID_FIELD', 'file: expected a file upload, found a text field', { subject: 'file' });
      const source = `upload:${f.name.replace(/[^\w.\- ]/g, '_').slice(0, 200)}`;
      try {
        const data = new Uint8Array(await f.arrayBuffer());
        if (data.length > 0 && isJsonlHead(data, f.name)) {
          // line by line, as a file is read: a damaged line costs only itself
          items.push(...readJsonlBytes(data, source, fetchedAt, (where, message) => warnings.push({ source: where, message })));
          continue;
        }
        const { text, warning } = decodeBytes(data, source, f.type);
        if (warning) warnings.push({ source, message: warning });
        items.push(...draftsFromDocument(text, sniffKind(text, f.name), source, null, fetchedAt));
      } catch (e) {
        if (!isParallaxError(e)) throw e;
        items.push({ ok: false, source, error: e });
      }
    }
    return { items, urls: [], warnings };
  }
  if (type.startsWith('application/json')) {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(await read()));
    } catch (e) {
      if (isParallaxError(e)) throw e;
      throw createError('INVALID_FIELD', 'body: expected valid JSON', { subject: 'body' });
    }
    const body = parseWith(IngestBody, raw, 'body');
    const items: InputItem[] = (body.articles ?? []).map((a, i) => {
      const where = `articles.${i}`;
      try {
        return { ok: true, draft: draftFromRecord(a, where, fetchedAt) };
      } catch (e) {
        if (!isParallaxError(e)) throw e;
        return { ok: false, source: where, error: e };
      }
    });
    return { items, urls: body.urls ?? [], warnings };
  }
  throw createError('UNSUPPORTED_TYPE', 'body: expected application/json or multipart/form-data', { subject: 'content-type' });
}

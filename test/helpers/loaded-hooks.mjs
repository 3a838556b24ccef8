// Module hooks (test/helpers/loaded-modules.mjs): appends every module resolved through import
// to the file named by PARALLAX_LOADED_LIST, one URL a line.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.PARALLAX_LOADED_LIST, `${r.url}\n`);
  return r;
}

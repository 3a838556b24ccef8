// Module hooks (test/helpers/loaded-modules.mjs): names every module resolved through import.
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  process.stderr.write(`LOADED ${r.url}\n`);
  return r;
}

// `PARALLAX_LOADED_LIST=file node --import ./loaded-modules.mjs ...` appends to that file, one a
// line, every module the process loaded: those resolved through import (hooks), and at exit every
// CommonJS module required, lazily or by import (the require cache). A file, not stderr: a pipe
// is not drained when the process exits, and the list's end was lost.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register('./loaded-hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => {
  appendFileSync(process.env.PARALLAX_LOADED_LIST, `${Object.keys(require.cache).join('\n')}\n`);
});

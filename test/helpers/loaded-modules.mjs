// `node --import ./loaded-modules.mjs ...` prints, on stderr, one `LOADED <url or path>` line per
// module the process loaded: those resolved through import (hooks), and at exit every CommonJS
// module required, lazily or by import (the require cache).
import { createRequire, register } from 'node:module';

register('./loaded-hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const path of Object.keys(require.cache)) process.stderr.write(`LOADED ${path}\n`);
});

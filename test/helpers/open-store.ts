// Opens (creating or migrating) the SQLite store at argv[2] and closes it: for tests that
// open one new file from several processes at once.
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeError } from '../../src/errors.js';

// argv[3]: a time (ms since epoch) to open at, so that processes started one after another
// open together
const at = Number(process.argv[3] ?? 0);
if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
while (Date.now() < at);
try {
  await SqliteStore.open({ path: process.argv[2]! }).close();
} catch (e) {
  process.stderr.write(`${describeError(e)}\n`);
  process.exitCode = 1;
}

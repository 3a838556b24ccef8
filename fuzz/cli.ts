// The CLI from source, for the fuzzer's child processes (they are killed and watched).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);

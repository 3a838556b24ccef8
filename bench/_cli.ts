// The CLI from source, for benchmarks that run it as separate processes (bench/writers.ts).
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);

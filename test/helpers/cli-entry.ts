// Runs the CLI from source in a child process (crash tests kill it mid-ingest).
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);

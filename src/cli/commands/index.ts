import type { Command } from 'commander';
import type { CliRun } from '../context.js';
import { register as articles } from './articles.js';
import { register as cluster } from './cluster.js';
import { register as compare } from './compare.js';
import { register as corrections } from './corrections.js';
import { register as dupes } from './dupes.js';
import { register as ingest } from './ingest.js';
import { register as queue } from './queue.js';
import { register as serve } from './serve.js';
import { register as similarity } from './similarity.js';
import { register as sources } from './sources.js';
import { register as watch } from './watch.js';

/** A command module adds its subcommand(s) to the program. One file per command. */
export type RegisterCommand = (program: Command, ctx: CliRun) => void;

// Each feature adds its command here, one import and one entry.
export const COMMANDS: readonly RegisterCommand[] = [ingest, articles, dupes, cluster, corrections, compare, similarity, serve, sources, watch, queue];

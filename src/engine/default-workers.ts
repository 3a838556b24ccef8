import { availableParallelism } from 'node:os';

/**
 * Workers worth starting on this machine for work the main thread also consumes: one core is
 * left to the main thread (on 2 cores: one worker). Its own module, so that the CLI's help
 * can say it without loading the preparation pipeline.
 */
export function defaultWorkers(): number {
  return Math.max(0, availableParallelism() - 1);
}

import { ClusterStage } from '../stages/cluster.js';
import { DedupStage } from '../stages/dedup.js';
import type { Store } from '../store/store.js';
import { Engine } from './engine.js';
import type { Stage } from '../stages/stage.js';
import type { OutletEntry } from '../ingest/outlets.js';

/**
 * The stages ingest runs after storing, in order. Features register theirs here so the
 * CLI, the server and the library all run the same pipeline (and several writers on one
 * store must run the same stages).
 */
export const STAGE_FACTORIES: ReadonlyArray<() => Stage> = [() => new DedupStage(), () => new ClusterStage()];

/** An engine over `store` with every stage: reprint detection, then story assignment. */
export function openEngine(store: Store, options: { batchSize?: number; outlets?: readonly OutletEntry[] } = {}): Engine {
  return new Engine({
    store,
    stages: STAGE_FACTORIES.map((make) => make()),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.outlets ? { outlets: options.outlets } : {}),
  });
}

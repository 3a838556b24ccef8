import { ClusterStage } from '../cluster/stage.js';
import { DedupStage } from '../dedup/stage.js';
import { Engine } from '../engine/engine.js';
import type { Stage } from '../engine/stage.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { dbPath, type Io } from './context.js';

/**
 * The stages ingest runs after storing, in order. Features register theirs here so the
 * CLI, the server and the library all run the same pipeline.
 */
export const STAGE_FACTORIES: Array<() => Stage> = [() => new DedupStage(), () => new ClusterStage()];

/** Opens the store of `--db`; commands that only read pass `mustExist` (no new file at a mistyped path). */
export function openDefaultStore(db: string | undefined, io: Io, options: { readonly?: boolean; mustExist?: boolean } = {}): Store {
  return openStore(dbPath(db, io), options);
}

export function openEngine(store: Store, options: { batchSize?: number } = {}): Engine {
  return new Engine({ store, stages: STAGE_FACTORIES.map((make) => make()), ...(options.batchSize ? { batchSize: options.batchSize } : {}) });
}

import type { UnitOfWork } from './unit-of-work.js';

/** An opaque, versioned value a stage keeps between runs (an index, a clustering state). */
export interface StageState {
  readonly key: string;
  readonly formatVersion: number;
  readonly data: Uint8Array;
}

/**
 * The stage-state repository: one opaque, versioned value per key (the clustering state, the
 * corrections log), read whole and replaced whole. Every implementation passes
 * test/conformance/states.case.ts.
 */
export interface StateRepository {
  get(key: string): Promise<StageState | null>;
  /** Replaces each state inside `tx`. */
  write(tx: UnitOfWork, states: readonly StageState[]): Promise<void>;
}

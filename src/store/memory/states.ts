import type { StageState, StateRepository } from '../states.js';
import type { UnitOfWork } from '../store.js';
import type { MemoryDb } from './db.js';

/** The memory StateRepository. */
export class MemoryStateRepository implements StateRepository {
  private readonly states = new Map<string, StageState>();

  constructor(private readonly db: MemoryDb) {}

  get(key: string): Promise<StageState | null> {
    return this.db.read(() => {
      const s = this.states.get(key);
      return s ? { key: s.key, formatVersion: s.formatVersion, data: new Uint8Array(s.data) } : null;
    });
  }

  write(tx: UnitOfWork, states: readonly StageState[]): Promise<void> {
    return this.db.write(tx, () => {
      for (const s of states) {
        if (!(s.data instanceof Uint8Array)) throw new TypeError('store: binary data expected');
        this.db.set(this.states, s.key, { key: s.key, formatVersion: s.formatVersion, data: new Uint8Array(s.data) });
      }
    });
  }
}

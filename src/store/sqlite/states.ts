import type { StageState, StateRepository } from '../states.js';
import type { UnitOfWork } from '../store.js';
import type { SqliteHost } from './host.js';

/** The SQLite StateRepository: table stage_state in the store's file. */
export class SqliteStateRepository implements StateRepository {
  constructor(private readonly host: SqliteHost) {}

  get(key: string): Promise<StageState | null> {
    return this.host.run(() => {
      const r = this.host.db.prepare<[string], { key: string; format_version: number; data: Buffer }>('SELECT key, format_version, data FROM stage_state WHERE key = ?').get(key);
      return r ? { key: r.key, formatVersion: r.format_version, data: new Uint8Array(r.data) } : null;
    });
  }

  write(tx: UnitOfWork, states: readonly StageState[]): Promise<void> {
    if (states.length === 0) return Promise.resolve();
    return this.host.write(tx, () => {
      const put = this.host.db.prepare(`INSERT INTO stage_state (key, format_version, data, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET format_version = excluded.format_version, data = excluded.data, updated_at = excluded.updated_at`);
      const now = new Date().toISOString();
      for (const s of states) put.run(s.key, s.formatVersion, Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength), now);
    });
  }
}

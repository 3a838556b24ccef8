import type { StageState, StateRepository } from '../states.js';
import type { UnitOfWork } from '../store.js';
import type { PgHost } from './host.js';
import { bytes } from './sql.js';

/** The PostgreSQL StateRepository: table stage_state in the store's database. */
export class PgStateRepository implements StateRepository {
  constructor(private readonly host: PgHost) {}

  get(key: string): Promise<StageState | null> {
    return this.host.run(async (sql) => {
      const [r] = await sql<{ key: string; format_version: number; data: Buffer }>('SELECT key, format_version, data FROM stage_state WHERE key = $1', [key]);
      return r ? { key: r.key, formatVersion: r.format_version, data: new Uint8Array(r.data) } : null;
    });
  }

  write(tx: UnitOfWork, states: readonly StageState[]): Promise<void> {
    if (states.length === 0) return Promise.resolve();
    return this.host.write(tx, async (sql) => {
      const now = new Date().toISOString();
      for (const s of states) {
        await sql(
          `INSERT INTO stage_state (key, format_version, data, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT(key) DO UPDATE SET format_version = excluded.format_version, data = excluded.data, updated_at = excluded.updated_at`,
          [s.key, s.formatVersion, bytes(s.data), now],
        );
      }
    });
  }
}

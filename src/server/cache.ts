import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { Store } from '../store/store.js';

/**
 * A response cache for read endpoints whose answer depends only on the store's content
 * (a story, a comparison, a list page). Entries are valid for one store change token: any
 * commit, from this process or another, empties the cache on the next read. Bodies are
 * kept serialised, so a hit costs a token check and a write.
 */
export class ResponseCache {
  private token = '';
  private readonly entries = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 2000,
  ) {}

  /**
   * The JSON of what `compute` returns, as `c.json(value, 200)` would send it; typed the same
   * way, so a route's handler is still checked against its contract.
   */
  async json<T>(c: Context, key: string, compute: () => Promise<T>): Promise<Response & TypedResponse<JSONParsed<T>, 200, 'json'>> {
    const token = await this.store.changeToken();
    if (token !== this.token) {
      this.entries.clear();
      this.token = token;
    }
    let body = this.entries.get(key);
    if (body === undefined) {
      body = JSON.stringify(await compute());
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, body);
    }
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body, 200) as unknown as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
  }
}

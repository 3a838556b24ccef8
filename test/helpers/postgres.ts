import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Fresh PostgreSQL databases for tests, on the server of PARALLAX_TEST_PG (default: the local
 * service, trust auth). Each test makes its own and drops it afterwards, so tests running in
 * parallel never see each other's rows.
 */
export const PG_SERVER = process.env['PARALLAX_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432';

function adminUrl(): string {
  const u = new URL(PG_SERVER);
  u.pathname = '/postgres';
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `parallax_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(PG_SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A URL of a database that does not exist yet (a store creates it on first write). */
export function newTestDatabaseUrl(): string {
  const u = new URL(PG_SERVER);
  u.pathname = `/parallax_test_${randomBytes(6).toString('hex')}`;
  return u.toString();
}

/** Drops a test database, closing whatever connections are left. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^parallax_test_[0-9a-f]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

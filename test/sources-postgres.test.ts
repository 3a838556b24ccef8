import { afterEach } from 'vitest';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { runSourceRepositoryConformance } from './conformance/sources.case.js';
import { createTestDatabase, dropTestDatabase } from './helpers/postgres.js';

// every test its own database, dropped after it
const made: string[] = [];
afterEach(async () => {
  for (const url of made.splice(0)) await dropTestDatabase(url);
});

runSourceRepositoryConformance('postgres', async () => {
  const url = await createTestDatabase();
  made.push(url);
  const store = PostgresStore.open({ url });
  return { repo: store.sources, close: () => store.close() };
});

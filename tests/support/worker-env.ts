import { inject, vi } from 'vitest';

/**
 * Points the code under test at its project's own database. Each Vitest project (tests/, and tests/fuzz with
 * a database of its own) starts a PostgreSQL in its global setup; those setups share one main process, so the
 * URLs reach each test worker through `inject`, not through the environment the workers inherit.
 */
const urls = inject('databaseUrls');
Object.assign(process.env, {
  DATABASE_URL: urls.app,
  DATABASE_PLATFORM_URL: urls.platform,
  DATABASE_OWNER_URL: urls.owner,
  DATABASE_WORKER_URL: urls.worker,
});
// Tests that look at log lines spy on the logger; the rest would only print them.
process.env.LOG_LEVEL ??= 'silent';

// Every module that reaches the database finds it configured, as the server configures it at start-up;
// without reading the environment here, which tests may still change before the code under test reads it.
const { configureDatabase } = await import('@/db/client');
configureDatabase({
  appUrl: urls.app,
  platformUrl: urls.platform,
  workerUrl: urls.worker,
  poolSize: 10,
  prepare: true,
});

// Outside a Next.js request `revalidatePath` throws; here it records which page an action asked to re-render
// (tests/integration/invitations.test.ts checks it).
vi.mock('next/cache', async (importOriginal) => ({
  ...(await importOriginal<typeof import('next/cache')>()),
  revalidatePath: vi.fn(),
}));

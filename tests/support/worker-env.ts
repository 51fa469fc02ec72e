import { inject } from 'vitest';

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
});

import { randomUUID } from 'node:crypto';
import { bootstrapServer, runMigrations } from '@/db/bootstrap';
import { urls } from './db';

export type DatabaseUrls = {
  app: string;
  platform: string;
  owner: string;
  worker: string;
  superuser: string;
};

const inDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/**
 * A database of its own on the project's PostgreSQL, migrated like the shared one and reached by the same
 * roles: for tests whose jobs, schedules or row counts must not mix with other files' (a worker process, a
 * clean-up, a transport made to fail). The roles keep their passwords: they are read from the shared URLs.
 * Without `migrate`, the database is left empty, for a test that applies the migrations itself.
 */
export async function createOwnDatabase(
  label: string,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<DatabaseUrls> {
  const shared = urls();
  const name = `tenantry_${label}_${randomUUID().slice(0, 8)}`;
  const password = (url: string) => decodeURIComponent(new URL(url).password);
  await bootstrapServer(shared.superuser, name, {
    owner: password(shared.owner),
    app: password(shared.app),
    platform: password(shared.platform),
    worker: password(shared.worker),
  });
  const own = {
    app: inDatabase(shared.app, name),
    platform: inDatabase(shared.platform, name),
    owner: inDatabase(shared.owner, name),
    worker: inDatabase(shared.worker, name),
    superuser: inDatabase(shared.superuser, name),
  };
  if (migrate) await runMigrations(own.owner);
  return own;
}

/**
 * Points this test file's process at `own` (call it before anything reads the configuration): the
 * environment the code under test reads, and the database layer's pools.
 */
export async function pointAtOwnDatabase(own: DatabaseUrls) {
  Object.assign(process.env, {
    DATABASE_URL: own.app,
    DATABASE_PLATFORM_URL: own.platform,
    DATABASE_OWNER_URL: own.owner,
    DATABASE_WORKER_URL: own.worker,
  });
  const { configureDatabase } = await import('@/db/client');
  configureDatabase({
    appUrl: own.app,
    platformUrl: own.platform,
    workerUrl: own.worker,
    poolSize: 4,
    prepare: true,
  });
}

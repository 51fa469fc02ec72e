import { assertRoleCannotBypassRls } from '../db/bootstrap';
import { ConfigError, getEnv } from '../lib/config/env';
import { skipNodeFetchUrlFallback } from './lean-start';
import { allowServerOnlyImports } from './server-bundle';

/**
 * `npm run worker`: the background process. It runs the jobs (mail, clean-ups) through pg-boss as the worker
 * role (DATABASE_WORKER_URL), tenant jobs through the runtime role inside `withTenant`, and the outbox
 * sweeper. On SIGTERM or SIGINT it stops fetching, lets the jobs in hand finish (up to 20 s; those still
 * running then are failed, so they are retried soon), stops the sweeper and closes its connections.
 * Started by `npm run dev` and the end-to-end server as a child, it also stops when that parent is gone.
 */

const STOP_TIMEOUT_MS = 20_000;

allowServerOnlyImports();
// Before the outbox sweeper loads pusher (see lean-start.ts).
skipNodeFetchUrlFallback();
const { closeDatabase } = await import('../db/client');
const { configureDatabaseFromEnv } = await import('../lib/config/database');
const { logger } = await import('../lib/log');
const { startJobWorker } = await import('../lib/jobs/worker');
const { startOutboxSweeper } = await import('../lib/realtime/sweeper');

async function start() {
  const env = getEnv();
  if (!env.databaseWorkerUrl) {
    throw new ConfigError([
      'DATABASE_WORKER_URL is missing: the worker runs pg-boss and the clean-ups as the tenantry_worker role (see README, "Jobs and the worker")',
    ]);
  }
  configureDatabaseFromEnv({ workerRole: true });
  await Promise.all([
    assertRoleCannotBypassRls(env.databaseUrl, 'runtime'),
    assertRoleCannotBypassRls(env.databasePlatformUrl, 'platform'),
    assertRoleCannotBypassRls(env.databaseWorkerUrl, 'worker'),
  ]);
  const jobs = await startJobWorker(env.databaseWorkerUrl);
  // Only with a realtime server to publish to; without one, events simply stay in the outbox.
  const sweeper = env.pusher
    ? startOutboxSweeper({ log: (message) => logger().warn(message) })
    : null;
  return async () => {
    await jobs.stop(STOP_TIMEOUT_MS);
    await sweeper?.stop();
    await closeDatabase();
  };
}

try {
  const stop = await start();
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    if (stopping) return;
    logger().info({ reason }, 'worker stopping');
    stopping = stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger().error({ err: error }, 'worker did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Spawned with an IPC channel (scripts/worker-process.ts): the channel closes when the parent dies, even
  // by SIGKILL, so the worker never outlives it.
  process.on('disconnect', () => shutdown('parent process gone'));
  logger().info('worker ready');
} catch (error) {
  if (error instanceof ConfigError)
    logger().fatal({ problems: error.problems }, 'Invalid configuration');
  else logger().fatal({ err: error }, 'worker could not start');
  process.exit(1);
}

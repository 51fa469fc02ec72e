import { reportDatabaseFailure } from '@/db/availability';
import { configureDatabase } from '@/db/client';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';

/**
 * Hands the database layer this process's settings (db/ reads no environment of its own). Only the worker
 * asks for the worker role (`withWorker`); the web server never opens it.
 */
export function configureDatabaseFromEnv(options: { workerRole?: boolean } = {}) {
  const env = getEnv();
  configureDatabase({
    appUrl: env.databaseUrl,
    platformUrl: env.databasePlatformUrl,
    workerUrl: options.workerRole ? env.databaseWorkerUrl : undefined,
    poolSize: env.databasePoolSize,
    prepare: env.databasePrepare,
    logger: logger(),
    // A failure to reach the database opens this process's circuit breaker (fail fast, see db/availability.ts).
    observer: { failed: reportDatabaseFailure },
  });
}

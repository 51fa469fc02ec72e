import { reportDatabaseFailure } from '@/db/availability';
import { configureDatabase } from '@/db/client';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';
import { databaseMetricsObserver } from '@/lib/observability/database-metrics';

/**
 * Hands the database layer this process's settings (db/ reads no environment of its own). Only the worker
 * asks for the worker role (`withWorker`); the web server never opens it.
 */
export function configureDatabaseFromEnv(options: { workerRole?: boolean } = {}) {
  const env = getEnv();
  const metrics = databaseMetricsObserver(env.databasePoolSize);
  configureDatabase({
    appUrl: env.databaseUrl,
    platformUrl: env.databasePlatformUrl,
    workerUrl: options.workerRole ? env.databaseWorkerUrl : undefined,
    poolSize: env.databasePoolSize,
    prepare: env.databasePrepare,
    logger: logger(),
    observer: {
      ...metrics,
      failed(error) {
        metrics.failed?.(error);
        // A failure to reach the database also opens this process's circuit breaker (db/availability.ts).
        reportDatabaseFailure(error);
      },
    },
  });
}

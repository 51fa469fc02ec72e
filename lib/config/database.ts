import { configureDatabase } from '@/db/client';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';
import { databaseMetricsObserver } from '@/lib/observability/database-metrics';

/** Hands the database layer this process's settings (db/ reads no environment of its own). */
export function configureDatabaseFromEnv() {
  const env = getEnv();
  configureDatabase({
    appUrl: env.databaseUrl,
    platformUrl: env.databasePlatformUrl,
    poolSize: env.databasePoolSize,
    prepare: env.databasePrepare,
    logger: logger(),
    observer: databaseMetricsObserver(env.databasePoolSize),
  });
}

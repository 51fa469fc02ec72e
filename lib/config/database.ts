import { reportDatabaseFailure } from '@/db/availability';
import { configureDatabase } from '@/db/client';
import { getEnv } from '@/lib/config/env';
import { logger } from '@/lib/log';

/** Hands the database layer this process's settings (db/ reads no environment of its own). */
export function configureDatabaseFromEnv() {
  const env = getEnv();
  configureDatabase({
    appUrl: env.databaseUrl,
    platformUrl: env.databasePlatformUrl,
    poolSize: env.databasePoolSize,
    prepare: env.databasePrepare,
    logger: logger(),
    // A failure to reach the database opens this process's circuit breaker (fail fast, see db/availability.ts).
    observer: { failed: reportDatabaseFailure },
  });
}

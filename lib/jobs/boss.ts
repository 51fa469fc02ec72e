import 'server-only';
import PgBoss from 'pg-boss';
import { logger } from '@/lib/log';

/**
 * pg-boss as the worker role. Its schema and queues come from migrations (db/migrations/0023, 0024), so it
 * starts with `migrate: false`: it only checks that the schema is the version it expects, and refuses to
 * start otherwise. Nothing it does at run time is DDL: the worker role may neither create tables nor call
 * pgboss.create_queue, which pg-boss's timekeeper tries once at start-up for its cron queue (already created
 * by the migration; pg-boss ignores the refusal).
 */
export function createBoss(
  connectionString: string,
  options: { schedule: boolean; supervise: boolean },
): PgBoss {
  const boss = new PgBoss({
    connectionString,
    application_name: 'tenantry-worker',
    // The work loops (lib/jobs/work-loop.ts) fetch, complete and fail on it, maintenance and cron beside.
    max: 4,
    migrate: false,
    schedule: options.schedule,
    supervise: options.supervise,
    // How often one worker expires jobs whose worker died (past their queue's expireInSeconds) so they are
    // retried, and archives old ones: each run is a few statements over pgboss.job.
    maintenanceIntervalSeconds: 30,
  });
  // pg-boss's errors carry the whole pg client (its parameters, its queues): only what an operator reads.
  boss.on('error', (error: Error & { code?: string }) =>
    logger().warn(
      { err: { type: error.name, message: error.message, code: error.code } },
      'pg-boss reported an error',
    ),
  );
  return boss;
}

import 'server-only';
import { logger } from '@/lib/log';
import { AUDIT_RETENTION_CRON } from './audit-retention';
import { createBoss } from './boss';
import { CLEANUP_CRON } from './cleanup';
import { JOB_LOOPS } from './definitions';
import { startWorkLoop } from './work-loop';

export type JobWorker = {
  /** Stops fetching, lets the jobs in hand finish (up to `timeoutMs`), then closes pg-boss's connections. */
  stop(timeoutMs: number): Promise<void>;
};

/**
 * pg-boss as the worker role, with a loop per kind of job (lib/jobs/definitions.ts), its maintenance
 * (expiring the jobs of dead workers, archiving) and its cron, which sends the clean-up every ten minutes and the audit retention purge daily.
 * Several workers may run at once: jobs are claimed with SKIP LOCKED, and maintenance and cron each run in
 * one of them per interval.
 */
export async function startJobWorker(workerUrl: string): Promise<JobWorker> {
  const boss = createBoss(workerUrl, { schedule: true, supervise: true });
  await boss.start();
  // An upsert of pgboss.schedule (no DDL): every worker states the same schedule at start-up.
  await boss.schedule('cleanup', CLEANUP_CRON);
  await boss.schedule('audit-retention', AUDIT_RETENTION_CRON);
  const loops = JOB_LOOPS.map(({ definition, batchSize, idleMs }) =>
    startWorkLoop(boss, definition, { batchSize, idleMs }),
  );
  logger().info({ queues: JOB_LOOPS.map((l) => l.definition.queue) }, 'job worker started');
  return {
    async stop(timeoutMs) {
      await Promise.all(loops.map((loop) => loop.stop(timeoutMs)));
      await boss.stop({ graceful: true, wait: true, timeout: 1_000 });
    },
  };
}

import 'server-only';
import { sql } from 'drizzle-orm';
import { withWorker } from '@/db/with-worker';
import { logger } from '@/lib/log';
import type { JobDefinition } from './definition';

/** Daily, at 03:17 UTC: off the hour that other schedules and other people's cron jobs crowd. */
export const AUDIT_RETENTION_CRON = '17 3 * * *';

/**
 * Each call of the purge function is its own short transaction holding at most this many row locks; a run
 * stops after MAX_BATCHES and the next day's run carries on, so a first run over years of backlog (a
 * retention just shortened) cannot hold the worker for long.
 */
const BATCH_ROWS = 1_000;
const MAX_BATCHES = 500;

/**
 * Deletes audit entries older than their organization's retention (tenants.audit_retention_days: 90 or 365
 * days, null keeps them forever). The trail is append-only for every role; the only way past that is the
 * SECURITY DEFINER function `purge_expired_audit_events` (db/migrations/0040), which only the worker role may
 * run. Idempotent: a second run finds nothing more to delete. Returns how many entries went.
 */
export async function purgeExpiredAuditEvents({
  batchRows = BATCH_ROWS,
  maxBatches = MAX_BATCHES,
} = {}): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const [row] = await withWorker('audit-retention', (tx) =>
      tx.execute<{ deleted: number }>(
        sql`select public.purge_expired_audit_events(${batchRows}::int) as deleted`,
      ),
    );
    const count = Number(row?.deleted ?? 0);
    deleted += count;
    if (count < batchRows) break;
  }
  logger().info({ deleted }, 'audit retention purge done');
  return deleted;
}

/** The scheduled job: it carries no data. */
export const auditRetentionJob: JobDefinition = {
  queue: 'audit-retention',
  run: async () => {
    await purgeExpiredAuditEvents();
  },
};

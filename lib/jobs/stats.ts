import 'server-only';
import { sql } from 'drizzle-orm';
import { withPlatform } from '@/db/with-platform';

export type QueueStat = {
  queue: string;
  /** Waiting to run: new, or failed and waiting for its retry. */
  queued: number;
  /** Claimed by a worker right now. */
  active: number;
  /** Failed for good and not yet archived (pg-boss archives finished jobs after 12 hours). */
  failed: number;
  /** How long the longest-waiting job that is due has waited; 0 when none is due. */
  oldestQueuedSeconds: number;
};

/**
 * Per queue, for /api/ready and /api/metrics. Through the platform role, which may not read jobs: the
 * tenantry_queue_stats() function (db/migrations/0027), owned by the owner role, returns the counts only.
 */
export async function getQueueStats(): Promise<QueueStat[]> {
  const rows = await withPlatform('queue-stats', (tx) =>
    tx.execute<{
      queue: string;
      queued: string;
      active: string;
      failed: string;
      oldest_queued_seconds: number;
    }>(
      sql`select queue, queued, active, failed, oldest_queued_seconds from tenantry_queue_stats()`,
    ),
  );
  return rows.map((r) => ({
    queue: r.queue,
    queued: Number(r.queued),
    active: Number(r.active),
    failed: Number(r.failed),
    oldestQueuedSeconds: Number(r.oldest_queued_seconds),
  }));
}

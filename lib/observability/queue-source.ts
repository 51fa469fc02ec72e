/** One queue's state, as the job queue reports it (lib/jobs/stats.ts). */
export type QueueStat = {
  queue: string;
  queued: number;
  active: number;
  failed: number;
  /** How long the oldest job that is due has been waiting for a worker. */
  oldestQueuedSeconds: number;
};

export type QueueStatsSource = () => Promise<QueueStat[]>;

/**
 * Where /api/metrics and /api/ready read the job queue from: the queue's `getQueueStats`, or null in a build
 * without a job queue, where both leave the queue out.
 */
export const queueStatsSource: QueueStatsSource | null = null;

import { getQueueStats, type QueueStat } from '@/lib/jobs/stats';

export type { QueueStat };
export type QueueStatsSource = () => Promise<QueueStat[]>;

/**
 * Where /api/metrics and /api/ready read the job queue from. Null would leave the queue out of both (a build
 * without a job queue); tests pass sources of their own to the checks.
 */
export const queueStatsSource: QueueStatsSource | null = getQueueStats;

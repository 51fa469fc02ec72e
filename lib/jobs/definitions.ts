import 'server-only';
import { mailJob } from '@/lib/mail/mail-job';
import { auditRetentionJob } from './audit-retention';
import { cleanupJob } from './cleanup';
import type { JobDefinition } from './definition';

/**
 * Every kind of job the worker runs, with how its loop fetches. `batchSize` jobs run side by side; an idle
 * loop looks again after `idleMs`.
 * - Mail every half second, so a message leaves about as fast as the old in-request send did: two indexed
 *   queries a second on an empty partition, a fraction of a millisecond each, per worker process.
 * - Clean-ups come from a ten-minute schedule: ten seconds late is nothing; the audit purge, from a daily one.
 */
export const JOB_LOOPS: { definition: JobDefinition; batchSize: number; idleMs: number }[] = [
  { definition: mailJob, batchSize: 5, idleMs: 500 },
  { definition: cleanupJob, batchSize: 1, idleMs: 10_000 },
  { definition: auditRetentionJob, batchSize: 1, idleMs: 60_000 },
];

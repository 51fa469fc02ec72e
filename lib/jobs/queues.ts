/**
 * Every queue the app uses, with the settings its migration created it with (db/migrations/0024): pg-boss 10
 * creates a queue as a partition table, which only the owner role may do, so a new queue or a changed setting
 * is a migration. tests/integration/jobs-schema.test.ts compares this table with `pgboss.queue`.
 *
 * pg-boss copies a queue's settings onto each job when it is sent. A failed attempt is retried after
 * `retryDelay` seconds, doubled at each attempt with jitter when `retryBackoff` (delay × 2^n / 2 × (1 + random)).
 * A job still active `expireInSeconds` after it started is failed by maintenance and retried: that is how a
 * job whose worker died comes back, and the bound on how long a handler may run.
 */
export const QUEUES = {
  /**
   * One outgoing message (lib/mail/mail-job.ts). Six attempts over roughly 15 to 30 minutes: longer than a
   * short SMTP outage, shorter than the hour a reset link lives. SMTP waits at most 10 + 10 + 30 s
   * (lib/mail/transport.ts), within the 60 s that also bring a killed worker's message back.
   */
  mail: {
    name: 'mail',
    policy: 'standard',
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 60,
  },
  /** The scheduled clean-ups (lib/jobs/cleanup.ts): no retry, the next run comes ten minutes later anyway. */
  cleanup: {
    name: 'cleanup',
    policy: 'standard',
    retryLimit: 0,
    retryDelay: 0,
    retryBackoff: false,
    expireInSeconds: 600,
  },
  /**
   * The daily audit retention purge (lib/jobs/audit-retention.ts): a failed run is tried twice more, an hour
   * apart, before the next day's run; it is idempotent, so a retry that overlaps a success costs nothing.
   */
  auditRetention: {
    name: 'audit-retention',
    policy: 'standard',
    retryLimit: 2,
    retryDelay: 3600,
    retryBackoff: false,
    expireInSeconds: 900,
  },
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]['name'];

/** pg-boss's own queue for cron: its timekeeper sends each scheduled job through it. */
export const SCHEDULE_QUEUE = '__pgboss__send-it';

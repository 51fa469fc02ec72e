import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { pgPolicy } from 'drizzle-orm/pg-core';
import { workerRole } from './roles';

/**
 * How long a row stays once it is dead (a token used or expired, a session ended, a message sent) before the
 * worker's scheduled clean-up (lib/jobs/cleanup.ts) deletes it. Each is written into a policy TO
 * tenantry_worker, which is the only definition of "dead" there is: the worker role sees and deletes exactly
 * those rows and can never read a live one, so the clean-up code names no condition of its own.
 */
export const RETENTION = {
  /** Tokens (email links, handoffs, two-factor challenges): a day, to answer "my link said expired". */
  deadTokens: '1 day',
  /** Ended sessions: a week of "where was I signed in" for support; the audit trail keeps the revocations. */
  endedSessions: '7 days',
  /**
   * Published realtime events. Nothing reads a published event today: a reconnecting tab refetches what it
   * shows. The replay the architecture plans (a tab asks for what it missed by sequence, and refetches only
   * when the gap is older than the outbox keeps) is worth it for short gaps, a network switch or a laptop
   * closed overnight; a day covers those, and beyond it a refetch is the cheaper answer anyway.
   */
  publishedOutboxEvents: '24 hours',
  /** Outgoing mail (its body is erased once sent or given up on): a month of "did my mail go out". */
  outgoingMail: '30 days',
} as const;

/** `time` lies more than `period` (one of RETENTION's) in the past. */
export const olderThan = (time: SQLWrapper, period: string) =>
  sql`${time} < now() - ${sql.raw(`interval '${period}'`)}`;

/** The worker role's view of a table: only rows for which `dead` holds, to read (their keys) and delete. */
export const deadRowsForWorker = (table: string, dead: SQL) => [
  pgPolicy(`${table}_worker_select_dead`, { for: 'select', to: workerRole, using: dead }),
  pgPolicy(`${table}_worker_delete_dead`, { for: 'delete', to: workerRole, using: dead }),
];

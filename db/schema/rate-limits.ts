import { sql } from 'drizzle-orm';
import { integer, pgPolicy, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { deadRowsForWorker } from './retention';
import { platformRole } from './roles';

/**
 * Fixed-window counters shared by every app process; keys name the limit and the IP or account. Counted
 * through the platform role only (lib/rate-limit), whatever tenant the request is for.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    pgPolicy('rate_limits_platform', {
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
    // A window that has ended counts nothing: the next attempt starts a new one, row or no row.
    ...deadRowsForWorker('rate_limits', sql`${t.expiresAt} < now()`),
  ],
);

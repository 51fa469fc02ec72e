import { sql } from 'drizzle-orm';
import { integer, pgPolicy, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { appRole, platformRole } from './roles';

/** Fixed-window counters shared by every app process; keys name the limit and the IP or account. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  () => [
    pgPolicy('rate_limits_app', {
      for: 'all',
      to: appRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
    pgPolicy('rate_limits_platform', {
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
);

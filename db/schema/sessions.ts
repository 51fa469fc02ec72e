import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns';
import { memberships } from './memberships';
import { deadRowsForWorker, olderThan, RETENTION } from './retention';
import { appRole, currentUserId, platformRole, tenantIsolationPolicy } from './roles';

/** One row per signed-in browser, for one user in one tenant; the JWT only carries its id. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('sessions_tenant_user_idx').on(t.tenantId, t.userId),
    // Removing a membership ends its sessions with it.
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete('cascade'),
    tenantIsolationPolicy('sessions', t.tenantId),
    // A user sees and ends their own sessions in every organization (the sessions page); app.user_id comes
    // from the verified session, never from input.
    pgPolicy('sessions_app_own_select', {
      for: 'select',
      to: appRole,
      using: sql`${t.userId} = ${currentUserId}`,
    }),
    pgPolicy('sessions_app_own_update', {
      for: 'update',
      to: appRole,
      using: sql`${t.userId} = ${currentUserId}`,
      withCheck: sql`${t.userId} = ${currentUserId}`,
    }),
    // A password reset ends the user's sessions in every organization, which no tenant context can reach.
    // Column grants limit this to reading ids and setting revoked_at.
    pgPolicy('sessions_platform_revoke_select', {
      for: 'select',
      to: platformRole,
      using: sql`true`,
    }),
    pgPolicy('sessions_platform_revoke_update', {
      for: 'update',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
    // Ended when revoked or when it expired, whichever came first (least() skips nulls).
    ...deadRowsForWorker(
      'sessions',
      olderThan(sql`least(${t.revokedAt}, ${t.expiresAt})`, RETENTION.endedSessions),
    ),
  ],
);

export type Session = typeof sessions.$inferSelect;

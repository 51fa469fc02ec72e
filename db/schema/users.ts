import { sql } from 'drizzle-orm';
import {
  check,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { appRole, currentTenantId, currentUserId, platformRole } from './roles';

/**
 * A deleted account keeps its row (an id for the audit trail, shown as "deleted user") but loses its name,
 * email and password: see lib/account/delete-account.ts.
 */
export const userStatuses = ['active', 'disabled', 'deleted'] as const;

/** One global identity, many organizations; visible to a tenant only through a membership. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    status: text('status', { enum: userStatuses }).notNull().default('active'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    check('users_status_valid', sql`${t.status} in ('active', 'disabled', 'deleted')`),
    pgPolicy('users_app_visible', {
      for: 'select',
      to: appRole,
      using: sql`${t.id} = ${currentUserId} or exists (
        select 1 from memberships m where m.user_id = ${t.id} and m.tenant_id = ${currentTenantId}
      )`,
    }),
    pgPolicy('users_app_update_self', {
      for: 'update',
      to: appRole,
      using: sql`${t.id} = ${currentUserId}`,
      withCheck: sql`${t.id} = ${currentUserId}`,
    }),
    // Sign-up must find an existing identity by email, whichever organizations it belongs to.
    pgPolicy('users_platform_select', { for: 'select', to: platformRole, using: sql`true` }),
    pgPolicy('users_platform_insert', { for: 'insert', to: platformRole, withCheck: sql`true` }),
  ],
);

export type User = typeof users.$inferSelect;

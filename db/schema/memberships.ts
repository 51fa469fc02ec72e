import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId, updatedAt } from './columns';
import {
  appRole,
  currentUserId,
  platformRole,
  tenantCreatedInThisTransaction,
  tenantIsolationPolicy,
} from './roles';
import { tenants } from './tenants';
import { users } from './users';

export const roles = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof roles)[number];
/**
 * Removal is a status, not a deleted row: what the person created keeps their name, shown as a former member,
 * and a removed member can be invited back. Only `active` members can sign in (db/statements/session-check.ts).
 */
export const membershipStatuses = ['active', 'deactivated', 'removed'] as const;
export type MembershipStatus = (typeof membershipStatuses)[number];

export const memberships = pgTable(
  'memberships',
  {
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: roles }).notNull(),
    status: text('status', { enum: membershipStatuses }).notNull().default('active'),
    // Optimistic concurrency for role and status changes: a stale version is a 409, never an overwrite.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    check('memberships_role_valid', sql`${t.role} in ('owner', 'admin', 'member', 'viewer')`),
    check('memberships_status_valid', sql`${t.status} in ('active', 'deactivated', 'removed')`),
    tenantIsolationPolicy('memberships', t.tenantId),
    // A user's own memberships, to name their organizations (sessions page, organization switcher).
    pgPolicy('memberships_app_own_select', {
      for: 'select',
      to: appRole,
      using: sql`${t.userId} = ${currentUserId}`,
    }),
    // "Find my organizations" on the root host lists where an address is a member, before anyone has
    // signed in anywhere (lib/my-organizations/find.ts); column grants limit it to tenant, user and status.
    pgPolicy('memberships_platform_find_select', {
      for: 'select',
      to: platformRole,
      using: sql`true`,
    }),
    // Sign-up creates the first (owner) membership of a tenant that has no context yet.
    pgPolicy('memberships_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
  ],
);

export type Membership = typeof memberships.$inferSelect;

import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns';
import { memberships, roles } from './memberships';
import { deadRowsForWorker, olderThan } from './retention';
import { tenantIsolationPolicy } from './roles';
import { tenants } from './tenants';

/**
 * `expired` is written only when a new invitation replaces a pending one that ran out, so the partial unique
 * key (one pending invitation per address) stays free for it; a pending row past `expires_at` is expired too.
 */
export const invitationStatuses = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];

/**
 * An invitation to join an organization with a role, for one email address. Its link is a single-use token
 * (single_use_tokens, purpose `invitation`, subject_id = this id): resending issues a new token and retires
 * the old one; revoking retires it. lib/invitations is the only writer.
 */
export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId(),
    id: id(),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    invitedBy: uuid('invited_by').notNull(),
    status: text('status', { enum: invitationStatuses }).notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull().defaultNow(),
    sendCount: integer('send_count').notNull().default(1),
    acceptedBy: uuid('accepted_by'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    // Optimistic concurrency for resend and revoke: a stale version is a 409, never a second action.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // At most one live invitation per address; accepted, revoked and expired ones are history.
    uniqueIndex('invitations_pending_email_key')
      .on(t.tenantId, t.email)
      .where(sql`${t.status} = 'pending'`),
    // The settings list, newest first (keyset pagination).
    index('invitations_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // Memberships are never deleted (removal is a status), so these keep naming the people involved.
    foreignKey({
      columns: [t.tenantId, t.invitedBy],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }),
    foreignKey({
      columns: [t.tenantId, t.acceptedBy],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }),
    foreignKey({
      columns: [t.tenantId, t.revokedBy],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }),
    check('invitations_email_lowercase', sql`${t.email} = lower(${t.email})`),
    check('invitations_role_valid', sql`${t.role} in ('owner', 'admin', 'member', 'viewer')`),
    check(
      'invitations_status_valid',
      sql`${t.status} in ('pending', 'accepted', 'revoked', 'expired')`,
    ),
    check('invitations_send_count_positive', sql`${t.sendCount} >= 1`),
    tenantIsolationPolicy('invitations', t.tenantId),
  ],
);

export type Invitation = typeof invitations.$inferSelect;

/**
 * Each invitation mail sent, first or resent: the organization's daily cap and the per-invitation resend
 * limit are counted here, in the database, so every app process sees the same count. A send older than two
 * days counts towards nothing and the worker's clean-up deletes it.
 */
export const invitationSends = pgTable(
  'invitation_sends',
  {
    tenantId: tenantId(),
    id: id(),
    invitationId: uuid('invitation_id').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('invitation_sends_tenant_sent_idx').on(t.tenantId, t.sentAt),
    index('invitation_sends_invitation_idx').on(t.tenantId, t.invitationId, t.sentAt),
    foreignKey({
      columns: [t.tenantId, t.invitationId],
      foreignColumns: [invitations.tenantId, invitations.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy('invitation_sends', t.tenantId),
    ...deadRowsForWorker('invitation_sends', olderThan(t.sentAt, '2 days')),
  ],
);

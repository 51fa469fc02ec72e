import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './columns';
import { memberships } from './memberships';
import { deadRowsForWorker, olderThan, RETENTION } from './retention';
import { platformRole, tenantCreatedInThisTransaction, tenantIsolationPolicy } from './roles';

export const emailTokenPurposes = [
  'verify_email',
  'reset_password',
  'unlock_account',
  'change_email',
] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];

/**
 * Single-use tokens sent by email (verification, password reset). Each belongs to the tenant whose host the
 * link opens, so under RLS a link works only there; only a SHA-256 of the token is stored.
 */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tenantId: tenantId(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull(),
    purpose: text('purpose', { enum: emailTokenPurposes }).notNull(),
    // For change_email: the address being confirmed, which the link was sent to.
    newEmail: text('new_email'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.tokenHash] }),
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete('cascade'),
    check(
      'email_tokens_purpose_valid',
      sql`${t.purpose} in ('verify_email', 'reset_password', 'unlock_account', 'change_email')`,
    ),
    tenantIsolationPolicy('email_tokens', t.tenantId),
    // Sign-up sends the first verification link before any tenant context exists.
    pgPolicy('email_tokens_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
    // least() skips nulls: dead since it was used or since it expired, whichever came first.
    ...deadRowsForWorker(
      'email_tokens',
      olderThan(sql`least(${t.usedAt}, ${t.expiresAt})`, RETENTION.deadTokens),
    ),
  ],
);

import { sql } from 'drizzle-orm';
import {
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

/**
 * Single-use, short-lived sign-in tokens that carry a sign-in from one host to a tenant host (sign-up on the
 * root, password sign-in). Only a SHA-256 of the token is stored; under RLS a token is redeemable only on
 * the host of the tenant it was issued for.
 */
export const handoffTokens = pgTable(
  'handoff_tokens',
  {
    tenantId: tenantId(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull(),
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
    tenantIsolationPolicy('handoff_tokens', t.tenantId),
    pgPolicy('handoff_tokens_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
    ...deadRowsForWorker(
      'handoff_tokens',
      olderThan(sql`least(${t.usedAt}, ${t.expiresAt})`, RETENTION.deadTokens),
    ),
  ],
);

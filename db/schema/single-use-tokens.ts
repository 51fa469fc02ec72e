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
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './columns';
import { memberships } from './memberships';
import { deadRowsForWorker, olderThan, RETENTION } from './retention';
import { platformRole, tenantCreatedInThisTransaction, tenantIsolationPolicy } from './roles';
import { tenants } from './tenants';

/**
 * Every kind of single-use token, in one table with one column set: emailed links (verification, password
 * reset, unlock, email change), handoffs between hosts, the second step of a sign-in, invitations and
 * joining by an allowed domain. lib/tokens/single-use.ts is the one module that issues, finds and redeems
 * them.
 *
 * - Bound to a host: each token belongs to the tenant whose host redeems it, so under RLS it exists nowhere
 *   else.
 * - Only a SHA-256 of the token is stored; the raw token leaves once, in a link or a redirect.
 * - Single use: redemption is one atomic update of `used_at`.
 */
export const tokenPurposes = [
  'verify_email',
  'reset_password',
  'unlock_account',
  'change_email',
  'handoff',
  'two_factor_challenge',
  'invitation',
  'join_domain',
] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

export const singleUseTokens = pgTable(
  'single_use_tokens',
  {
    tenantId: tenantId(),
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose', { enum: tokenPurposes }).notNull(),
    // The member it acts for; null while there is no member yet (an invitation, joining by domain).
    userId: uuid('user_id'),
    // The address it was sent to, where that is what it proves: a new email, an invitation, a join.
    email: text('email'),
    // What it is about, e.g. the invitation it accepts.
    subjectId: uuid('subject_id'),
    // A handoff made from a signed-in session (switching organizations, a renamed subdomain): redeemed only
    // while that session is still live.
    sourceSessionId: uuid('source_session_id'),
    // Wrong codes against a sign-in challenge.
    failedAttempts: integer('failed_attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.tokenHash] }),
    index('single_use_tokens_user_idx').on(t.tenantId, t.userId, t.purpose),
    index('single_use_tokens_subject_idx').on(t.tenantId, t.subjectId),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // MATCH SIMPLE: a token with no user yet points at no membership.
    foreignKey({
      columns: [t.tenantId, t.userId],
      foreignColumns: [memberships.tenantId, memberships.userId],
    }).onDelete('cascade'),
    check(
      'single_use_tokens_purpose_valid',
      sql`${t.purpose} in ('verify_email', 'reset_password', 'unlock_account', 'change_email', 'handoff', 'two_factor_challenge', 'invitation', 'join_domain')`,
    ),
    check('single_use_tokens_email_lowercase', sql`${t.email} = lower(${t.email})`),
    tenantIsolationPolicy('single_use_tokens', t.tenantId),
    // Sign-up issues the first tokens of a tenant before any tenant context exists.
    pgPolicy('single_use_tokens_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
    // Joining by an allowed domain starts from someone who is no member, so on the platform path: only a
    // join token, only for an address at one of the organization's allowed domains.
    pgPolicy('single_use_tokens_platform_join_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: sql`${t.purpose} = 'join_domain' and ${t.userId} is null and exists (
        select 1 from tenants d
        where d.id = ${t.tenantId} and split_part(${t.email}, '@', 2) = any (d.allowed_email_domains)
      )`,
    }),
    pgPolicy('single_use_tokens_platform_join_select', {
      for: 'select',
      to: platformRole,
      using: sql`${t.purpose} = 'join_domain'`,
    }),
    pgPolicy('single_use_tokens_platform_join_update', {
      for: 'update',
      to: platformRole,
      using: sql`${t.purpose} = 'join_domain'`,
      withCheck: sql`${t.purpose} = 'join_domain'`,
    }),
    // least() skips nulls: dead since it was used or since it expired, whichever came first.
    ...deadRowsForWorker(
      'single_use_tokens',
      olderThan(sql`least(${t.usedAt}, ${t.expiresAt})`, RETENTION.deadTokens),
    ),
  ],
);

export type SingleUseToken = typeof singleUseTokens.$inferSelect;

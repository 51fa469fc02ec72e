import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { appRole, currentUserId, platformRole } from './roles';
import { users } from './users';

/**
 * A user's authenticator (TOTP), shared by every organization they belong to, like their password. Secrets
 * are sealed with a key derived from AUTH_SECRET (lib/two-factor/secret-box.ts). Only the user themselves
 * reaches the row, so no other member's tenant context can read even the sealed secret.
 */
export const userTwoFactor = pgTable(
  'user_two_factor',
  {
    userId: uuid('user_id').notNull(),
    secretSealed: text('secret_sealed'),
    enabledAt: timestamp('enabled_at', { withTimezone: true }),
    // An enrollment in progress: its secret counts only once a code from it is confirmed.
    pendingSecretSealed: text('pending_secret_sealed'),
    pendingCreatedAt: timestamp('pending_created_at', { withTimezone: true }),
    // The last TOTP time step accepted: a code of that step or an earlier one is a replay.
    lastUsedStep: bigint('last_used_step', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    pgPolicy('user_two_factor_app_own', {
      for: 'all',
      to: appRole,
      using: sql`${t.userId} = ${currentUserId}`,
      withCheck: sql`${t.userId} = ${currentUserId}`,
    }),
    // Sign-up with an existing account must know whether it needs a second factor; column grants limit
    // the platform role to user_id and enabled_at (never a secret).
    pgPolicy('user_two_factor_platform_select', {
      for: 'select',
      to: platformRole,
      using: sql`true`,
    }),
  ],
);

/** Single-use recovery codes; only a keyed hash of each is stored. */
export const twoFactorRecoveryCodes = pgTable(
  'two_factor_recovery_codes',
  {
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.codeHash] }),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
    pgPolicy('two_factor_recovery_codes_app_own', {
      for: 'all',
      to: appRole,
      using: sql`${t.userId} = ${currentUserId}`,
      withCheck: sql`${t.userId} = ${currentUserId}`,
    }),
  ],
);

export type UserTwoFactor = typeof userTwoFactor.$inferSelect;

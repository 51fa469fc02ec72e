'use server';

import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Transaction } from '@/db/client';
import { tenants } from '@/db/schema';
import { assertCurrentPassword } from '@/lib/account/current-password';
import { tenantAction } from '@/lib/actions/tenant-action';
import { AppError } from '@/lib/errors/app-error';
import { sessionsWithoutTwoFactor } from '@/lib/members/sessions';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { qrCodeDataUrl } from './qr';
import {
  beginEnrollment,
  confirmEnrollment,
  hasTwoFactor,
  removeTwoFactor,
  replaceRecoveryCodes,
  spendSecondFactor,
} from './store';
import { totpKeyUri } from './totp';

const ISSUER = 'Tenantry';

const passwordField = z.string().min(1, 'Enter your current password.').max(256);

/**
 * A new secret for the authenticator app, as a QR code drawn here and as text for manual entry. The password
 * is required: a stolen session must not put its own authenticator on the account and lock the owner out.
 */
export const startTwoFactorSetup = tenantAction(
  { schema: z.object({ password: passwordField }), permission: 'account:manage' },
  async ({ password }, { tx, member }) => {
    await consumeRateLimit(LIMITS.twoFactorManagePerUser, member.userId);
    await assertCurrentPassword(tx, member, password, { purpose: 'two_factor_setup' });
    const secret = await beginEnrollment(tx, member.userId);
    const qrCode = await qrCodeDataUrl(totpKeyUri(secret, ISSUER, member.email));
    return {
      data: { secret, qrCode },
      audit: { action: 'two_factor.setup_started', targetType: 'user', targetId: member.userId },
    };
  },
);

const codeSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code your authenticator app shows.'));

/** Turns two-factor sign-in on with a current code, and returns the recovery codes to show once. */
export const confirmTwoFactorSetup = tenantAction(
  { schema: z.object({ code: codeSchema }), permission: 'account:manage' },
  async ({ code }, { tx, member }) => {
    const recoveryCodes = await confirmEnrollment(tx, member.userId, code);
    return {
      data: { recoveryCodes },
      audit: { action: 'two_factor.enabled', targetType: 'user', targetId: member.userId },
    };
  },
);

async function requireTwoFactorOn(tx: Transaction, userId: string) {
  if (!(await hasTwoFactor(tx, userId))) {
    throw new AppError('conflict', 'Two-factor authentication is not on for your account.');
  }
}

/** New recovery codes (the password required); every earlier code stops working. */
export const regenerateRecoveryCodes = tenantAction(
  { schema: z.object({ password: passwordField }), permission: 'account:manage' },
  async ({ password }, { tx, member }) => {
    await consumeRateLimit(LIMITS.twoFactorManagePerUser, member.userId);
    await requireTwoFactorOn(tx, member.userId);
    await assertCurrentPassword(tx, member, password, { purpose: 'recovery_codes' });
    const recoveryCodes = await replaceRecoveryCodes(tx, member.userId);
    return {
      data: { recoveryCodes },
      audit: {
        action: 'two_factor.recovery_codes_regenerated',
        targetType: 'user',
        targetId: member.userId,
      },
    };
  },
);

/** Turns two-factor sign-in off: the password and a current code (or a recovery code) required. */
export const disableTwoFactor = tenantAction(
  {
    schema: z.object({
      password: passwordField,
      code: z.string().trim().min(1, 'Enter a code from your authenticator app.').max(32),
    }),
    permission: 'account:manage',
  },
  async ({ password, code }, { tx, member }) => {
    await consumeRateLimit(LIMITS.twoFactorManagePerUser, member.userId);
    await requireTwoFactorOn(tx, member.userId);
    await assertCurrentPassword(tx, member, password, { purpose: 'two_factor_disable' });
    const factor = await spendSecondFactor(tx, member.userId, code);
    if (!factor) {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: {
          code: 'This code is not valid. Enter the current code from your app, or an unused recovery code.',
        },
      });
    }
    await removeTwoFactor(tx, member.userId);
    return {
      data: { done: true as const },
      audit: {
        action: 'two_factor.disabled',
        targetType: 'user',
        targetId: member.userId,
        metadata: { factor },
      },
    };
  },
);

/**
 * Owners require (or stop requiring) two-factor sign-in for every member. An owner without it cannot turn
 * the requirement on, so nobody turns it on without knowing what members will be asked to do.
 */
export const setTwoFactorRequirement = tenantAction(
  { schema: z.object({ required: z.boolean() }), permission: 'organization:manage' },
  async ({ required }, { tx, member }) => {
    if (required && !member.twoFactorEnabled) {
      throw new AppError(
        'invalid',
        'Turn on two-factor authentication for your own account first, then require it for everyone.',
      );
    }
    await tx
      .update(tenants)
      .set({ requireTwoFactor: required, updatedAt: sql`now()` })
      .where(eq(tenants.id, member.tenant.id));
    // Members without it keep their sessions (they are sent to set it up), but not their live updates.
    const unprotected = required ? await sessionsWithoutTwoFactor(tx, member.tenant.id) : [];
    return {
      data: { required },
      afterCommit: () => disconnectSessions(unprotected),
      audit: {
        action: 'organization.two_factor_requirement_changed',
        targetType: 'tenant',
        targetId: member.tenant.id,
        before: { requireTwoFactor: member.tenant.requireTwoFactor },
        after: { requireTwoFactor: required },
      },
    };
  },
);

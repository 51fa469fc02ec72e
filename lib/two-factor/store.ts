import 'server-only';
import { and, count, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { twoFactorRecoveryCodes, userTwoFactor } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import { openSecret, sealSecret } from './secret-box';
import { generateTotpSecret, isTotpCode, matchTotpStep } from './totp';

/*
 * Every function here runs in a transaction whose app.user_id is the user concerned: the tables' own-row
 * policies let nobody else reach them.
 */

/** An enrollment must be confirmed within this time, so an abandoned QR code stops being worth anything. */
const PENDING_MINUTES = 30;

export type TwoFactorStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
};

export async function getTwoFactorStatus(
  tx: Transaction,
  userId: string,
): Promise<TwoFactorStatus> {
  const [row] = await tx
    .select({ enabledAt: userTwoFactor.enabledAt })
    .from(userTwoFactor)
    .where(eq(userTwoFactor.userId, userId));
  const [left] = await tx
    .select({ n: count() })
    .from(twoFactorRecoveryCodes)
    .where(and(eq(twoFactorRecoveryCodes.userId, userId), isNull(twoFactorRecoveryCodes.usedAt)));
  return {
    enabled: Boolean(row?.enabledAt),
    enabledAt: row?.enabledAt ?? null,
    recoveryCodesLeft: row?.enabledAt ? (left?.n ?? 0) : 0,
  };
}

/** Starts (or restarts) an enrollment with a fresh secret; the one already confirmed, if any, is refused. */
export async function beginEnrollment(tx: Transaction, userId: string): Promise<string> {
  const secret = generateTotpSecret();
  const pending = { pendingSecretSealed: sealSecret(secret, userId), pendingCreatedAt: sql`now()` };
  const [row] = await tx
    .insert(userTwoFactor)
    .values({ userId, ...pending })
    .onConflictDoUpdate({
      target: userTwoFactor.userId,
      set: { ...pending, updatedAt: sql`now()` },
      where: isNull(userTwoFactor.enabledAt),
    })
    .returning({ userId: userTwoFactor.userId });
  if (!row) {
    throw new AppError(
      'conflict',
      'Two-factor authentication is already on. Turn it off first to set up another authenticator.',
    );
  }
  return secret;
}

const invalidCode = (message: string) =>
  new AppError('invalid', 'Please correct the highlighted fields.', {
    fieldErrors: { code: message },
  });

/** Turns 2FA on once a code from the pending secret checks out, and returns the first recovery codes. */
export async function confirmEnrollment(
  tx: Transaction,
  userId: string,
  code: string,
): Promise<string[]> {
  const [row] = await tx
    .select({
      sealed: userTwoFactor.pendingSecretSealed,
      fresh: sql<boolean>`${userTwoFactor.pendingCreatedAt} > now() - make_interval(mins => ${PENDING_MINUTES})`,
      enabledAt: userTwoFactor.enabledAt,
    })
    .from(userTwoFactor)
    .where(eq(userTwoFactor.userId, userId))
    .for('update');
  if (row?.enabledAt) throw new AppError('conflict', 'Two-factor authentication is already on.');
  const secret = row?.sealed && row.fresh ? openSecret(row.sealed, userId) : null;
  if (!secret) {
    throw invalidCode('This setup has expired. Start again to get a new QR code.');
  }
  const step = matchTotpStep(secret, code, null);
  if (step === null) {
    throw invalidCode(
      'This code is not valid. Enter the current 6-digit code from your authenticator app.',
    );
  }
  await tx
    .update(userTwoFactor)
    .set({
      secretSealed: row!.sealed,
      enabledAt: sql`now()`,
      pendingSecretSealed: null,
      pendingCreatedAt: null,
      // The confirming code is spent like any other.
      lastUsedStep: step,
      updatedAt: sql`now()`,
    })
    .where(eq(userTwoFactor.userId, userId));
  return replaceRecoveryCodes(tx, userId);
}

/** A new set of recovery codes; every earlier one stops working. */
export async function replaceRecoveryCodes(tx: Transaction, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  await tx.insert(twoFactorRecoveryCodes).values(
    codes.map((code) => ({
      userId,
      codeHash: hashRecoveryCode(userId, normalizeRecoveryCode(code)!),
    })),
  );
  return codes;
}

export type SecondFactor = 'totp' | 'recovery_code';

/**
 * Spends a second factor of a user with 2FA on: a TOTP code of a step not used before, or an unused recovery
 * code. Both are single atomic updates, so two requests racing with the same code succeed at most once.
 */
export async function spendSecondFactor(
  tx: Transaction,
  userId: string,
  input: string,
): Promise<SecondFactor | null> {
  const code = input.replace(/\s/g, '');
  if (isTotpCode(code)) {
    const [row] = await tx
      .select({ sealed: userTwoFactor.secretSealed, lastUsedStep: userTwoFactor.lastUsedStep })
      .from(userTwoFactor)
      .where(eq(userTwoFactor.userId, userId));
    const secret = row?.sealed ? openSecret(row.sealed, userId) : null;
    const step = secret ? matchTotpStep(secret, code, row!.lastUsedStep) : null;
    if (step === null) return null;
    const [spent] = await tx
      .update(userTwoFactor)
      .set({ lastUsedStep: step, updatedAt: sql`now()` })
      .where(
        and(
          eq(userTwoFactor.userId, userId),
          or(isNull(userTwoFactor.lastUsedStep), lt(userTwoFactor.lastUsedStep, step)),
        ),
      )
      .returning({ userId: userTwoFactor.userId });
    return spent ? 'totp' : null;
  }
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) return null;
  const [spent] = await tx
    .update(twoFactorRecoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(twoFactorRecoveryCodes.userId, userId),
        eq(twoFactorRecoveryCodes.codeHash, hashRecoveryCode(userId, normalized)),
        isNull(twoFactorRecoveryCodes.usedAt),
      ),
    )
    .returning({ userId: twoFactorRecoveryCodes.userId });
  return spent ? 'recovery_code' : null;
}

export async function hasTwoFactor(tx: Transaction, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: userTwoFactor.userId })
    .from(userTwoFactor)
    .where(and(eq(userTwoFactor.userId, userId), isNotNull(userTwoFactor.enabledAt)));
  return Boolean(row);
}

/** Removes the authenticator and every recovery code. */
export async function removeTwoFactor(tx: Transaction, userId: string) {
  await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  await tx.delete(userTwoFactor).where(eq(userTwoFactor.userId, userId));
}

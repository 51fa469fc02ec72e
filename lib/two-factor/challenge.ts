import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships, type Tenant, users } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { actAsUser } from '@/lib/account/email-tokens';
import { recordAudit } from '@/lib/audit/record';
import { issueHandoffToken } from '@/lib/auth/handoff';
import { countSignInFailure, isAccountLocked } from '@/lib/auth/sign-in-failures';
import { AppError } from '@/lib/errors/app-error';
import {
  countTokenFailure,
  findLiveToken,
  issueToken,
  redeemToken,
  TOKEN_TTL_SECONDS,
} from '@/lib/tokens/single-use';
import { spendSecondFactor } from './store';

export const CHALLENGE_TTL_SECONDS = TOKEN_TTL_SECONDS.two_factor_challenge;
/** Wrong codes one challenge absorbs before the password must be typed again. */
export const MAX_CHALLENGE_FAILURES = 5;

export const CHALLENGE_EXPIRED =
  'Your sign-in timed out or had too many wrong codes. Please enter your password again.';
export const INVALID_SECOND_FACTOR =
  'This code is not valid. Enter the current code from your authenticator app, or an unused recovery code.';

/**
 * Issued, in the password step's transaction, instead of a handoff token to a member with 2FA on: a
 * single-use token (lib/tokens/single-use.ts) of this sign-in on this tenant's host.
 */
export async function issueChallenge(
  tx: Transaction,
  tenantId: string,
  userId: string,
): Promise<string> {
  return issueToken(tx, { tenantId, purpose: 'two_factor_challenge', userId });
}

type Outcome =
  | { kind: 'expired' }
  | { kind: 'failed'; userId: string; email: string }
  | { kind: 'passed'; handoffToken: string };

/**
 * The second step of a sign-in: a live challenge of this host's tenant plus a valid TOTP code or recovery
 * code yields a handoff token, which opens the session. Wrong codes count towards the same per-account lock
 * as wrong passwords (and a locked account fails here too); a challenge dies after a few wrong codes.
 */
export async function passChallenge(p: {
  tenant: Tenant;
  challenge: string;
  code: string;
  ip: string | null;
}): Promise<string> {
  const outcome = await withTenant(
    { tenantId: p.tenant.id, userId: null },
    async (tx): Promise<Outcome> => {
      const ref = {
        tenantId: p.tenant.id,
        purpose: 'two_factor_challenge' as const,
        token: p.challenge,
      };
      // Locked, so concurrent submissions of one challenge are judged one after the other. A challenge
      // dies at its last allowed failure (countTokenFailure), so a live one has failures to spare.
      const challenge = await findLiveToken(tx, ref, { lock: true });
      if (!challenge?.userId) return { kind: 'expired' };
      const { userId } = challenge;
      await actAsUser(tx, userId);
      const [user] = await tx
        .select({ email: users.email })
        .from(users)
        .innerJoin(
          memberships,
          and(eq(memberships.userId, users.id), eq(memberships.tenantId, p.tenant.id)),
        )
        .where(
          and(eq(users.id, userId), eq(users.status, 'active'), eq(memberships.status, 'active')),
        );
      if (!user) return { kind: 'expired' };
      const locked = await isAccountLocked(p.tenant.id, user.email);
      const factor = locked ? null : await spendSecondFactor(tx, userId, p.code);
      if (!factor) {
        await countTokenFailure(tx, ref, MAX_CHALLENGE_FAILURES);
        await recordAudit(tx, {
          tenantId: p.tenant.id,
          actorUserId: userId,
          action: 'two_factor.challenge_failed',
          targetType: 'user',
          targetId: userId,
          ip: p.ip,
          metadata: locked ? { locked: true } : {},
        });
        return { kind: 'failed', userId, email: user.email };
      }
      await redeemToken(tx, ref);
      if (factor === 'recovery_code') {
        await recordAudit(tx, {
          tenantId: p.tenant.id,
          actorUserId: userId,
          action: 'two_factor.recovery_code_used',
          targetType: 'user',
          targetId: userId,
          ip: p.ip,
        });
      }
      return { kind: 'passed', handoffToken: await issueHandoffToken(tx, p.tenant.id, userId) };
    },
  );
  if (outcome.kind === 'expired') throw new AppError('unauthenticated', CHALLENGE_EXPIRED);
  if (outcome.kind === 'failed') {
    await countSignInFailure({
      tenant: p.tenant,
      ip: p.ip,
      email: outcome.email,
      memberId: outcome.userId,
    });
    throw new AppError('invalid', INVALID_SECOND_FACTOR, {
      fieldErrors: { code: INVALID_SECOND_FACTOR },
    });
  }
  return outcome.handoffToken;
}

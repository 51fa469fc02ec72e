import 'server-only';
import { z } from 'zod';
import type { Tenant } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { actAsUser } from '@/lib/account/email-tokens';
import { recordAudit } from '@/lib/audit/record';
import { AppError } from '@/lib/errors/app-error';
import { consumeRateLimit, LIMITS, peekRateLimit, rateLimitedError } from '@/lib/rate-limit/limit';
import { issueChallenge } from '@/lib/two-factor/challenge';
import { hasTwoFactor } from '@/lib/two-factor/store';
import { findActiveMemberByEmail } from './find-member';
import { issueHandoffToken } from './handoff';
import { verifyPassword } from './password';
import { countSignInFailure, isAccountLocked } from './sign-in-failures';

export const INVALID_CREDENTIALS = 'The email or password is incorrect.';

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter your email address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(256),
  next: z.string().max(2048).optional(),
});

export type PasswordStep =
  | { kind: 'signed_in'; handoffToken: string }
  | { kind: 'second_factor'; challenge: string };

/**
 * The password step of a sign-in on a tenant host. The user is looked up inside the tenant's RLS context,
 * so only members of this organization can sign in here; unknown emails cost the same argon2 time as wrong
 * passwords. Every attempt counts per client address; failures count per address and per (organization,
 * email), and a locked account answers exactly like a wrong password. A member with two-factor sign-in gets
 * a challenge instead of a session: nothing is signed in until the second factor.
 */
export async function checkPassword(
  tenant: Tenant,
  input: z.output<typeof loginSchema>,
  ip: string | null,
): Promise<PasswordStep> {
  const ipKey = ip ?? 'unknown';
  await consumeRateLimit(LIMITS.loginAttemptsPerIp, ipKey);
  const [ipFailures, locked] = await Promise.all([
    peekRateLimit(LIMITS.loginFailuresPerIp, ipKey),
    isAccountLocked(tenant.id, input.email),
  ]);
  if (ipFailures.limited) throw rateLimitedError(ipFailures.retryAfterSeconds);
  const attempt = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
    const user = await findActiveMemberByEmail(tx, tenant.id, input.email);
    const ok = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !ok || locked) {
      // Only failures at a member's account are logged; what a stranger typed is nobody's business.
      if (user) {
        await recordAudit(tx, {
          tenantId: tenant.id,
          actorUserId: user.id,
          action: locked ? 'session.sign_in_locked' : 'session.sign_in_failed',
          targetType: 'user',
          targetId: user.id,
          ip,
        });
      }
      return { step: null, memberId: user?.id ?? null };
    }
    await actAsUser(tx, user.id);
    const step: PasswordStep = (await hasTwoFactor(tx, user.id))
      ? { kind: 'second_factor', challenge: await issueChallenge(tx, tenant.id, user.id) }
      : { kind: 'signed_in', handoffToken: await issueHandoffToken(tx, tenant.id, user.id) };
    return { step, memberId: user.id };
  });
  if (!attempt.step) {
    await countSignInFailure({ tenant, ip, email: input.email, memberId: attempt.memberId });
    throw new AppError('invalid', INVALID_CREDENTIALS, {
      fieldErrors: { password: INVALID_CREDENTIALS },
    });
  }
  return attempt.step;
}

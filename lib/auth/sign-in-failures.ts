import 'server-only';
import type { Tenant } from '@/db/schema';
import { sendUnlockLink } from '@/lib/account/unlock';
import { hitRateLimit, LIMITS, peekRateLimit } from '@/lib/rate-limit/limit';

/** The per-account counter: an organization and an email, so no stranger's host can lock a member out. */
export const accountKey = (tenantId: string, email: string) => `${tenantId}:${email.toLowerCase()}`;

export async function isAccountLocked(tenantId: string, email: string): Promise<boolean> {
  return (await peekRateLimit(LIMITS.loginFailuresPerAccount, accountKey(tenantId, email))).limited;
}

/**
 * Counts a failed sign-in step (a wrong password or a wrong second factor) per client address and per
 * account. The failure that locks a member's account sends them the way to unlock it.
 */
export async function countSignInFailure(p: {
  tenant: Tenant;
  ip: string | null;
  email: string;
  memberId: string | null;
}) {
  const [, account] = await Promise.all([
    hitRateLimit(LIMITS.loginFailuresPerIp, p.ip ?? 'unknown'),
    hitRateLimit(LIMITS.loginFailuresPerAccount, accountKey(p.tenant.id, p.email)),
  ]);
  if (p.memberId && account.points === LIMITS.loginFailuresPerAccount.points) {
    await sendUnlockLink({ tenant: p.tenant, userId: p.memberId, email: p.email, ip: p.ip });
  }
}

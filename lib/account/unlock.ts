import 'server-only';
import { eq } from 'drizzle-orm';
import { type Tenant, users } from '@/db/schema';
import { withDetachedTenant, withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { queueMail } from '@/lib/mail/queue-mail';
import { accountLockedMessage } from '@/lib/mail/templates';
import { LIMITS, resetRateLimit } from '@/lib/rate-limit/limit';
import { actAsUser, issueEmailToken, redeemEmailToken } from './email-tokens';
import { tenantLink } from './links';

/**
 * Records the lock and emails the member a single-use link that lifts it. Apart from any transaction the
 * caller is in: the failure that locks may be a wrong password inside an action that then rolls back.
 */
export async function sendUnlockLink(p: {
  tenant: Tenant;
  userId: string;
  email: string;
  ip: string | null;
}) {
  await withDetachedTenant({ tenantId: p.tenant.id, userId: null }, async (tx) => {
    await recordAudit(tx, {
      tenantId: p.tenant.id,
      actorUserId: p.userId,
      action: 'user.locked',
      targetType: 'user',
      targetId: p.userId,
      ip: p.ip,
    });
    const token = await issueEmailToken(tx, {
      tenantId: p.tenant.id,
      userId: p.userId,
      purpose: 'unlock_account',
    });
    await queueMail(
      tx,
      p.tenant.id,
      accountLockedMessage(p.email, {
        organization: p.tenant.name,
        url: tenantLink(p.tenant.slug, '/unlock', token),
      }),
    );
  });
}

/** Spends an unlock link: clears the failure count of that member's account on this organization's host. */
export async function unlockAccount(p: { tenant: Tenant; token: string; ip: string | null }) {
  const email = await withTenant({ tenantId: p.tenant.id, userId: null }, async (tx) => {
    const userId = (
      await redeemEmailToken(tx, {
        tenantId: p.tenant.id,
        purpose: 'unlock_account',
        token: p.token,
      })
    )?.userId;
    if (!userId) return null;
    await actAsUser(tx, userId);
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    await recordAudit(tx, {
      tenantId: p.tenant.id,
      actorUserId: userId,
      action: 'user.unlocked',
      targetType: 'user',
      targetId: userId,
      ip: p.ip,
    });
    return user?.email ?? null;
  });
  if (!email) return false;
  await resetRateLimit(LIMITS.loginFailuresPerAccount, `${p.tenant.id}:${email.toLowerCase()}`);
  return true;
}

import 'server-only';
import { withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { findActiveMemberByEmail } from '@/lib/auth/find-member';
import { verifyPassword } from '@/lib/auth/password';
import { getRequestMeta } from '@/lib/http/request-meta';
import { queueMail } from '@/lib/mail/queue-mail';
import { resetPasswordMessage } from '@/lib/mail/templates';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { issueEmailToken } from './email-tokens';
import { tenantLink } from './links';

/**
 * POST /api/password-reset on an organization's host. The answer is the same whether or not the email
 * belongs to a member, and the email itself is sent by the worker, so neither wording nor timing tells.
 */
export async function requestPasswordReset({ email }: { email: string }): Promise<{ done: true }> {
  const tenant = await getHostTenantOrThrow();
  const { ip } = await getRequestMeta();
  await consumeRateLimit(LIMITS.resetPerIp, ip ?? 'unknown');
  const issued = await withTenant({ tenantId: tenant.id, userId: null }, async (tx) => {
    const user = await findActiveMemberByEmail(tx, tenant.id, email);
    if (!user) return false;
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorUserId: user.id,
      action: 'user.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
      ip,
    });
    const token = await issueEmailToken(tx, {
      tenantId: tenant.id,
      userId: user.id,
      purpose: 'reset_password',
    });
    await queueMail(
      tx,
      tenant.id,
      resetPasswordMessage(email, {
        organization: tenant.name,
        url: tenantLink(tenant.slug, '/reset-password', token),
      }),
    );
    return true;
  });
  if (!issued) {
    // Spend what a real request spends, so response times do not separate members from strangers.
    await verifyPassword(null, email);
  }
  return { done: true };
}

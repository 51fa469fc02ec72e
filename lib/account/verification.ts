import 'server-only';
import { withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { requirePermission } from '@/lib/auth/session';
import { queueMail } from '@/lib/mail/queue-mail';
import { verifyEmailMessage } from '@/lib/mail/templates';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { issueEmailToken } from './email-tokens';
import { tenantLink } from './links';

/** POST /api/email-verification/resend: a fresh verification link for the signed-in member. */
export async function resendVerification(): Promise<{ done: true }> {
  const member = await requirePermission('account:manage');
  if (member.emailVerified) return { done: true };
  await consumeRateLimit(LIMITS.verificationResendPerUser, member.userId);
  await withTenant({ tenantId: member.tenant.id, userId: member.userId }, async (tx) => {
    await recordAudit(tx, {
      tenantId: member.tenant.id,
      actorUserId: member.userId,
      action: 'user.verification_sent',
      targetType: 'user',
      targetId: member.userId,
    });
    const token = await issueEmailToken(tx, {
      tenantId: member.tenant.id,
      userId: member.userId,
      purpose: 'verify_email',
    });
    await queueMail(
      tx,
      member.tenant.id,
      verifyEmailMessage(member.email, {
        name: member.name,
        organization: member.tenant.name,
        url: tenantLink(member.tenant.slug, '/verify-email', token),
      }),
    );
  });
  return { done: true };
}

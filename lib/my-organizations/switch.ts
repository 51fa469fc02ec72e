import 'server-only';
import { and, eq } from 'drizzle-orm';
import { memberships, tenants } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { crossHostSignInUrl } from '@/lib/auth/cross-host';
import { issueHandoffToken } from '@/lib/auth/handoff';
import type { CurrentMember } from '@/lib/auth/session';
import { AppError } from '@/lib/errors/app-error';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { issueChallenge } from '@/lib/two-factor/challenge';
import { sessionPassedSecondFactor } from './second-factor';

/** Any organization without an active membership of the user, existing or not, answers the same. */
const notAMember = () => new AppError('not_found', 'You are not a member of this organization.');

/**
 * Switching organizations, asked on the current organization's host: the target's own rules decide (an
 * active membership in an active organization), then a handoff for the target's host, bound to the current
 * session, so it signs in only while this session is live. Its Referer is this host, one of the app's own
 * pages, so the handoff route signs in at once. The target's two-factor requirement applies there as on
 * every page (a member without two-factor sign-in is sent to set it up); see `sessionPassedSecondFactor` for
 * when the target asks for a code instead.
 */
export async function switchToOrganization(
  member: CurrentMember,
  organizationId: string,
): Promise<{ redirectTo: string }> {
  if (organizationId === member.tenant.id) {
    throw new AppError('invalid', 'You are already in this organization.');
  }
  await consumeRateLimit(LIMITS.switchesPerUser, member.userId);
  // The target's context, with the user's id: their own membership there, and tokens only for that host.
  const step = await withTenant({ tenantId: organizationId, userId: member.userId }, async (tx) => {
    const [target] = await tx
      .select({ slug: tenants.slug, name: tenants.name, status: memberships.status })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(
        and(
          eq(memberships.tenantId, organizationId),
          eq(memberships.userId, member.userId),
          eq(tenants.status, 'active'),
        ),
      );
    if (!target || target.status === 'removed') throw notAMember();
    if (target.status === 'deactivated') {
      throw new AppError(
        'forbidden',
        `Your access to ${target.name} has been deactivated. Ask one of its admins to reactivate it.`,
      );
    }
    if (!(await sessionPassedSecondFactor(tx, member))) {
      return {
        slug: target.slug,
        token: null,
        challenge: await issueChallenge(tx, organizationId, member.userId),
      };
    }
    const token = await issueHandoffToken(tx, organizationId, member.userId, {
      sourceSessionId: member.sessionId,
    });
    return { slug: target.slug, token, challenge: null };
  });
  const { slug, ...signIn } = step;
  return { redirectTo: crossHostSignInUrl(slug, signIn) };
}

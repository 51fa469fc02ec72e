import 'server-only';
import { withPlatform } from '@/db/with-platform';
import { withTenant } from '@/db/with-tenant';
import { crossHostSignInUrl } from '@/lib/auth/cross-host';
import type { CurrentMember } from '@/lib/auth/session';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import {
  type NewOrganization,
  openOrganization,
  organizationConflict,
} from '@/lib/signup/create-organization';
import { sessionPassedSecondFactor } from './second-factor';

/**
 * A new organization for the signed-in user, from the switcher, without their password: the session proves
 * who they are, as the password does at sign-up. It is an action on the current organization's host (a
 * same-origin write; the cross-origin check in scripts/serve.ts stays), which runs the sign-up path on the
 * platform role (the new tenant, the owner membership, `organization.created`) under the sign-up budget per
 * address, then hands off to the new host bound to this session. The account is the same, so its email
 * verification carries over: a verified address stays verified, an unverified one gets the new
 * organization's verification mail, as at sign-up.
 */
export async function createOrganizationForMember(
  member: CurrentMember,
  input: NewOrganization,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ redirectTo: string }> {
  await consumeRateLimit(LIMITS.signupPerIp, meta.ip ?? 'unknown');
  await consumeRateLimit(LIMITS.organizationsPerUser, member.userId);
  const passed = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
    sessionPassedSecondFactor(tx, member),
  );
  try {
    const { slug, ...step } = await withPlatform('organization-from-switcher', (tx) =>
      openOrganization(
        tx,
        input,
        {
          id: member.userId,
          name: member.name,
          email: member.email,
          emailVerified: member.emailVerified,
          needsSecondFactor: !passed,
        },
        { ...meta, sourceSessionId: member.sessionId, metadata: { via: 'switcher' } },
      ),
    );
    return { redirectTo: crossHostSignInUrl(slug, step) };
  } catch (error) {
    throw organizationConflict(error) ?? error;
  }
}

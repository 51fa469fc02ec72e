import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { sessions } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import type { Permission } from '@/lib/authz/permissions';
import { getRequestHost } from '@/lib/http/request-meta';
import { getHostMove, hostMovedError } from '@/lib/tenant/moved';
import { getHostTenant } from '@/lib/tenant/resolve';
import { getSessionPointer } from './auth';
import {
  authorize,
  type CurrentMember,
  checkMember,
  needsTwoFactorSetup,
  sessionEndedError,
  TWO_FACTOR_SETUP_PATH,
} from './member-check';
import { redirectIfHostMoved } from './moved-host';

export type { CurrentMember } from './member-check';
export { needsTwoFactorSetup, TWO_FACTOR_SETUP_PATH } from './member-check';

/** The signed-in member of this request's host (see `checkMember`), checked once per request. */
export const getCurrentMember = cache(
  async (): Promise<CurrentMember | null> => checkMember(await getRequestHost(), getSessionPointer),
);

/**
 * For pages: the member, a 404 on a host with no organization, or a redirect to this host's sign-in page.
 * While the organization requires two-factor sign-in and the member has not set it up, every page sends
 * them to set it up, except the pages that pass `accountSecurity` (their own account's security basics).
 */
export async function requireMemberOrRedirect(
  nextPath = '/',
  options: { accountSecurity?: boolean } = {},
): Promise<CurrentMember> {
  if (!(await getHostTenant())) {
    // A page of an open tab on an organization's former address (its layout, which sends full page loads
    // on, does not run again on client navigation).
    await redirectIfHostMoved(nextPath);
    notFound();
  }
  const member = await getCurrentMember();
  if (!member) redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  if (needsTwoFactorSetup(member) && !options.accountSecurity) redirect(TWO_FACTOR_SETUP_PATH);
  return member;
}

async function requireSignedIn(): Promise<CurrentMember> {
  const member = await getCurrentMember();
  if (member) return member;
  const move = await getHostMove();
  if (move) throw hostMovedError(move);
  throw sessionEndedError();
}

/** For actions and route handlers: the member holding `permission`, or an AppError (see `authorize`). */
export async function requirePermission(permission: Permission): Promise<CurrentMember> {
  return authorize(await requireSignedIn(), permission);
}

/** For handlers that need a signed-in member but no particular permission (realtime): same rules. */
export async function requireMember(): Promise<CurrentMember> {
  return authorize(await requireSignedIn());
}

/** Ends the member's session and records it, in one transaction. */
export async function revokeSession(
  member: Pick<CurrentMember, 'tenant' | 'userId' | 'sessionId'>,
  ip: string | null,
) {
  await withTenant({ tenantId: member.tenant.id, userId: member.userId }, async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.tenantId, member.tenant.id), eq(sessions.id, member.sessionId)));
    await recordAudit(tx, {
      tenantId: member.tenant.id,
      actorUserId: member.userId,
      action: 'session.signed_out',
      targetType: 'session',
      targetId: member.sessionId,
      ip,
    });
  });
}

import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { type Role, sessions, type Tenant } from '@/db/schema';
import { type SessionCheckRow, sessionCheckSql } from '@/db/statements/session-check';
import { queryWithTenant, withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { can, type Permission } from '@/lib/authz/permissions';
import { AppError } from '@/lib/errors/app-error';
import { noteRequestUser } from '@/lib/observability/request-context';
import { getHostMove, hostMovedError } from '@/lib/tenant/moved';
import { getHostTenant } from '@/lib/tenant/resolve';
import { getSessionPointer } from './auth';
import { redirectIfHostMoved } from './moved-host';

export type CurrentMember = {
  tenant: Tenant;
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  role: Role;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /**
   * The tenant's content revision when this request checked the session: a cached read made at this
   * revision is still what the database holds (see lib/cache/tenant-revision.ts).
   */
  revision: string;
};

/**
 * The signed-in member of the host's tenant, checked against the database once per request: the session row
 * (not revoked, not expired, not idle), the membership and the user (both active). A cookie minted for
 * another tenant's host, a revoked session or a removed member yields null on the very next request.
 */
export const getCurrentMember = cache(async (): Promise<CurrentMember | null> => {
  const tenant = await getHostTenant();
  if (!tenant) return null;
  const pointer = await getSessionPointer();
  if (!pointer || pointer.tenantId !== tenant.id) return null;
  const [row] = await queryWithTenant<SessionCheckRow>(
    { tenantId: tenant.id, userId: pointer.userId },
    sessionCheckSql(tenant.id, pointer),
  );
  if (!row) return null;
  noteRequestUser(pointer.userId);
  return {
    tenant: { ...tenant, requireTwoFactor: row.requireTwoFactor },
    userId: pointer.userId,
    sessionId: pointer.sessionId,
    name: row.name,
    email: row.email,
    role: row.role,
    emailVerified: row.emailVerified,
    twoFactorEnabled: row.twoFactorEnabled,
    revision: row.revision,
  };
});

/** Where a member goes to set up two-factor sign-in; it stays open to them while their organization requires it. */
export const TWO_FACTOR_SETUP_PATH = '/settings/security';

/** True while the member's organization requires two-factor sign-in and they have not set it up. */
export function needsTwoFactorSetup(member: Pick<CurrentMember, 'tenant' | 'twoFactorEnabled'>) {
  return member.tenant.requireTwoFactor && !member.twoFactorEnabled;
}

const twoFactorRequiredError = (member: CurrentMember) =>
  new AppError(
    'forbidden',
    `${member.tenant.name} requires two-factor authentication. Set it up on your Security page (${TWO_FACTOR_SETUP_PATH}) to continue.`,
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
  throw new AppError('unauthenticated', 'Your session has ended. Please sign in again.');
}

/**
 * For actions and route handlers: the member holding `permission`, or an AppError. While the organization
 * requires two-factor sign-in and the member has not set it up, only `account:manage` (their own account:
 * setting up 2FA, password, sessions) is allowed.
 */
export async function requirePermission(permission: Permission): Promise<CurrentMember> {
  const member = await requireSignedIn();
  if (permission !== 'account:manage' && needsTwoFactorSetup(member)) {
    throw twoFactorRequiredError(member);
  }
  if (!can(member.role, permission)) {
    throw new AppError(
      'forbidden',
      'Your role does not allow this. Ask an admin of your organization.',
    );
  }
  return member;
}

/** For handlers that need a signed-in member but no particular permission (realtime): same rules. */
export async function requireMember(): Promise<CurrentMember> {
  const member = await requireSignedIn();
  if (needsTwoFactorSetup(member)) throw twoFactorRequiredError(member);
  return member;
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

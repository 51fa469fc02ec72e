import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { type Role, sessions, type Tenant } from '@/db/schema';
import { queryWithTenant, withTenant } from '@/db/with-tenant';
import { recordAudit } from '@/lib/audit/record';
import { can, type Permission } from '@/lib/authz/permissions';
import { tenantRevisionSql } from '@/lib/cache/tenant-revision';
import { AppError } from '@/lib/errors/app-error';
import { getHostTenant } from '@/lib/tenant/resolve';
import { getSessionPointer } from './auth';

const IDLE_DAYS = 7;

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
    sessionCheck(tenant.id, pointer),
  );
  if (!row) return null;
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

type SessionCheckRow = {
  name: string;
  email: string;
  role: Role;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  requireTwoFactor: boolean;
  revision: string;
};

/**
 * Every signed-in request runs this, so it is one statement written out rather than built by the query
 * builder each time (building it cost more CPU than anything else the check does). It checks the session row
 * (not revoked, not expired, not idle), the membership and the user (both active), and reads the
 * organization's two-factor requirement fresh (not from the few-seconds host cache: an owner's change applies
 * at once) and the tenant revision for cached reads. The sessions filter is explicit although RLS confines
 * rows to the tenant: a user also sees their own sessions in other organizations (the sessions page), and
 * those must never count here.
 *
 * It also records activity at most once a minute, enough for "last active" and the idle limit without a
 * write per request; the update repeats the check's conditions on the session itself. It skips a session row
 * that another transaction holds rather than wait for it: when the minute passes, every request of that
 * session in flight would otherwise queue behind the first one's commit (and its flush to disk), and one of
 * them records the activity anyway. A data-modifying WITH always runs to completion, and the check reads the
 * rows as they were before it.
 */
const sessionCheck = (tenantId: string, pointer: { sessionId: string; userId: string }) => sql`
  with touched as (
    update sessions set last_seen_at = now()
    where tenant_id = ${tenantId} and id in (
      select id from sessions
      where tenant_id = ${tenantId} and id = ${pointer.sessionId}
        and revoked_at is null and expires_at > now()
        and last_seen_at > now() - make_interval(days => ${IDLE_DAYS})
        and last_seen_at < now() - interval '1 minute'
      for update skip locked
    )
    returning id
  )
  select u.name, u.email, m.role,
    u.email_verified_at is not null as "emailVerified",
    f.enabled_at is not null as "twoFactorEnabled",
    t.require_two_factor as "requireTwoFactor",
    ${tenantRevisionSql(tenantId)} as revision
  from sessions s
  join tenants t on t.id = s.tenant_id
  join memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
  join users u on u.id = s.user_id
  left join user_two_factor f on f.user_id = s.user_id
  where s.tenant_id = ${tenantId} and s.id = ${pointer.sessionId} and s.user_id = ${pointer.userId}
    and s.revoked_at is null and s.expires_at > now()
    and s.last_seen_at > now() - make_interval(days => ${IDLE_DAYS})
    and m.status = 'active' and u.status = 'active'`;

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
  if (!(await getHostTenant())) notFound();
  const member = await getCurrentMember();
  if (!member) redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  if (needsTwoFactorSetup(member) && !options.accountSecurity) redirect(TWO_FACTOR_SETUP_PATH);
  return member;
}

async function requireSignedIn(): Promise<CurrentMember> {
  const member = await getCurrentMember();
  if (!member)
    throw new AppError('unauthenticated', 'Your session has ended. Please sign in again.');
  return member;
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

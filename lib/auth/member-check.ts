import 'server-only';
import type { Role, Tenant } from '@/db/schema';
import { type SessionCheckRow, sessionCheckSql } from '@/db/statements/session-check';
import { queryWithTenant } from '@/db/with-tenant';
import { can, type Permission } from '@/lib/authz/permissions';
import { AppError } from '@/lib/errors/app-error';
import { noteRequestUser } from '@/lib/observability/request-context';
import { tenantForHost } from '@/lib/tenant/lookup';
import type { SessionPointer } from './session-token';

/**
 * Who a request is, from the two facts it carries: the host it asked for and its session cookie. Nothing here
 * reads them from Next.js, so the pages, actions and route handlers (through lib/auth/session.ts) and the
 * route the project's server answers itself (lib/http/direct-routes.ts) check a member by the same code.
 */

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
 * The signed-in member of the host's tenant, checked against the database on every call: the session row
 * (not revoked, not expired, not idle), the membership and the user (both active). A cookie minted for
 * another tenant's host, a revoked session or a removed member yields null on the very next request. The
 * pointer is read only on an organization's host.
 */
export async function checkMember(
  host: string | null,
  readPointer: () => Promise<SessionPointer | null>,
): Promise<CurrentMember | null> {
  const tenant = await tenantForHost(host);
  if (!tenant) return null;
  const pointer = await readPointer();
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
}

/** Where a member goes to set up two-factor sign-in; it stays open to them while their organization requires it. */
export const TWO_FACTOR_SETUP_PATH = '/settings/security';

/** True while the member's organization requires two-factor sign-in and they have not set it up. */
export function needsTwoFactorSetup(member: Pick<CurrentMember, 'tenant' | 'twoFactorEnabled'>) {
  return member.tenant.requireTwoFactor && !member.twoFactorEnabled;
}

export const sessionEndedError = () =>
  new AppError('unauthenticated', 'Your session has ended. Please sign in again.');

/**
 * The member, if they hold `permission` (or, with none named, may use the app at all), or an AppError. While
 * the organization requires two-factor sign-in and the member has not set it up, only `account:manage`
 * (their own account: setting up 2FA, password, sessions) is allowed.
 */
export function authorize(member: CurrentMember, permission?: Permission): CurrentMember {
  if (permission !== 'account:manage' && needsTwoFactorSetup(member)) {
    throw new AppError(
      'forbidden',
      `${member.tenant.name} requires two-factor authentication. Set it up on your Security page (${TWO_FACTOR_SETUP_PATH}) to continue.`,
    );
  }
  if (permission && !can(member.role, permission)) {
    throw new AppError(
      'forbidden',
      'Your role does not allow this. Ask an admin of your organization.',
    );
  }
  return member;
}

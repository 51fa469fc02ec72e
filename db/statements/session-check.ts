import 'server-only';
import { sql } from 'drizzle-orm';
import type { Role } from '../schema';
import { tenantRevisionSql } from './tenant-revision';

export type SessionCheckRow = {
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
 * (not revoked, not expired, not idle for longer than the organization's session_idle_days), the membership
 * and the user (both active), and reads the
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
export const sessionCheckSql = (
  tenantId: string,
  pointer: { sessionId: string; userId: string },
) => sql`
  with touched as (
    update sessions set last_seen_at = now()
    where tenant_id = ${tenantId} and id in (
      select id from sessions
      where tenant_id = ${tenantId} and id = ${pointer.sessionId}
        and revoked_at is null and expires_at > now()
        and last_seen_at > now() - make_interval(days => (
          select session_idle_days from tenants where id = ${tenantId}))
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
    and s.last_seen_at > now() - make_interval(days => t.session_idle_days)
    and m.status = 'active' and u.status = 'active'`;

import { randomUUID } from 'node:crypto';
import { redeemHandoffToken } from '@/lib/auth/handoff';
import { createOrganization } from '@/lib/signup/create-organization';
import { asSuperuser, type Sql } from './db';

/** What the mocked `next/headers` and session pointer read: the request a test is making. */
export type RequestContext = {
  host: string;
  pointer: null | { sessionId: string; tenantId: string; userId: string };
};

export type Org = Awaited<ReturnType<typeof signUpOrg>>;

/** Signs an organization up through the real sign-up path and redeems its handoff token into a session. */
export async function signUpOrg(
  platform: Sql,
  label: string,
  email = `${label}-${randomUUID().slice(0, 6)}@example.test`,
  password = 'violet-harbor-42',
) {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const { token } = await createOrganization(
    { organizationName: label, slug, name: `${label} owner`, email, password },
    { ip: `198.51.100.${Math.floor(Math.random() * 250)}` },
  );
  const [tenant] = await platform`select id from tenants where slug = ${slug}`;
  const signedIn = await redeemHandoffToken(tenant!.id, token!, { ip: null, userAgent: null });
  return {
    slug,
    email,
    password,
    tenantId: tenant!.id as string,
    token: token!,
    session: signedIn!,
  };
}

/** Makes the next calls act as `org`'s session, on the host of `atHostOf`. */
export function actAs(request: RequestContext, org: Org, atHostOf: Org = org) {
  request.host = `${atHostOf.slug}.localhost:3000`;
  request.pointer = {
    sessionId: org.session.sessionId,
    tenantId: org.tenantId,
    userId: org.session.userId,
  };
}

export type Member = { userId: string; session: Org['session']; name: string };

/**
 * Adds a signed-in member with `role` to an existing organization: the platform role creates the user (as
 * sign-up would); the membership is written by the superuser, since no invitation flow exists yet and so no
 * app role may write one.
 */
export async function addMember(
  platform: Sql,
  org: Org,
  role: 'admin' | 'member' | 'viewer',
  name = `${role} ${randomUUID().slice(0, 4)}`,
): Promise<Member> {
  const { withTenant } = await import('@/db/with-tenant');
  const { issueHandoffToken } = await import('@/lib/auth/handoff');
  const [user] = await platform`
    insert into users (email, name, password_hash)
    values (${`${randomUUID().slice(0, 8)}@example.test`}, ${name}, 'x') returning id`;
  const userId = user!.id as string;
  await asSuperuser(
    (su) =>
      su`insert into memberships (tenant_id, user_id, role) values (${org.tenantId}, ${userId}, ${role})`,
  );
  const token = await withTenant({ tenantId: org.tenantId, userId }, (tx) =>
    issueHandoffToken(tx, org.tenantId, userId),
  );
  const session = await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null });
  return { userId, session: session!, name };
}

/** Makes the next calls act as `member` of `org`. */
export function actAsMember(request: RequestContext, org: Org, member: Member) {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = {
    sessionId: member.session.sessionId,
    tenantId: org.tenantId,
    userId: member.userId,
  };
}

/** The data of an action's result, or a failure that names the error the action returned instead. */
export async function ok<T>(result: Promise<{ ok: boolean; data?: T; error?: unknown }>) {
  const r = await result;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data as T;
}

import { randomUUID } from 'node:crypto';
import { redeemHandoffToken } from '@/lib/auth/handoff';
import { createOrganization } from '@/lib/signup/create-organization';
import type { Sql } from './db';

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
  const signedIn = await redeemHandoffToken(tenant!.id, token, { ip: null, userAgent: null });
  return { slug, email, password, tenantId: tenant!.id as string, token, session: signedIn! };
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

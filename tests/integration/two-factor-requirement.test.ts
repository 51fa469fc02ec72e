import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';
import { totpCode } from '../support/two-factor';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.30';

const { issueHandoffToken, redeemHandoffToken } = await import('@/lib/auth/handoff');
const { withTenant } = await import('@/db/with-tenant');
const session = await import('@/lib/auth/session');
const actions = await import('@/lib/two-factor/actions');
const { createProject } = await import('@/lib/projects/actions');
const { authorizeChannel } = await import('@/lib/realtime/auth');
const orgs = await import('../support/orgs');

let platform: Sql;

beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
});

async function enroll(org: Org) {
  orgs.actAs(request, org);
  const started = await actions.startTwoFactorSetup({ password: org.password });
  if (!started.ok) throw new Error(started.error.message);
  const confirmed = await actions.confirmTwoFactorSetup({ code: totpCode(started.data.secret) });
  if (!confirmed.ok) throw new Error(confirmed.error.message);
  return started.data.secret;
}

/**
 * Adds the owner of `other` to `org` with `role` and signs them in there (what an accepted invitation will
 * do), returning an Org-shaped handle acting as that member on `org`'s host.
 */
async function addMember(org: Org, other: Org, role: 'member' | 'viewer'): Promise<Org> {
  // No invitation flow exists yet, so no app role may write a membership: the superuser stands in for it.
  await asSuperuser(
    (sql) =>
      sql`insert into memberships (tenant_id, user_id, role) values (${org.tenantId}, ${other.session.userId}, ${role})`,
  );
  const token = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, org.tenantId, other.session.userId),
  );
  const signedIn = await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null });
  return { ...org, email: other.email, password: other.password, session: signedIn! };
}

describe('an organization that requires two-factor sign-in', () => {
  it('can be required only by an owner who uses it, and the change is audited', async () => {
    const org = await orgs.signUpOrg(platform, 'req-owner');
    orgs.actAs(request, org);
    expect(await actions.setTwoFactorRequirement({ required: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/your own account first/) },
    });
    await enroll(org);
    expect(await actions.setTwoFactorRequirement({ required: true })).toEqual({
      ok: true,
      data: { required: true },
    });
    expect((await session.getCurrentMember())?.tenant.requireTwoFactor).toBe(true);

    const member = await addMember(org, await orgs.signUpOrg(platform, 'req-plain'), 'member');
    orgs.actAs(request, member);
    expect(await actions.setTwoFactorRequirement({ required: false })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const audit = await asSuperuser(
      (sql) =>
        sql`select before, after from audit_events
        where tenant_id = ${org.tenantId} and action = 'organization.two_factor_requirement_changed'`,
    );
    expect(audit).toEqual([
      { before: { requireTwoFactor: false }, after: { requireTwoFactor: true } },
    ]);
  });

  it('refuses a member without it everywhere but their own account, until they set it up', async () => {
    const org = await orgs.signUpOrg(platform, 'req-enforce');
    await enroll(org);
    await actions.setTwoFactorRequirement({ required: true });
    const member = await addMember(org, await orgs.signUpOrg(platform, 'req-member'), 'member');
    orgs.actAs(request, member);

    await expect(session.requirePermission('project:read')).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/requires two-factor authentication.*\/settings\/security/),
    });
    await expect(session.requireMember()).rejects.toMatchObject({ code: 'forbidden' });
    expect(await createProject({ name: 'Blocked' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/requires two-factor/) },
    });
    await expect(
      authorizeChannel({
        socket_id: '1234.5678',
        channel_name: `private-tenant-${org.tenantId}`,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // Pages send them to set it up, except that page (and their own account's basics).
    await expect(session.requireMemberOrRedirect('/projects')).rejects.toMatchObject({
      digest: expect.stringContaining(';/settings/security;'),
    });
    await expect(
      session.requireMemberOrRedirect('/settings/security', { accountSecurity: true }),
    ).resolves.toMatchObject({ twoFactorEnabled: false });
    await expect(session.requirePermission('account:manage')).resolves.toMatchObject({
      role: 'member',
    });

    await enroll(member);
    await expect(session.requirePermission('project:read')).resolves.toMatchObject({
      twoFactorEnabled: true,
    });
    expect(await createProject({ name: 'Allowed' })).toMatchObject({ ok: true });
  });

  it('applies to nobody once the owner stops requiring it, and never to other organizations', async () => {
    const org = await orgs.signUpOrg(platform, 'req-off');
    await enroll(org);
    await actions.setTwoFactorRequirement({ required: true });
    const other = await orgs.signUpOrg(platform, 'req-elsewhere');
    const member = await addMember(org, other, 'viewer');

    // The same person, in their own organization, which does not require it.
    orgs.actAs(request, other);
    await expect(session.requirePermission('project:read')).resolves.toBeTruthy();

    orgs.actAs(request, member);
    await expect(session.requirePermission('project:read')).rejects.toMatchObject({
      code: 'forbidden',
    });
    orgs.actAs(request, org);
    await actions.setTwoFactorRequirement({ required: false });
    orgs.actAs(request, member);
    await expect(session.requirePermission('project:read')).resolves.toMatchObject({
      role: 'viewer',
    });
  });
});

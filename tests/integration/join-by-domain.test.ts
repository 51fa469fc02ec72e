import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { auditOf, countWrites, lastMailTo, outboxOf } from '../support/invitations';
import type { Org } from '../support/orgs';
import { totpCode } from '../support/two-factor';

// Auth.js's signIn, which here redeems the handoff token as the real provider does (lib/auth/config.ts).
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));

const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getHostTenant } = await import('@/lib/tenant/resolve');
const { requestJoinLink, completeJoin } = await import('@/lib/invitations/join-by-domain');
const { describeJoinLink } = await import('@/lib/invitations/links');
const twoFactor = await import('@/lib/two-factor/actions');
const orgs = await import('../support/orgs');

let platform: Sql;
let signedIn: { tenantId: string; userId: string }[] = [];

beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.pointer = null;
  request.ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
  signedIn = [];
  auth.signIn.mockReset();
  auth.signIn.mockImplementation(async (_provider: string, options: { token: string }) => {
    const tenant = await getHostTenant();
    const opened =
      tenant && (await redeemHandoffToken(tenant.id, options.token, { ip: null, userAgent: null }));
    if (!opened) throw new Error('handoff token refused');
    signedIn.push({ tenantId: tenant.id, userId: opened.userId });
  });
});

const PASSWORD = 'amber-lantern-river-19';

/**
 * An organization that lets addresses at its own fresh domain join as `defaultRole`. Set before any request
 * on its host, so the host lookup (cached for seconds) reads the settings.
 */
async function openOrg(label: string, defaultRole = 'member') {
  const org = await orgs.signUpOrg(platform, label);
  const domain = `${label}-${randomUUID().slice(0, 6)}.test`;
  await asSuperuser(
    (sql) => sql`
      update tenants set allowed_email_domains = ${[domain]}, default_role = ${defaultRole}
      where id = ${org.tenantId}`,
  );
  return {
    org,
    domain,
    address: (name: string) => `${name}-${randomUUID().slice(0, 6)}@${domain}`,
  };
}

const atHost = (org: Org) => {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = null;
};

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (data) => ({ ok: true as const, data }),
    (error) => ({
      ok: false as const,
      error: { code: error.code, message: error.message, fieldErrors: error.details?.fieldErrors },
    }),
  );

async function joinLinkFor(org: Org, email: string) {
  atHost(org);
  expect(await settle(requestJoinLink({ email }))).toEqual({ ok: true, data: { sent: true } });
  const mail = await lastMailTo(org.tenantId, email, '/join/complete');
  return mail!.token!;
}

const complete = (org: Org, input: Record<string, string>) => {
  atHost(org);
  return settle(completeJoin({ token: '', password: '', ...input }));
};

async function membershipOf(tenantId: string, email: string) {
  const [row] = await asSuperuser(
    (sql) => sql`
      select m.role, m.status, u.email_verified_at is not null as verified
      from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${tenantId} and lower(u.email) = ${email}`,
  );
  return row ?? null;
}

describe('asking to join by an allowed domain', () => {
  it('refuses an address at another domain next to the field, naming the allowed ones', async () => {
    const { org, domain } = await openOrg('jd-refuse');
    atHost(org);
    const before = await countWrites(org.tenantId);
    expect(await settle(requestJoinLink({ email: 'someone@elsewhere.test' }))).toMatchObject({
      ok: false,
      error: {
        code: 'invalid',
        fieldErrors: {
          email: `Only addresses at ${domain} can join jd-refuse without an invitation. Ask one of its admins to invite you.`,
        },
      },
    });
    expect(await countWrites(org.tenantId)).toEqual(before);
  });

  it('is closed in an organization without allowed domains', async () => {
    const org = await orgs.signUpOrg(platform, 'jd-closed');
    atHost(org);
    expect(await settle(requestJoinLink({ email: 'someone@example.test' }))).toMatchObject({
      ok: false,
      error: {
        fieldErrors: {
          email: expect.stringMatching(/does not let people join without an invitation/),
        },
      },
    });
  });

  it('mails a link to an allowed address and creates nothing else, whether or not it has an account', async () => {
    const { org, address } = await openOrg('jd-mail');
    const email = address('new');
    const before = await countWrites(org.tenantId, email);
    const token = await joinLinkFor(org, email);
    const after = await countWrites(org.tenantId, email);
    expect(after).toEqual({ ...before, mail: before.mail + 1, liveTokens: before.liveTokens + 1 });
    const mail = (await lastMailTo(org.tenantId, email, '/join/complete'))!;
    expect(mail).toMatchObject({ subject: 'Join jd-mail on Tenantry', html: undefined });
    expect(await describeJoinLink(org.tenantId, token)).toEqual({ email, hasAccount: false });
    // The owner's own address (an account, a member) gets the same answer and the same mail.
    const owner = address('owner');
    await asSuperuser(
      (sql) => sql`update users set email = ${owner} where id = ${org.session.userId}`,
    );
    const ownerToken = await joinLinkFor(org, owner);
    expect(await describeJoinLink(org.tenantId, ownerToken)).toEqual({
      email: owner,
      hasAccount: true,
    });
  });

  it('limits requests per address', async () => {
    const { org, address } = await openOrg('jd-limit');
    const email = address('flood');
    for (let i = 0; i < 3; i++) await joinLinkFor(org, email);
    expect(await settle(requestJoinLink({ email }))).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
  });

  it('cannot plant a join token for another domain even on the platform path', async () => {
    const { org } = await openOrg('jd-policy');
    await expect(
      platform`
        insert into single_use_tokens (tenant_id, token_hash, purpose, email, expires_at)
        values (${org.tenantId}, ${randomUUID()}, 'join_domain', 'x@elsewhere.test', now() + interval '1 hour')`,
    ).rejects.toThrow(/row-level security/);
  });
});

describe('joining from the link', () => {
  it('a new person chooses a name and password and joins with the default role, verified and signed in', async () => {
    const { org, address } = await openOrg('jd-new', 'viewer');
    const email = address('new');
    const token = await joinLinkFor(org, email);
    const before = await countWrites(org.tenantId, email);
    expect(await complete(org, { token, name: '', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { name: expect.any(String) } },
    });
    expect(await countWrites(org.tenantId, email)).toEqual(before);
    expect(await complete(org, { token, name: 'Dana', password: PASSWORD })).toEqual({
      ok: true,
      data: { redirectTo: '/' },
    });
    expect(await membershipOf(org.tenantId, email)).toEqual({
      role: 'viewer',
      status: 'active',
      verified: true,
    });
    expect(signedIn).toEqual([{ tenantId: org.tenantId, userId: expect.any(String) }]);
    expect(await auditOf(org.tenantId, 'member.joined')).toEqual([
      expect.objectContaining({
        actor_user_id: signedIn[0]!.userId,
        target_id: signedIn[0]!.userId,
        metadata: { method: 'email_domain', email, role: 'viewer', newAccount: true },
      }),
    ]);
    expect((await outboxOf(org.tenantId)).filter((e) => e.name === 'member.joined')).toEqual([
      {
        name: 'member.joined',
        audience: 'tenant',
        payload: { userId: signedIn[0]!.userId, role: 'viewer' },
      },
    ]);
    // The link worked once.
    expect(await describeJoinLink(org.tenantId, token)).toBeNull();
    expect(await complete(org, { token, name: 'Dana', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/expired or was already used/) },
    });
  });

  it('an existing account signs in with its password and second factor', async () => {
    const { org, address } = await openOrg('jd-existing');
    const person = await orgs.signUpOrg(platform, 'jd-person', address('person'));
    orgs.actAs(request, person);
    const started = await orgs.ok(twoFactor.startTwoFactorSetup({ password: person.password }));
    await orgs.ok(twoFactor.confirmTwoFactorSetup({ code: totpCode(started.secret) }));
    const token = await joinLinkFor(org, person.email);
    expect(await describeJoinLink(org.tenantId, token)).toEqual({
      email: person.email,
      hasAccount: true,
    });
    expect(await complete(org, { token, password: 'not-the-password-1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { password: expect.any(String) } },
    });
    expect(await complete(org, { token, password: person.password })).toEqual({
      ok: true,
      data: { secondFactor: true },
    });
    expect(await membershipOf(org.tenantId, person.email)).toBeNull();
    expect(
      await complete(org, { token, password: person.password, code: totpCode(started.secret, 1) }),
    ).toMatchObject({ ok: true });
    expect(await membershipOf(org.tenantId, person.email)).toMatchObject({
      role: 'member',
      status: 'active',
    });
  });

  it('does not bring back a member an admin removed or deactivated', async () => {
    const { org, address } = await openOrg('jd-removed');
    const email = address('gone');
    await complete(org, { token: await joinLinkFor(org, email), name: 'Gone', password: PASSWORD });
    for (const status of ['removed', 'deactivated']) {
      await asSuperuser(
        (sql) => sql`
          update memberships set status = ${status}
          where tenant_id = ${org.tenantId} and user_id = (select id from users where lower(email) = ${email})`,
      );
      const token = await joinLinkFor(org, email);
      const before = await countWrites(org.tenantId, email);
      expect(await complete(org, { token, password: PASSWORD })).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/was ended by an admin/) },
      });
      expect(await countWrites(org.tenantId, email)).toEqual(before);
      expect(await membershipOf(org.tenantId, email)).toMatchObject({ status });
    }
  });

  it('refuses a link once its domain left the list, an expired link, and another host’s link', async () => {
    const { org, address } = await openOrg('jd-dead');
    const other = await openOrg('jd-dead-other');
    const email = address('late');
    const token = await joinLinkFor(org, email);
    const before = await countWrites(org.tenantId, email);
    expect(await complete(other.org, { token, name: 'Late', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await asSuperuser(
      (sql) => sql`update tenants set allowed_email_domains = '{}' where id = ${org.tenantId}`,
    );
    expect(await complete(org, { token, name: 'Late', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/does not let people join/) },
    });
    expect(await countWrites(org.tenantId, email)).toEqual(before);
    await asSuperuser(
      (sql) => sql`
        update single_use_tokens set expires_at = now() - interval '1 second'
        where tenant_id = ${org.tenantId} and purpose = 'join_domain'`,
    );
    expect(await complete(org, { token, name: 'Late', password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await countWrites(org.tenantId, email)).toEqual(before);
  });

  it('tells someone signed in as another address so, and changes nothing', async () => {
    const { org, address } = await openOrg('jd-other');
    const email = address('them');
    const token = await joinLinkFor(org, email);
    const before = await countWrites(org.tenantId, email);
    orgs.actAs(request, org);
    await expect(completeJoin({ token, name: 'X', password: PASSWORD })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/signed in as/),
    });
    expect(await countWrites(org.tenantId, email)).toEqual(before);
  });
});

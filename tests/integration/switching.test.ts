import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCrossOriginWrite } from '../../scripts/serve';
import { asSuperuser, asSuperuserWithoutTriggers, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

// The request Next.js would provide, and Auth.js's signIn, which here runs the project's own handoff
// provider (lib/auth/config.ts): it redeems the token on the host's tenant, or throws CredentialsSignin.
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));
request.ip = '203.0.113.71';

const { authConfig } = await import('@/lib/auth/config');
const { getEnv } = await import('@/lib/config/env');
const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { switchOrganization, createOrganizationFromSwitcher } = await import(
  '@/lib/my-organizations/actions'
);
const listRoute = await import('@/app/api/my-organizations/route');
const handoffRoute = await import('@/app/tenant/[slug]/auth/handoff/route');
const orgs = await import('../support/orgs');

type Authorize = (credentials: { token: string }) => Promise<unknown>;
const provider = authConfig(getEnv()).providers[0] as unknown as {
  options: { authorize: Authorize };
};

const PASSWORD = 'violet-harbor-42';
let platform: Sql;
/** One person in two organizations (`a`, `b`), and `stranger`'s organization they do not belong to. */
let a: Org;
let b: Org;
let stranger: Org;

beforeAll(async () => {
  platform = connect(urls().platform, 2);
  const email = `switch-${randomUUID().slice(0, 6)}@example.test`;
  a = await orgs.signUpOrg(platform, 'switch-a', email, PASSWORD);
  b = await orgs.signUpOrg(platform, 'switch-b', email, PASSWORD);
  stranger = await orgs.signUpOrg(platform, 'switch-stranger');
});
afterAll(() => platform.end());
beforeEach(() => {
  orgs.actAs(request, a);
  request.ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
  auth.signIn.mockReset();
  auth.signIn.mockImplementation((_provider: string, options: { token: string }) =>
    provider.options.authorize({ token: options.token }),
  );
});

const tokenOf = (redirectTo: string) => new URL(redirectTo).searchParams.get('token')!;
const redeem = (org: Org, token: string) =>
  redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null });
// The person is their organization's only owner, whom the database keeps active: seeded past its trigger.
const setMembership = (org: Org, userId: string, status: string) =>
  asSuperuserWithoutTriggers(
    (sql) =>
      sql`update memberships set status = ${status} where tenant_id = ${org.tenantId} and user_id = ${userId}`,
  );
const audit = (org: Org, action: string) =>
  asSuperuser(
    (sql) =>
      sql`select actor_user_id, target_id, metadata from audit_events
          where tenant_id = ${org.tenantId} and action = ${action} order by created_at desc`,
  );

describe('the switcher’s list', () => {
  it('names every organization where the user’s membership is active, and no other', async () => {
    const deactivated = await orgs.signUpOrg(platform, 'switch-inactive', a.email, PASSWORD);
    await setMembership(deactivated, a.session.userId, 'deactivated');
    const response = await listRoute.GET(
      new Request('http://localhost:3000/api/my-organizations'),
      {
        params: Promise.resolve({}),
      },
    );
    expect(response.status).toBe(200);
    const { organizations } = (await response.json()) as {
      organizations: { id: string; slug: string; current: boolean }[];
    };
    const ids = organizations.map((o) => o.id);
    expect(ids).toContain(a.tenantId);
    expect(ids).toContain(b.tenantId);
    expect(ids).not.toContain(deactivated.tenantId);
    expect(ids).not.toContain(stranger.tenantId);
    expect(organizations.find((o) => o.id === a.tenantId)).toMatchObject({
      slug: a.slug,
      current: true,
    });
    expect(organizations.find((o) => o.id === b.tenantId)).toMatchObject({ current: false });
  });

  it('needs a session', async () => {
    request.pointer = null;
    const response = await listRoute.GET(
      new Request('http://localhost:3000/api/my-organizations'),
      {
        params: Promise.resolve({}),
      },
    );
    expect(response.status).toBe(401);
  });
});

describe('switching organizations', () => {
  it('lands signed in on the other host from this one, audited there as a switch', async () => {
    const result = await orgs.ok(switchOrganization({ organizationId: b.tenantId }));
    expect(result.redirectTo).toMatch(
      new RegExp(`^http://${b.slug}\\.localhost:3000/auth/handoff\\?token=[\\w-]+$`),
    );
    // The browser follows it from a page of `a`: the handoff route on b's host signs in at once.
    request.host = `${b.slug}.localhost:3000`;
    request.pointer = null;
    const response = await handoffRoute.GET(
      new Request(result.redirectTo, { headers: { referer: `http://${a.slug}.localhost:3000/` } }),
    );
    expect({ status: response.status, location: response.headers.get('location') }).toEqual({
      status: 303,
      location: '/',
    });
    const signedIn = (await auth.signIn.mock.results[0]!.value) as { sessionId: string };
    const [entry] = await audit(b, 'session.created');
    expect(entry).toMatchObject({
      actor_user_id: a.session.userId,
      target_id: signedIn.sessionId,
      metadata: { method: 'switch' },
    });
    // Spent.
    expect(await redeem(b, tokenOf(result.redirectTo))).toBeNull();
  });

  it('issues a handoff that no other host redeems', async () => {
    const { redirectTo } = await orgs.ok(switchOrganization({ organizationId: b.tenantId }));
    const token = tokenOf(redirectTo);
    expect(await redeem(a, token)).toBeNull();
    expect(await redeem(stranger, token)).toBeNull();
    // Still good on its own host: the tries elsewhere did not spend it.
    expect(await redeem(b, token)).toMatchObject({ userId: a.session.userId });
  });

  it('signs nobody in once the session it came from is revoked', async () => {
    const source = await redeem(a, await freshHandoff(a));
    orgs.actAs(request, { ...a, session: source! });
    const { redirectTo } = await orgs.ok(switchOrganization({ organizationId: b.tenantId }));
    await asSuperuser(
      (sql) => sql`update sessions set revoked_at = now() where id = ${source!.sessionId}`,
    );
    expect(await redeem(b, tokenOf(redirectTo))).toBeNull();
  });

  it('is refused where the membership is deactivated or removed, and says why', async () => {
    const c = await orgs.signUpOrg(platform, 'switch-c', a.email, PASSWORD);
    const before = await countHandoffs(c);
    await setMembership(c, a.session.userId, 'deactivated');
    expect(await switchOrganization({ organizationId: c.tenantId })).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'Your access to switch-c has been deactivated. Ask one of its admins to reactivate it.',
      },
    });
    await setMembership(c, a.session.userId, 'removed');
    expect(await switchOrganization({ organizationId: c.tenantId })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'You are not a member of this organization.' },
    });
    expect(await countHandoffs(c)).toBe(before);
  });

  it('answers alike for an organization of someone else and one that does not exist', async () => {
    const refusals = await Promise.all(
      [stranger.tenantId, randomUUID()].map((organizationId) =>
        switchOrganization({ organizationId }),
      ),
    );
    expect(refusals[0]).toEqual(refusals[1]);
    expect(refusals[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await countHandoffs(stranger)).toBe(0);
  });

  it('needs a live session, and another organization than this one', async () => {
    expect(await switchOrganization({ organizationId: a.tenantId })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: 'You are already in this organization.' },
    });
    request.pointer = null;
    expect(await switchOrganization({ organizationId: b.tenantId })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    const revoked = await redeem(a, await freshHandoff(a));
    await asSuperuser(
      (sql) => sql`update sessions set revoked_at = now() where id = ${revoked!.sessionId}`,
    );
    orgs.actAs(request, { ...a, session: revoked! });
    expect(await switchOrganization({ organizationId: b.tenantId })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('asks for the second factor only when the session predates two-factor sign-in', async () => {
    const email = `switch-2fa-${randomUUID().slice(0, 6)}@example.test`;
    const first = await orgs.signUpOrg(platform, 'switch-2fa-a', email, PASSWORD);
    const second = await orgs.signUpOrg(platform, 'switch-2fa-b', email, PASSWORD);
    // Two-factor sign-in turned on after `first`'s session was opened.
    await asSuperuser(
      (sql) =>
        sql`insert into user_two_factor (user_id, secret_sealed, enabled_at) values (${first.session.userId}, 'sealed', now())`,
    );
    orgs.actAs(request, first);
    const older = await orgs.ok(switchOrganization({ organizationId: second.tenantId }));
    expect(older.redirectTo).toMatch(
      new RegExp(`^http://${second.slug}\\.localhost:3000/login#challenge=[\\w-]+$`),
    );
    // A session opened since (through its second factor) carries that proof to the other host.
    const newer = await redeem(first, await freshHandoff(first));
    orgs.actAs(request, { ...first, session: newer! });
    const { redirectTo } = await orgs.ok(switchOrganization({ organizationId: second.tenantId }));
    expect(await redeem(second, tokenOf(redirectTo))).toMatchObject({
      userId: first.session.userId,
    });
  });
});

describe('creating an organization from the switcher', () => {
  const newOrg = () => ({
    organizationName: 'Made from the switcher',
    slug: `from-switch-${randomUUID().slice(0, 8)}`,
  });

  it('creates it for the signed-in user, without the password, and hands off to it', async () => {
    const input = newOrg();
    const { redirectTo } = await orgs.ok(createOrganizationFromSwitcher(input));
    expect(redirectTo).toMatch(
      new RegExp(`^http://${input.slug}\\.localhost:3000/auth/handoff\\?token=[\\w-]+$`),
    );
    const [tenant] = await platform`select id, name from tenants where slug = ${input.slug}`;
    expect(tenant).toMatchObject({ name: input.organizationName });
    const created = { ...a, tenantId: tenant!.id as string, slug: input.slug };
    const [owner] = await asSuperuser(
      (sql) =>
        sql`select user_id, role, status from memberships where tenant_id = ${created.tenantId}`,
    );
    expect(owner).toEqual({ user_id: a.session.userId, role: 'owner', status: 'active' });
    const [entry] = await audit(created, 'organization.created');
    expect(entry).toMatchObject({
      actor_user_id: a.session.userId,
      target_id: created.tenantId,
      metadata: { slug: input.slug, via: 'switcher' },
    });
    // Bound to this session, on the new host only.
    const token = tokenOf(redirectTo);
    expect(await redeem(a, token)).toBeNull();
    expect(await redeem(created, token)).toMatchObject({ userId: a.session.userId });
  });

  it('carries the email verification over: a verified address is not asked again', async () => {
    const email = `switch-verified-${randomUUID().slice(0, 6)}@example.test`;
    const verified = await orgs.signUpOrg(platform, 'switch-verified', email, PASSWORD);
    await asSuperuser(
      (sql) =>
        sql`update users set email_verified_at = now() where id = ${verified.session.userId}`,
    );
    orgs.actAs(request, verified);
    const input = newOrg();
    await orgs.ok(createOrganizationFromSwitcher(input));
    // The unverified account `a` gets the new organization's verification mail, as at sign-up.
    orgs.actAs(request, a);
    const other = newOrg();
    await orgs.ok(createOrganizationFromSwitcher(other));
    const mail = await asSuperuser(
      (sql) =>
        sql`select t.slug, m.to_address, m.subject from outgoing_mail m join tenants t on t.id = m.tenant_id
            where t.slug in ${sql([input.slug, other.slug])}`,
    );
    expect(mail).toEqual([
      { slug: other.slug, to_address: a.email, subject: 'Confirm your email address' },
    ]);
  });

  it('says next to the field when the subdomain is taken or invalid, and creates nothing', async () => {
    const before = await countTenants();
    expect(
      await createOrganizationFromSwitcher({ organizationName: 'Taken', slug: b.slug }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        fieldErrors: { slug: 'This subdomain is already taken. Please choose another.' },
      },
    });
    expect(
      await createOrganizationFromSwitcher({ organizationName: 'x', slug: 'admin' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { organizationName: expect.any(String) } },
    });
    expect(await countTenants()).toBe(before);
  });

  it('needs a session: signed out, nothing is created', async () => {
    const before = await countTenants();
    request.pointer = null;
    expect(await createOrganizationFromSwitcher(newOrg())).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await countTenants()).toBe(before);
  });

  it('keeps the sign-up budget per address, and has one per user', async () => {
    const before = await countTenants();
    await spendBudget(`signup:ip:${request.ip}`, getEnv().signupsPerHourPerIp);
    expect(await createOrganizationFromSwitcher(newOrg())).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    request.ip = '203.0.113.251';
    await spendBudget(`new-organization:user:${a.session.userId}`, 10);
    expect(await createOrganizationFromSwitcher(newOrg())).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(await countTenants()).toBe(before);
    await asSuperuser(
      (sql) =>
        sql`delete from rate_limits where key = ${`new-organization:user:${a.session.userId}`}`,
    );
  });

  it('is a write on the current host: the same post from another origin is refused', () => {
    const post = (origin: string) =>
      ({
        method: 'POST',
        headers: { origin, 'x-forwarded-host': `${a.slug}.localhost:3000` },
      }) as unknown as IncomingMessage;
    expect(isCrossOriginWrite(post('http://localhost:3000'))).toBe(true);
    expect(isCrossOriginWrite(post(`http://${b.slug}.localhost:3000`))).toBe(true);
    expect(isCrossOriginWrite(post(`http://${a.slug}.localhost:3000`))).toBe(false);
  });
});

async function freshHandoff(org: Org) {
  const { withTenant } = await import('@/db/with-tenant');
  const { issueHandoffToken } = await import('@/lib/auth/handoff');
  return withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, org.tenantId, org.session.userId),
  );
}

async function countHandoffs(org: Org) {
  const [row] = await asSuperuser(
    (sql) =>
      sql`select count(*)::int as n from single_use_tokens where tenant_id = ${org.tenantId} and purpose = 'handoff' and source_session_id is not null`,
  );
  return row!.n as number;
}

/** The organizations `a`'s person belongs to (other test files create tenants in the same database). */
async function countTenants() {
  const [row] = await asSuperuser(
    (sql) => sql`select count(*)::int as n from memberships where user_id = ${a.session.userId}`,
  );
  return row!.n as number;
}

/** Fills a rate-limit window as if its budget had been spent. */
function spendBudget(key: string, points: number) {
  return asSuperuser(
    (sql) => sql`
      insert into rate_limits (key, points, expires_at) values (${key}, ${points}, now() + interval '1 hour')
      on conflict (key) do update set points = excluded.points, expires_at = excluded.expires_at`,
  );
}

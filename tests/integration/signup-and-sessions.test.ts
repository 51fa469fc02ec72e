import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asSuperuserWithoutTriggers, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

// The request context that Next.js would provide: the host the browser asked for and the session cookie.
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.7';

const { createOrganization } = await import('@/lib/signup/create-organization');
const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getCurrentMember } = await import('@/lib/auth/session');
const { createProject, deleteProject, renameProject } = await import('@/lib/projects/actions');
const orgs = await import('../support/orgs');

let platform: Sql;
const signUpOrg = (label: string, email?: string, password?: string) =>
  orgs.signUpOrg(platform, label, email, password);
const actAs = (org: Org, atHostOf: Org = org) => orgs.actAs(request, org, atHostOf);

beforeAll(() => {
  // Checks of what sign-up wrote, through the platform role's own policies (tenants and users only).
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
});

describe('sign-up', () => {
  it('creates the tenant, the owner and a signed-in session through a single-use handoff token', async () => {
    const org = await signUpOrg('acme');
    expect(org.session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    // The token is spent: replaying it signs nobody in.
    expect(
      await redeemHandoffToken(org.tenantId, org.token, { ip: null, userAgent: null }),
    ).toBeNull();
    actAs(org);
    const member = await getCurrentMember();
    expect(member).toMatchObject({ role: 'owner', email: org.email, tenant: { slug: org.slug } });
  });

  it('creates exactly one organization when the same sign-up is submitted twice at once', async () => {
    const slug = `twice-${randomUUID().slice(0, 8)}`;
    const input = {
      organizationName: 'Twice',
      slug,
      name: 'T',
      email: `${slug}@example.test`,
      password: 'violet-harbor-42',
    };
    const results = await Promise.allSettled([
      createOrganization(input, { ip: '198.51.100.1' }),
      createOrganization(input, { ip: '198.51.100.2' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [count] = await platform`select count(*)::int as n from tenants where slug = ${slug}`;
    expect(count!.n).toBe(1);
  });

  it('refuses a taken subdomain with an error on that field', async () => {
    const org = await signUpOrg('taken');
    await expect(
      createOrganization(
        {
          organizationName: 'Other',
          slug: org.slug,
          name: 'O',
          email: `o-${randomUUID()}@example.test`,
          password: 'violet-harbor-42',
        },
        { ip: '198.51.100.3' },
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { fieldErrors: { slug: expect.stringMatching(/already taken/) } },
    });
  });

  it('attaches a new organization to an existing account only with that account’s password', async () => {
    const first = await signUpOrg('first');
    const slug = `second-${randomUUID().slice(0, 8)}`;
    const input = {
      organizationName: 'Second',
      slug,
      name: 'Someone else',
      email: first.email,
      password: 'another-long-passphrase',
    };
    await expect(createOrganization(input, { ip: '198.51.100.4' })).rejects.toMatchObject({
      code: 'invalid',
      details: { fieldErrors: { password: expect.stringMatching(/does not match this email/) } },
    });
    const [none] = await platform`select count(*)::int as n from tenants where slug = ${slug}`;
    expect(none!.n).toBe(0);

    await createOrganization({ ...input, password: first.password }, { ip: '198.51.100.4' });
    const [users] =
      await platform`select count(*)::int as n from users where lower(email) = ${first.email}`;
    expect(users!.n).toBe(1);
  });

  it('rate limits sign-up attempts per IP address', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const attempt = () =>
      createOrganization(
        {
          organizationName: 'Spam',
          slug: `spam-${randomUUID().slice(0, 8)}`,
          name: 'S',
          email: `s-${randomUUID()}@example.test`,
          password: 'violet-harbor-42',
        },
        { ip },
      );
    for (let i = 0; i < 10; i++) await attempt();
    await expect(attempt()).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: expect.any(Number) },
    });
  });
});

describe('sessions', () => {
  it('does not accept a session of tenant A on tenant B’s host', async () => {
    const a = await signUpOrg('sess-a');
    const b = await signUpOrg('sess-b');
    actAs(a, b);
    expect(await getCurrentMember()).toBeNull();
    // Even a pointer that claims B's tenant but names A's session row finds nothing under B's RLS context.
    request.pointer = {
      sessionId: a.session.sessionId,
      tenantId: b.tenantId,
      userId: a.session.userId,
    };
    expect(await getCurrentMember()).toBeNull();
  });

  it('stops accepting a revoked session on the next request', async () => {
    const org = await signUpOrg('revoke');
    actAs(org);
    expect(await getCurrentMember()).not.toBeNull();
    const app = connect(urls().app, 1);
    await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${org.tenantId}, true)`;
      await tx`update sessions set revoked_at = now() where id = ${org.session.sessionId}`;
    });
    await app.end();
    expect(await getCurrentMember()).toBeNull();
  });

  it('refuses a handoff token on another tenant’s host and after it expires', async () => {
    const a = await signUpOrg('tok-a');
    const b = await signUpOrg('tok-b');
    const { token } = await createOrganization(
      {
        organizationName: 'A2',
        slug: `tok-a2-${randomUUID().slice(0, 8)}`,
        name: 'x',
        email: a.email,
        password: a.password,
      },
      { ip: '198.51.100.9' },
    );
    expect(await redeemHandoffToken(b.tenantId, token!, { ip: null, userAgent: null })).toBeNull();

    const expired = 'e'.repeat(43);
    const { hashToken } = await import('@/lib/auth/tokens');
    const app = connect(urls().app, 1);
    await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
      await tx`
        insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at)
        values (${a.tenantId}, ${hashToken(expired)}, 'handoff', ${a.session.userId}, now() - interval '1 second')`;
    });
    await app.end();
    expect(await redeemHandoffToken(a.tenantId, expired, { ip: null, userAgent: null })).toBeNull();
  });

  it('stores only a hash of handoff tokens', async () => {
    const org = await signUpOrg('hashed');
    const app = connect(urls().app, 1);
    const rows = await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${org.tenantId}, true)`;
      return tx`select token_hash from single_use_tokens where purpose = 'handoff'`;
    });
    await app.end();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toBe(org.token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('projects through the action chain', () => {
  it('creates, renames with a version check, and deletes within the tenant, with an audit event for each', async () => {
    const org = await signUpOrg('proj');
    actAs(org);
    const created = await createProject({ name: 'Roadmap' });
    expect(created).toMatchObject({ ok: true, data: { name: 'Roadmap', version: 1 } });
    const id = created.ok ? created.data.id : '';

    const renamed = await renameProject({ id, name: 'Roadmap 2027', version: 1 });
    expect(renamed).toMatchObject({ ok: true, data: { name: 'Roadmap 2027', version: 2 } });

    const stale = await renameProject({ id, name: 'Lost update', version: 1 });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'conflict', current: { name: 'Roadmap 2027', version: 2 } },
    });

    expect(await deleteProject({ id })).toMatchObject({ ok: true });
    const actions = await asSuperuser(
      (sql) => sql`
      select action from audit_events
      where tenant_id = ${org.tenantId} and target_id = ${id} order by created_at`,
    );
    expect(actions.map((r) => r.action)).toEqual([
      'project.created',
      'project.renamed',
      'project.deleted',
    ]);
  });

  it('answers not_found for another tenant’s project, exactly as for a missing one', async () => {
    const a = await signUpOrg('nf-a');
    const b = await signUpOrg('nf-b');
    actAs(b);
    const theirs = await createProject({ name: 'B only' });
    const bId = theirs.ok ? theirs.data.id : '';
    actAs(a);
    const foreign = await deleteProject({ id: bId });
    const missing = await deleteProject({ id: randomUUID() });
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await renameProject({ id: bId, name: 'pwned', version: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses what the role may not do and validates input', async () => {
    const org = await signUpOrg('roles');
    actAs(org);
    expect(await createProject({ name: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', fieldErrors: { name: expect.any(String) } },
    });
    // The organization's only owner, whom the database keeps an owner: seeded past its trigger.
    const setRole = (role: string) =>
      asSuperuserWithoutTriggers(
        (sql) => sql`
        update memberships set role = ${role}
        where tenant_id = ${org.tenantId} and user_id = ${org.session.userId}`,
      );
    await setRole('viewer');
    expect(await createProject({ name: 'Viewer try' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await setRole('member');
    const made = await createProject({ name: 'Member made' });
    expect(made.ok).toBe(true);
    expect(await deleteProject({ id: made.ok ? made.data.id : '' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses signed-out callers', async () => {
    const org = await signUpOrg('anon');
    request.host = `${org.slug}.localhost:3000`;
    request.pointer = null;
    expect(await createProject({ name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });
});

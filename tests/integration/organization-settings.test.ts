import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.71';

const actions = await import('@/lib/organization/actions');
const session = await import('@/lib/auth/session');
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

const versionOf = async (tenantId: string) =>
  (await asSuperuser((sql) => sql`select version from tenants where id = ${tenantId}`))[0]!
    .version as number;

const auditOf = (tenantId: string, action: string) =>
  asSuperuser(
    (sql) =>
      sql`select actor_user_id, before, after, metadata from audit_events
          where tenant_id = ${tenantId} and action = ${action} order by created_at`,
  );

const verifyEmail = (userId: string) =>
  asSuperuser((sql) => sql`update users set email_verified_at = now() where id = ${userId}`);

describe('organization settings', () => {
  it('saves each setting for an owner, bumps the version and audits what changed', async () => {
    const org = await orgs.signUpOrg(platform, 'set-owner');
    orgs.actAs(request, org);
    const saved = await orgs.ok(
      actions.updateOrganizationSettings({
        version: 1,
        name: 'Renamed Org',
        accentColor: '#FF8800',
        defaultRole: 'viewer',
        sessionIdleDays: '14',
        auditRetention: 'forever',
      }),
    );
    expect(saved).toEqual({ version: 2 });
    const [row] = await asSuperuser(
      (sql) =>
        sql`select name, accent_color, default_role, session_idle_days, audit_retention_days, version
            from tenants where id = ${org.tenantId}`,
    );
    expect(row).toEqual({
      name: 'Renamed Org',
      accent_color: '#ff8800',
      default_role: 'viewer',
      session_idle_days: 14,
      audit_retention_days: null,
      version: 2,
    });
    const [audit] = await auditOf(org.tenantId, 'organization.settings_changed');
    expect(audit).toEqual({
      actor_user_id: org.session.userId,
      before: {
        name: 'set-owner',
        accentColor: null,
        defaultRole: 'member',
        sessionIdleDays: 7,
        auditRetention: '365',
      },
      after: {
        name: 'Renamed Org',
        accentColor: '#ff8800',
        defaultRole: 'viewer',
        sessionIdleDays: 14,
        auditRetention: 'forever',
      },
      metadata: {},
    });
    // The host lookup of this process serves the change at once.
    expect((await session.getCurrentMember())?.tenant.name).toBe('Renamed Org');
  });

  it('refuses a stale version with a conflict that carries the settings as they are', async () => {
    const org = await orgs.signUpOrg(platform, 'set-stale');
    orgs.actAs(request, org);
    await orgs.ok(actions.updateOrganizationSettings({ version: 1, sessionIdleDays: 3 }));
    const stale = await actions.updateOrganizationSettings({ version: 1, sessionIdleDays: 9 });
    expect(stale).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/Another owner changed these settings/),
        current: { version: 2, sessionIdleDays: 3 },
      },
    });
    expect(await versionOf(org.tenantId)).toBe(2);
  });

  it('validates every field, next to it, and changes nothing', async () => {
    const org = await orgs.signUpOrg(platform, 'set-invalid');
    orgs.actAs(request, org);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x' }, 'name'],
      [{ name: 'Line\nbreak' }, 'name'],
      [{ accentColor: 'red' }, 'accentColor'],
      [{ accentColor: '#12345' }, 'accentColor'],
      [{ defaultRole: 'owner' }, 'defaultRole'],
      [{ sessionIdleDays: 0 }, 'sessionIdleDays'],
      [{ sessionIdleDays: 31 }, 'sessionIdleDays'],
      [{ sessionIdleDays: '2.5' }, 'sessionIdleDays'],
      [{ auditRetention: '30' }, 'auditRetention'],
      [{ allowedEmailDomains: 'not a domain!' }, 'allowedEmailDomains'],
      [{}, 'form'],
    ];
    for (const [fields, field] of cases) {
      const result = await actions.updateOrganizationSettings({ version: 1, ...fields });
      expect({ fields, result }).toMatchObject({
        fields,
        result: {
          ok: false,
          error: { code: 'invalid', fieldErrors: { [field]: expect.any(String) } },
        },
      });
    }
    expect(await versionOf(org.tenantId)).toBe(1);
  });

  it('lets an owner allow only the domain of their own confirmed address, never a public provider', async () => {
    const org = await orgs.signUpOrg(platform, 'set-domains', `owner@acme-${Date.now()}.test`);
    const domain = org.email.split('@')[1]!;
    orgs.actAs(request, org);
    expect(
      await actions.updateOrganizationSettings({ version: 1, allowedEmailDomains: domain }),
    ).toMatchObject({
      ok: false,
      error: { fieldErrors: { allowedEmailDomains: expect.stringMatching(/Confirm your own/) } },
    });
    await verifyEmail(org.session.userId);
    for (const [list, message] of [
      ['gmail.com', /public mail provider/],
      [`${domain}\nother-company.test`, /You can add only/],
    ] as const) {
      expect(
        await actions.updateOrganizationSettings({ version: 1, allowedEmailDomains: list }),
      ).toMatchObject({
        ok: false,
        error: { fieldErrors: { allowedEmailDomains: expect.stringMatching(message) } },
      });
    }
    expect(
      await orgs.ok(
        actions.updateOrganizationSettings({
          version: 1,
          allowedEmailDomains: ` @${domain.toUpperCase()}, ${domain}`,
        }),
      ),
    ).toEqual({ version: 2 });
    // A domain another owner listed stays when this one saves the list.
    await asSuperuser(
      (sql) =>
        sql`update tenants set allowed_email_domains = array[${domain}, 'partner.test'] where id = ${org.tenantId}`,
    );
    expect(
      await orgs.ok(
        actions.updateOrganizationSettings({
          version: 2,
          allowedEmailDomains: ['partner.test', domain],
        }),
      ),
    ).toEqual({ version: 3 });
    const [row] = await asSuperuser(
      (sql) => sql`select allowed_email_domains from tenants where id = ${org.tenantId}`,
    );
    expect(row!.allowed_email_domains).toEqual(['partner.test', domain]);
  });

  it('refuses every change to non-owners and to other organizations’ sessions', async () => {
    const org = await orgs.signUpOrg(platform, 'set-roles');
    const other = await orgs.signUpOrg(platform, 'set-foreign');
    const calls = [
      () => actions.updateOrganizationSettings({ version: 1, name: 'Taken over' }),
      () => actions.changeSubdomain({ version: 1, slug: `taken-${org.slug}`.slice(0, 60) }),
      () => actions.removeLogo({ version: 1 }),
    ];
    for (const role of ['admin', 'member', 'viewer'] as const) {
      const member = await orgs.addMember(platform, org, role);
      orgs.actAsMember(request, org, member);
      for (const call of calls) {
        expect(await call()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    // The owner of another organization, with their own cookie, on this organization's host.
    orgs.actAs(request, other, org);
    for (const call of calls) {
      expect(await call()).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect(await versionOf(org.tenantId)).toBe(1);
    expect(await versionOf(other.tenantId)).toBe(1);
  });

  it('applies the idle timeout to every session check at once', async () => {
    const org = await orgs.signUpOrg(platform, 'set-idle');
    orgs.actAs(request, org);
    const idleFor = (days: number) =>
      asSuperuser(
        (sql) =>
          sql`update sessions set last_seen_at = now() - make_interval(days => ${days}) - interval '1 hour'
              where id = ${org.session.sessionId}`,
      );
    await idleFor(2);
    expect(await session.getCurrentMember()).not.toBeNull();
    await orgs.ok(actions.updateOrganizationSettings({ version: 1, sessionIdleDays: 1 }));
    await idleFor(2);
    expect(await session.getCurrentMember()).toBeNull();
    // Longer again: the same session (not revoked, only idle) is valid again.
    await asSuperuser(
      (sql) => sql`update tenants set session_idle_days = 3 where id = ${org.tenantId}`,
    );
    expect(await session.getCurrentMember()).not.toBeNull();
  });
});

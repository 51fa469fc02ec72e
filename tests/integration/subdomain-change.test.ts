import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asRequest, request } from '../support/concurrent-request';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import type { RequestContext } from '../support/orgs';

vi.mock('next/headers', () => import('../support/concurrent-request'));
vi.mock('@/lib/auth/auth', () => import('../support/concurrent-request'));
request.ip = '203.0.113.72';

const actions = await import('@/lib/organization/actions');
const session = await import('@/lib/auth/session');
const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { redirectIfHostMoved } = await import('@/lib/auth/moved-host');
const { getHostTenantOrThrow } = await import('@/lib/tenant/resolve');
const { createOrganization } = await import('@/lib/signup/create-organization');
const projectsRoute = await import('@/app/api/projects/route');
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

const newSlug = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

const redirectsTo = (tenantId: string) =>
  asSuperuser(
    (sql) =>
      sql`select slug, (expires_at - now() > interval '29 days 23 hours') as thirty_days
          from tenant_slug_redirects where target_tenant_id = ${tenantId} order by created_at`,
  );

/** Where a page on the current host redirects, as Next's redirect error says (`;url;status;`). */
async function pageRedirect(path: string) {
  const error = await redirectIfHostMoved(path).then(
    () => null,
    (e: { digest?: string }) => e,
  );
  const [, , url, status] = error?.digest?.split(';') ?? [];
  return error ? { url: url!, status: Number(status) } : null;
}

describe('changing the subdomain', () => {
  it('moves the organization, keeps the old address as a 30-day redirect and lands the owner signed in', async () => {
    const org = await orgs.signUpOrg(platform, 'sub-move');
    orgs.actAs(request, org);
    const slug = newSlug('sub-moved');
    const moved = await orgs.ok(actions.changeSubdomain({ version: 1, slug: slug.toUpperCase() }));
    expect(moved).toMatchObject({ slug, version: 2 });
    const url = new URL(moved.redirectTo);
    expect(url.origin).toBe(`http://${slug}.localhost:3000`);
    expect(url.pathname).toBe('/auth/handoff');
    expect(url.searchParams.get('next')).toBe('/settings/organization');
    expect(await redirectsTo(org.tenantId)).toEqual([{ slug: org.slug, thirty_days: true }]);
    const [audit] = await asSuperuser(
      (sql) =>
        sql`select before, after from audit_events
            where tenant_id = ${org.tenantId} and action = 'organization.slug_changed'`,
    );
    expect(audit).toEqual({ before: { slug: org.slug }, after: { slug } });

    // The handoff carries this session over: signed in on the new host, ended on the old one.
    const signedIn = await redeemHandoffToken(org.tenantId, tokenOf(moved.redirectTo), {
      ip: null,
      userAgent: null,
    });
    expect(signedIn).toMatchObject({
      userId: org.session.userId,
      movedFromSessionId: org.session.sessionId,
    });
    const [old] = await asSuperuser(
      (sql) => sql`select revoked_at from sessions where id = ${org.session.sessionId}`,
    );
    expect(old!.revoked_at).not.toBeNull();
    request.host = `${slug}.localhost:3000`;
    request.pointer = {
      sessionId: signedIn!.sessionId,
      tenantId: org.tenantId,
      userId: org.session.userId,
    };
    expect((await session.getCurrentMember())?.tenant.slug).toBe(slug);
  });

  it('sends requests to the old address on: 308 signed out and for the API, a session handoff signed in', async () => {
    const org = await orgs.signUpOrg(platform, 'sub-old');
    orgs.actAs(request, org);
    const slug = newSlug('sub-new');
    // Another tab of the same browser stays on the old host with this session.
    const tab = await orgs.addMember(platform, org, 'member');
    await orgs.ok(actions.changeSubdomain({ version: 1, slug }));
    const oldHost = `${org.slug}.localhost:3000`;

    // Signed out: the same path on the new host, permanently.
    request.host = oldHost;
    request.pointer = null;
    expect(await pageRedirect('/projects?view=list')).toEqual({
      url: `http://${slug}.localhost:3000/projects?view=list`,
      status: 308,
    });
    await expect(getHostTenantOrThrow()).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(`has moved to ${slug}.localhost:3000`),
    });

    // Signed in (the member's session on the old host): a single-use handoff that lands on the same path.
    orgs.actAsMember(request, { ...org, slug: org.slug }, tab);
    const signedIn = await pageRedirect('/projects');
    expect(signedIn?.status).toBe(307);
    const handoff = new URL(signedIn!.url);
    expect(handoff.origin + handoff.pathname).toBe(`http://${slug}.localhost:3000/auth/handoff`);
    expect(handoff.searchParams.get('next')).toBe('/projects');
    // Actions on the old host say where the organization went.
    expect(await actions.removeLogo({ version: 2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/has moved to/) },
    });
    // The API answers 308 to the same path, signed in or not.
    const api = await projectsRoute.GET(new Request(`http://${oldHost}/api/projects?x=1`), {
      params: Promise.resolve({}),
    });
    expect(api.status).toBe(308);
    expect(api.headers.get('location')).toBe(`http://${slug}.localhost:3000/api/projects?x=1`);

    // Redeemed on the new host: the session moved; a second handoff from it is refused.
    const moved = await redeemHandoffToken(org.tenantId, handoff.searchParams.get('token')!, {
      ip: null,
      userAgent: null,
    });
    expect(moved?.movedFromSessionId).toBe(tab.session.sessionId);
    expect(await pageRedirect('/projects')).toMatchObject({ status: 308 });
  });

  it('refuses a handoff whose session ended before it was redeemed', async () => {
    const org = await orgs.signUpOrg(platform, 'sub-revoked');
    orgs.actAs(request, org);
    const moved = await orgs.ok(actions.changeSubdomain({ version: 1, slug: newSlug('sub-rv') }));
    await asSuperuser(
      (sql) => sql`update sessions set revoked_at = now() where id = ${org.session.sessionId}`,
    );
    expect(
      await redeemHandoffToken(org.tenantId, tokenOf(moved.redirectTo), {
        ip: null,
        userAgent: null,
      }),
    ).toBeNull();
    const [token] = await asSuperuser(
      (sql) =>
        sql`select used_at from single_use_tokens where source_session_id = ${org.session.sessionId}`,
    );
    expect(token!.used_at).not.toBeNull();
  });

  it('validates the subdomain like sign-up, and refuses one taken by an organization or its redirect', async () => {
    const org = await orgs.signUpOrg(platform, 'sub-rules');
    const other = await orgs.signUpOrg(platform, 'sub-holder');
    orgs.actAs(request, other);
    const released = newSlug('sub-released');
    await orgs.ok(actions.changeSubdomain({ version: 1, slug: released }));
    const otherFormer = other.slug;

    orgs.actAs(request, org);
    for (const [slug, message] of [
      ['admin', /reserved/],
      ['ab', /at least 3/],
      ['-bad-', /hyphen/],
      ['under_score', /lowercase letters/],
      [org.slug, /already your subdomain/],
    ] as const) {
      expect(await actions.changeSubdomain({ version: 1, slug })).toMatchObject({
        ok: false,
        error: { fieldErrors: { slug: expect.stringMatching(message) } },
      });
    }
    for (const slug of [released, otherFormer]) {
      expect(await actions.changeSubdomain({ version: 1, slug })).toMatchObject({
        ok: false,
        error: { code: 'conflict', fieldErrors: { slug: expect.stringMatching(/taken/) } },
      });
    }
    // Sign-up cannot take a former address while it redirects either.
    await expect(
      createOrganization(
        {
          organizationName: 'Squatter',
          slug: otherFormer,
          name: 'Squatter',
          email: `squat-${randomUUID().slice(0, 6)}@example.test`,
          password: 'violet-harbor-42',
        },
        { ip: '198.51.100.77' },
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { fieldErrors: { slug: expect.any(String) } },
    });
    expect(await redirectsTo(org.tenantId)).toEqual([]);
  });

  it('frees a former address once it expires, and gives it back to its own organization at once', async () => {
    const org = await orgs.signUpOrg(platform, 'sub-back');
    orgs.actAs(request, org);
    const first = org.slug;
    const away = await orgs.ok(actions.changeSubdomain({ version: 1, slug: newSlug('sub-away') }));
    request.host = `${away.slug}.localhost:3000`;
    // Back to the old one: its redirect ends, the one just left starts.
    const back = await orgs.ok(actions.changeSubdomain({ version: 2, slug: first }));
    expect(back.slug).toBe(first);
    const redirects = await redirectsTo(org.tenantId);
    expect(redirects.map((r) => r.slug)).not.toContain(first);
    expect(redirects).toHaveLength(1);

    // Expired: another organization may take it.
    const expired = redirects[0]!.slug as string;
    await asSuperuser(
      (sql) =>
        sql`update tenant_slug_redirects set expires_at = now() - interval '1 second' where slug = ${expired}`,
    );
    const taker = await orgs.signUpOrg(platform, 'sub-taker');
    orgs.actAs(request, taker);
    expect(await orgs.ok(actions.changeSubdomain({ version: 1, slug: expired }))).toMatchObject({
      slug: expired,
    });
    expect(
      await asSuperuser((sql) => sql`select 1 from tenant_slug_redirects where slug = ${expired}`),
    ).toHaveLength(0);
  });

  it('lets one of two organizations renaming to the same subdomain at once win, and tells the other', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await orgs.signUpOrg(platform, 'sub-race-a');
      const b = await orgs.signUpOrg(platform, 'sub-race-b');
      const wanted = newSlug('sub-race');
      const rename = (org: typeof a, slug: string) => {
        const own: RequestContext = { host: '', pointer: null };
        orgs.actAs(own, org);
        return asRequest(own, () => actions.changeSubdomain({ version: 1, slug }));
      };
      const results = await Promise.all([rename(a, wanted), rename(b, wanted)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({
        error: { code: 'conflict', fieldErrors: { slug: expect.stringMatching(/taken/) } },
      });
    }
  });

  it('never lets a slug be both an organization’s and another’s live redirect, whatever runs at once', async () => {
    for (let round = 0; round < 3; round++) {
      const leaving = await orgs.signUpOrg(platform, 'sub-leave');
      const arriving = await orgs.signUpOrg(platform, 'sub-arrive');
      const contested = leaving.slug;
      const move = (org: typeof leaving, slug: string) => {
        const own: RequestContext = { host: '', pointer: null };
        orgs.actAs(own, org);
        return asRequest(own, () => actions.changeSubdomain({ version: 1, slug }));
      };
      const [left, arrived] = await Promise.all([
        move(leaving, newSlug('sub-left')),
        move(arriving, contested),
      ]);
      const [holders] = await asSuperuser(
        (sql) =>
          sql`select (select count(*)::int from tenants where slug = ${contested}) as tenants,
                     (select count(*)::int from tenant_slug_redirects
                      where slug = ${contested} and expires_at > now()) as redirects`,
      );
      expect(holders!.tenants + holders!.redirects).toBe(1);
      // The arriving organization can have it only if the leaving one failed to leave.
      expect(arrived.ok && left.ok).toBe(false);
    }
  });
});

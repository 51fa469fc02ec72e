import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { asSuperuser, asTenant, connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';

// The request Next.js would provide, and Auth.js's signIn, which here runs the project's own handoff
// provider (lib/auth/config.ts): it redeems the token, or throws CredentialsSignin.
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));
request.ip = '203.0.113.60';

const { authConfig } = await import('@/lib/auth/config');
const { getEnv } = await import('@/lib/config/env');
const { withTenant } = await import('@/db/with-tenant');
const { findHandoffToken, issueHandoffToken, redeemHandoffToken } = await import(
  '@/lib/auth/handoff'
);
const route = await import('@/app/tenant/[slug]/auth/handoff/route');
const { default: ConfirmPage } = await import('@/app/tenant/[slug]/auth/handoff/confirm/page');
const { renderToStaticMarkup } = await import('react-dom/server');
const orgs = await import('../support/orgs');

type Authorize = (credentials: { token: string }) => Promise<unknown>;
const provider = authConfig(getEnv()).providers[0] as unknown as {
  options: { authorize: Authorize };
};

let platform: Sql;
let app: Sql;
let org: Org;
beforeAll(async () => {
  platform = connect(urls().platform, 2);
  app = connect(urls().app, 2);
  org = await orgs.signUpOrg(platform, 'handoff');
});
afterAll(() => Promise.all([platform.end(), app.end()]));
beforeEach(() => {
  request.host = `${org.slug}.localhost:3000`;
  request.pointer = null;
  auth.signIn.mockReset();
  auth.signIn.mockImplementation((_provider: string, options: { token: string }) =>
    provider.options.authorize({ token: options.token }),
  );
});

/** A fresh link, as sign-up or a password sign-in issues it. */
const freshToken = (of: Org = org) =>
  withTenant({ tenantId: of.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, of.tenantId, of.session.userId),
  );

const countSessions = async () =>
  (
    await asTenant(
      app,
      org.tenantId,
      org.session.userId,
      (tx) => tx`select count(*)::int as n from sessions where tenant_id = ${org.tenantId}`,
    )
  )[0]!.n as number;

const open = (token: string, referer?: string) =>
  route.GET(
    new Request(`http://localhost:3000/auth/handoff?token=${encodeURIComponent(token)}`, {
      headers: referer ? { referer } : {},
    }),
  );

const confirm = (body: string) =>
  route.POST(
    new Request('http://localhost:3000/auth/handoff', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    }),
  );

const redirectOf = (response: Response) => ({
  status: response.status,
  location: response.headers.get('location'),
});

describe('a handoff link that did not come from one of the app’s pages', () => {
  it('leads to the confirmation page and leaves the token unspent', async () => {
    const other = await orgs.signUpOrg(platform, 'handoff-other');
    const foreign = [
      undefined,
      '',
      'https://evil.example/',
      'http://evil.example/page?x=1',
      'http://localhost:3000.evil.example/',
      'http://localhost:3001/',
      'https://localhost:3000/',
      `https://${other.slug}.localhost:3000/`,
      'http://nobody-has-this-slug.localhost:3000/',
      'http://admin.localhost:3000/',
      `http://a.${org.slug}.localhost:3000/`,
      'not a url',
    ];
    const token = await freshToken();
    const before = await countSessions();
    for (const referer of foreign) {
      expect({ referer, ...redirectOf(await open(token, referer)) }).toEqual({
        referer,
        status: 303,
        location: `/auth/handoff/confirm?token=${encodeURIComponent(token)}`,
      });
    }
    expect(auth.signIn).not.toHaveBeenCalled();
    expect(await countSessions()).toBe(before);
    expect(await findHandoffToken(org.tenantId, token)).toEqual({
      name: expect.any(String),
      email: org.email,
    });
  });

  it('signs in only once the confirmation is posted, and only once', async () => {
    const token = await freshToken();
    const before = await countSessions();
    // Viewing the page (twice, as a link scanner and then its reader would) spends nothing.
    for (let i = 0; i < 2; i++) {
      const html = renderToStaticMarkup(
        await ConfirmPage({ searchParams: Promise.resolve({ token }) }),
      );
      expect(html.replace(/<[^>]*>/g, '')).toContain(`Continue to handoff as ${org.email}?`);
      expect(html).toContain('action="/auth/handoff"');
      expect(html).toContain(`name="token" value="${token}"`);
      expect(html).toContain('href="/login"');
    }
    expect(await countSessions()).toBe(before);

    expect(redirectOf(await confirm(`token=${token}`))).toEqual({ status: 303, location: '/' });
    expect(await countSessions()).toBe(before + 1);
    // Spent: a second post, the page and the link all lead to "link expired".
    expect(redirectOf(await confirm(`token=${token}`))).toEqual({
      status: 303,
      location: '/login?error=link',
    });
    await expect(ConfirmPage({ searchParams: Promise.resolve({ token }) })).rejects.toMatchObject({
      digest: expect.stringContaining(';/login?error=link;'),
    });
    expect(redirectOf(await open(token, 'http://localhost:3000/'))).toEqual({
      status: 303,
      location: '/login?error=link',
    });
    expect(await countSessions()).toBe(before + 1);
  });

  it('shows “link expired” for an expired token, one of another organization, or none', async () => {
    const expired = await freshToken();
    // The runtime role may only spend tokens (db/grants.allowlist): ageing one takes the superuser.
    await asSuperuser(
      (sql) =>
        sql`update single_use_tokens set expires_at = now() - interval '1 second' where tenant_id = ${org.tenantId} and purpose = 'handoff'`,
    );
    const other = await orgs.signUpOrg(platform, 'handoff-foreign');
    const foreign = await freshToken(other);
    for (const token of [expired, foreign, '', 'short', 'x'.repeat(200)]) {
      await expect(ConfirmPage({ searchParams: Promise.resolve({ token }) })).rejects.toMatchObject(
        { digest: expect.stringContaining(';/login?error=link;') },
      );
      expect(redirectOf(await confirm(`token=${encodeURIComponent(token)}`))).toEqual({
        status: 303,
        location: '/login?error=link',
      });
    }
    await expect(ConfirmPage({ searchParams: Promise.resolve({}) })).rejects.toMatchObject({
      digest: expect.stringContaining(';/login?error=link;'),
    });
    expect(redirectOf(await confirm('{"token":1}'))).toEqual({
      status: 303,
      location: '/login?error=link',
    });
    // The other organization's token still works on its own host.
    expect(await findHandoffToken(other.tenantId, foreign)).not.toBeNull();
  });
});

describe('a handoff link followed from one of the app’s own pages', () => {
  it('signs in at once from the root host (sign-up) and from another organization’s host', async () => {
    const other = await orgs.signUpOrg(platform, 'handoff-switch');
    for (const referer of [
      'http://localhost:3000/',
      'http://localhost:3000/signup',
      `http://${other.slug}.localhost:3000/`,
    ]) {
      const token = await freshToken();
      const before = await countSessions();
      expect({ referer, ...redirectOf(await open(token, referer)) }).toEqual({
        referer,
        status: 303,
        location: '/',
      });
      expect(await countSessions()).toBe(before + 1);
      expect(await findHandoffToken(org.tenantId, token)).toBeNull();
    }
  });
});

describe('a handoff made from a signed-in session', () => {
  const fromSession = async (sourceSessionId: string) =>
    withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
      issueHandoffToken(tx, org.tenantId, org.session.userId, { sourceSessionId }),
    );

  it('signs in while that session is live', async () => {
    const token = await fromSession(org.session.sessionId);
    expect(await findHandoffToken(org.tenantId, token)).not.toBeNull();
    expect(
      await redeemHandoffToken(org.tenantId, token, { ip: null, userAgent: null }),
    ).toMatchObject({ userId: org.session.userId });
  });

  it('signs nobody in once that session has been revoked, or when it is someone else’s', async () => {
    const other = await orgs.signUpOrg(platform, 'handoff-source');
    const foreign = await fromSession(other.session.sessionId);
    const source = await redeemHandoffToken(org.tenantId, await freshToken(), {
      ip: null,
      userAgent: null,
    });
    const token = await fromSession(source!.sessionId);
    await asSuperuser(
      (sql) => sql`update sessions set revoked_at = now() where id = ${source!.sessionId}`,
    );
    for (const t of [token, foreign]) {
      expect(await findHandoffToken(org.tenantId, t)).toBeNull();
      expect(await redeemHandoffToken(org.tenantId, t, { ip: null, userAgent: null })).toBeNull();
    }
  });
});

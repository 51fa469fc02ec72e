import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { totpCode } from '../support/two-factor';

// The request Next.js would provide, and Auth.js's signIn, which redeems the handoff token as the real
// provider does (lib/auth/config.ts).
const auth = vi.hoisted(() => ({ signIn: vi.fn() }));
vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: auth.signIn,
}));

const { redeemHandoffToken } = await import('@/lib/auth/handoff');
const { getHostTenant } = await import('@/lib/tenant/resolve');
const { signInWithPassword, signInWithSecondFactor } = await import('@/lib/auth/sign-in');
const actions = await import('@/lib/two-factor/actions');
const { middleware } = await import('@/middleware');
const { NextRequest } = await import('next/server');
const orgs = await import('../support/orgs');

let platform: Sql;
beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.pointer = null;
  request.ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
  auth.signIn.mockReset();
  auth.signIn.mockImplementation(async (_provider: string, options: { token: string }) => {
    const tenant = await getHostTenant();
    const signedIn =
      tenant && (await redeemHandoffToken(tenant.id, options.token, { ip: null, userAgent: null }));
    if (!signedIn) throw new Error('handoff token refused');
  });
});

/** The `next` values of the security review, and their relatives; each one left the host before. */
const HOSTILE = [
  '/\t/evil.example/pwn',
  '/\t\\evil.example/x',
  '/\n/evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/.//evil.example/x',
  'https:evil.example',
  'https://evil.example/',
  'javascript:alert(document.cookie)',
  ' //evil.example',
  '//evil。example',
];

/** Where a browser on the sign-in page goes when it follows the answer. */
const landing = (redirectTo: string, slug: string) =>
  new URL(redirectTo, `http://${slug}.localhost:3000/login`);

describe('the page after sign-in', () => {
  it('never leaves the organization’s host, whatever `next` says', async () => {
    const org = await orgs.signUpOrg(platform, 'next');
    request.host = `${org.slug}.localhost:3000`;
    for (const next of HOSTILE) {
      const { redirectTo } = (await signInWithPassword({
        email: org.email,
        password: org.password,
        next,
      })) as { redirectTo: string };
      expect({ next, redirectTo }).toEqual({ next, redirectTo: '/' });
    }
    // A path of the host is kept, as the normalised path (percent-encoded slashes stay a path).
    for (const [next, path] of [
      ['/projects/1?task=2', '/projects/1?task=2'],
      ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
      ['/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
    ]) {
      const { redirectTo } = (await signInWithPassword({
        email: org.email,
        password: org.password,
        next,
      })) as { redirectTo: string };
      expect(redirectTo).toBe(path);
      expect(landing(redirectTo, org.slug).host).toBe(`${org.slug}.localhost:3000`);
    }
    expect(auth.signIn).toHaveBeenCalledTimes(HOSTILE.length + 3);
  });

  it('is checked the same way after the second factor', async () => {
    const org = await orgs.signUpOrg(platform, 'next-2fa');
    orgs.actAs(request, org);
    const started = await actions.startTwoFactorSetup({ password: org.password });
    if (!started.ok) throw new Error(started.error.message);
    await actions.confirmTwoFactorSetup({ code: totpCode(started.data.secret) });
    request.pointer = null;
    const step = await signInWithPassword({ email: org.email, password: org.password });
    if (!('secondFactor' in step)) throw new Error('expected a second-factor challenge');
    await expect(
      signInWithSecondFactor({
        challenge: step.secondFactor.challenge,
        code: totpCode(started.data.secret, 1),
        next: '/\t/evil.example/pwn',
      }),
    ).resolves.toEqual({ redirectTo: '/' });
  });
});

describe('the sign-in redirect of middleware', () => {
  const signedOut = (path: string) =>
    middleware(
      new NextRequest(`http://acme.localhost:3000${path}`, {
        headers: { host: 'acme.localhost:3000' },
      }),
    );

  it('keeps a path of the host as `next`', () => {
    const location = new URL(signedOut('/projects/1?task=2').headers.get('location')!);
    expect(location.origin).toBe('http://acme.localhost:3000');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe('/projects/1?task=2');
  });

  it('drops a path that a browser would read as another host', () => {
    for (const path of ['//evil.example/x', '/.//evil.example/x', '/\\evil.example']) {
      const location = new URL(signedOut(path).headers.get('location')!);
      expect({ path, next: location.searchParams.get('next') }).toEqual({ path, next: null });
    }
  });
});

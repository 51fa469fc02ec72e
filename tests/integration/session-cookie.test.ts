import { Auth, skipCSRFCheck } from '@auth/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';

// The tenant host the sign-in happens on, as the project's server passes it to Next.js.
vi.mock('next/headers', () => import('../support/fake-request'));
request.ip = '203.0.113.40';

const { authConfig } = await import('@/lib/auth/config');
const { parseEnv } = await import('@/lib/config/env');
const orgs = await import('../support/orgs');
const { issueHandoffToken } = await import('@/lib/auth/handoff');
const { withTenant } = await import('@/db/with-tenant');

let platform: Sql;
beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());

/**
 * Signs in through Auth.js's own credentials callback with the project's configuration under `appUrl`,
 * exactly what `signIn('handoff', ...)` runs inside a route handler, and returns the session cookie's
 * Set-Cookie attributes.
 */
async function sessionCookie(appUrl: string) {
  const env = parseEnv({ ...process.env, APP_URL: appUrl });
  const protocol = env.protocol;
  const org = await orgs.signUpOrg(platform, `cookie-${protocol.slice(0, -1)}`);
  request.host = `${org.slug}.localhost:3000`;
  const token = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    issueHandoffToken(tx, org.tenantId, org.session.userId),
  );
  const response = await Auth(
    new Request(`${protocol}//${request.host}/api/auth/callback/handoff`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, callbackUrl: '/' }),
    }),
    {
      ...authConfig(env),
      basePath: '/api/auth',
      skipCSRFCheck,
    },
  );
  const cookies = response.headers.getSetCookie();
  const session = cookies.find((c) => /^(__Host-)?authjs\.session-token=/.test(c));
  if (!session) throw new Error(`No session cookie in ${JSON.stringify(cookies)}`);
  const [nameValue, ...attributes] = session.split(/;\s*/);
  return {
    name: nameValue!.split('=')[0],
    attributes: attributes.map((a) => a.split('=')[0]!.toLowerCase()),
    value: (name: string) =>
      attributes
        .find((a) => a.toLowerCase().startsWith(`${name}=`))
        ?.split('=')[1]
        ?.toLowerCase(),
  };
}

describe('the session cookie', () => {
  it('under an https APP_URL is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain', async () => {
    const cookie = await sessionCookie('https://example.com');
    expect(cookie.name).toBe('__Host-authjs.session-token');
    expect(cookie.attributes).toEqual(expect.arrayContaining(['secure', 'httponly']));
    expect(cookie.value('samesite')).toBe('lax');
    expect(cookie.value('path')).toBe('/');
    expect(cookie.attributes).not.toContain('domain');
  });

  it('under http is HttpOnly, SameSite=Lax and host-only (no Domain), without Secure', async () => {
    const cookie = await sessionCookie('http://localhost:3000');
    expect(cookie.name).toBe('authjs.session-token');
    expect(cookie.attributes).toContain('httponly');
    expect(cookie.attributes).not.toContain('secure');
    expect(cookie.value('samesite')).toBe('lax');
    expect(cookie.value('path')).toBe('/');
    expect(cookie.attributes).not.toContain('domain');
  });
});

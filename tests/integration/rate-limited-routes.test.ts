import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', async () => ({
  ...(await import('../support/fake-request')),
  signIn: async () => '/',
}));
request.ip = '198.18.0.1';

const routes = {
  signup: await import('@/app/api/signup/route'),
  login: await import('@/app/api/login/route'),
  reset: await import('@/app/api/password-reset/route'),
  resend: await import('@/app/api/email-verification/resend/route'),
};
const orgs = await import('../support/orgs');

let platform: Sql;
beforeAll(() => {
  platform = connect(urls().platform, 2);
});
afterAll(() => platform.end());
beforeEach(() => {
  request.host = 'localhost:3000';
  request.pointer = null;
  // A fresh client address per test: limits are per address.
  request.ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
});

const post = (route: { POST: (r: Request) => Promise<Response> }, body: unknown) =>
  route.POST(
    new Request('http://localhost:3000/api/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

/** A 429 a client can act on: Retry-After in seconds, and the same figure and a message in the body. */
async function expectTooManyRequests(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = response.headers.get('Retry-After');
  expect(retryAfter).toMatch(/^[1-9]\d*$/);
  expect(await response.json()).toEqual({
    error: {
      code: 'rate_limited',
      message: expect.stringMatching(
        /^Too many attempts\. Please wait \d+ minutes? and try again\.$/,
      ),
      retryAfterSeconds: Number(retryAfter),
    },
  });
}

const signupBody = () => {
  const slug = `rl-${randomUUID().slice(0, 8)}`;
  return {
    organizationName: 'Rate limited',
    slug,
    name: 'R',
    email: `${slug}@example.test`,
    password: 'violet-harbor-42',
  };
};

describe('rate-limited form routes answer 429 with Retry-After', () => {
  it('POST /api/signup, after 10 sign-ups from one address in an hour', async () => {
    for (let i = 0; i < 10; i++) {
      const ok = await post(routes.signup, signupBody());
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({
        redirectTo: expect.stringContaining('/auth/handoff?token='),
      });
    }
    await expectTooManyRequests(await post(routes.signup, signupBody()));
  });

  it('POST /api/password-reset, after 10 requests from one address', async () => {
    const org = await orgs.signUpOrg(platform, 'rl-reset');
    request.host = `${org.slug}.localhost:3000`;
    for (let i = 0; i < 10; i++) {
      const ok = await post(routes.reset, { email: `nobody-${i}@example.test` });
      expect(await ok.json()).toEqual({ done: true });
    }
    await expectTooManyRequests(await post(routes.reset, { email: org.email }));
  });

  it('POST /api/email-verification/resend, after 3 resends in an hour', async () => {
    const org = await orgs.signUpOrg(platform, 'rl-resend');
    orgs.actAs(request, org);
    for (let i = 0; i < 3; i++) {
      expect(await (await post(routes.resend, {})).json()).toEqual({ done: true });
    }
    await expectTooManyRequests(await post(routes.resend, {}));
  });

  it('POST /api/login, once one address has made 100 sign-in attempts in 15 minutes', async () => {
    const org = await orgs.signUpOrg(platform, 'rl-login');
    request.host = `${org.slug}.localhost:3000`;
    // 98 earlier attempts, counted as the limiter counts them; the next two are real.
    await platform`insert into rate_limits (key, points, expires_at)
      values (${`login-attempts:ip:${request.ip}`}, 98, now() + interval '15 minutes')`;
    const wrong = await post(routes.login, { email: org.email, password: 'not-the-password' });
    expect(wrong.status).toBe(400);
    const right = await post(routes.login, { email: org.email, password: org.password });
    expect(await right.json()).toEqual({ redirectTo: '/' });
    // Even the right password is refused now, from this address only.
    await expectTooManyRequests(
      await post(routes.login, { email: org.email, password: org.password }),
    );
    request.ip = '198.19.0.1';
    expect((await post(routes.login, { email: org.email, password: org.password })).status).toBe(
      200,
    );
  });

  it('POST /api/login, once one address has failed 30 times', async () => {
    const org = await orgs.signUpOrg(platform, 'rl-fail');
    request.host = `${org.slug}.localhost:3000`;
    for (let i = 0; i < 30; i++) {
      const wrong = await post(routes.login, { email: `nobody-${i}@example.test`, password: 'x' });
      expect(wrong.status).toBe(400);
    }
    await expectTooManyRequests(
      await post(routes.login, { email: org.email, password: org.password }),
    );
  });

  it('answers field errors with 400 and refuses bodies that are not JSON', async () => {
    const missing = await post(routes.signup, { ...signupBody(), email: 'not-an-email' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'invalid', fieldErrors: { email: expect.any(String) } },
    });
    const form = await routes.signup.POST(
      new Request('http://localhost:3000/api/signup', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'slug=x',
      }),
    );
    expect(form.status).toBe(400);
    const resend = await post(routes.resend, {});
    expect(resend.status).toBe(401);
  });
});

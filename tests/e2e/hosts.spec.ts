import { expect, test } from '@playwright/test';
import {
  newOrganization,
  nodeRequest,
  nodeRequestWithHeaders,
  PORT,
  ROOT,
  signUp,
  tenantUrl,
} from './helpers';

test('an unknown subdomain shows a friendly 404 with a way back to the root', async ({ page }) => {
  const response = await page.goto(tenantUrl('no-such-org-here', '/login'));
  expect(response?.status()).toBe(404);
  await expect(
    page.getByRole('heading', { name: 'No organization at this address' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Find my organization' }).click();
  await expect(page).toHaveURL(`${ROOT}/login`);
});

test('reserved subdomains never resolve to an organization', async ({ page }) => {
  for (const reserved of ['www', 'api', 'admin', 'dashboard']) {
    const response = await page.goto(tenantUrl(reserved, '/'));
    expect(response?.status(), reserved).toBe(404);
    await expect(
      page.getByRole('heading', { name: 'No organization at this address' }),
    ).toBeVisible();
  }
});

test('the internal tenant segment is not reachable by its path on any host', async ({ page }) => {
  const org = newOrganization('delta');
  await signUp(page, org);
  for (const host of [`localhost:${PORT}`, `${org.slug}.localhost:${PORT}`]) {
    for (const path of [`/tenant/${org.slug}`, `/tenant/${org.slug}/projects`, '/tenant']) {
      const res = await nodeRequest(host, path);
      expect({ host, path, status: res.status }).toEqual({ host, path, status: 404 });
    }
  }
});

test('a forged X-Forwarded-Host cannot pick the tenant', async () => {
  const org = newOrganization('epsilon');
  // No organization needed to exist: the root host must keep serving the root pages.
  const res = await nodeRequest(`localhost:${PORT}`, '/', {
    'x-forwarded-host': `${org.slug}.localhost:${PORT}`,
  });
  expect(res.status).toBe(200);
  expect(res.body).toContain('A workspace of your own');
});

test('root sign-in sends the browser to the organization’s own sign-in page', async ({
  page,
  browser,
}) => {
  const org = newOrganization('zeta');
  const owner = await browser.newPage();
  await signUp(owner, org);
  await owner.close();

  await page.goto(`${ROOT}/login`);
  await page.getByLabel('Organization address').fill('no-such-org-zzz');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(
    page.getByText('There is no organization at this address. Check the spelling.'),
  ).toBeVisible();
  await page.getByLabel('Organization address').fill(org.slug);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(tenantUrl(org.slug, '/login'));
  await expect(page.getByRole('heading', { name: `Sign in to ${org.name}` })).toBeVisible();
});

test('health says the process is alive; readiness checks what it depends on', async () => {
  const health = await nodeRequest(`localhost:${PORT}`, '/api/health');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
  const ready = await nodeRequest(`localhost:${PORT}`, '/api/ready');
  expect(ready.status).toBe(200);
  expect(ready.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(ready.body) as { status: string; checks: Record<string, string> };
  expect(body.status).toBe('ready');
  // The queue too, in a build that has one (lib/observability/queue-source.ts).
  expect(body.checks).toMatchObject({ database: 'ok', realtime: 'ok' });
  expect(Object.values(body.checks).every((result) => result === 'ok')).toBe(true);
});

test('every page carries the security headers, with a fresh script nonce each time', async () => {
  const first = await nodeRequestWithHeaders(`localhost:${PORT}`, '/signup');
  const second = await nodeRequestWithHeaders(`localhost:${PORT}`, '/signup');
  const csp = first['content-security-policy'] ?? '';
  expect(csp).toContain(`frame-ancestors 'none'`);
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(second['content-security-policy']).not.toBe(csp);
  expect(first).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  });
});

test('JSON routes, static files and the server’s own refusals carry the fixed security headers, without middleware', async () => {
  const org = newOrganization('headers');
  const tenantHost = `${org.slug}.localhost:${PORT}`;
  const fixed = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    // Nothing that is not a page may load or run anything: middleware, which sets a page's CSP, did not run.
    'content-security-policy': expect.stringContaining(`default-src 'none'`),
  };
  const answers = [
    await nodeRequest(`localhost:${PORT}`, '/api/static'),
    await nodeRequest(tenantHost, '/api/static'),
    await nodeRequest(`localhost:${PORT}`, '/api/health'),
    // Signed out: the handler's own 401.
    await nodeRequest(tenantHost, '/api/projects/00000000-0000-4000-8000-000000000000/board'),
    await nodeRequest(`localhost:${PORT}`, '/icon.svg'),
    // The server's own 403 for a write from another site.
    await nodeRequest(
      `localhost:${PORT}`,
      '/api/signup',
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      'POST',
      '{}',
    ),
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 200, 403]);
  for (const answer of answers) {
    expect(answer.headers).toMatchObject(fixed);
    expect(answer.headers['content-security-policy']).not.toContain('nonce-');
  }
  // A client's own CSP request header does not reach anything either: the JSON answer is the same.
  const forged = await nodeRequest(`localhost:${PORT}`, '/api/static', {
    'content-security-policy': "script-src 'nonce-forged'",
  });
  expect(forged.headers['content-security-policy']).not.toContain('forged');
});

test('Auth.js exposes no HTTP endpoints of its own: sessions are only read and ended through the app', async () => {
  for (const path of [
    '/api/auth/session',
    '/api/auth/signout',
    '/api/auth/csrf',
    '/api/auth/callback/handoff',
  ]) {
    const res = await nodeRequest(`localhost:${PORT}`, path);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
  }
});

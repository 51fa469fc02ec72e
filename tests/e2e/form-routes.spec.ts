import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { newOrganization, PORT, signUp, tenantUrl } from './helpers';

/** A JSON POST from Node to a host of the e2e server (Node does not resolve *.localhost). */
function postJson(host: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const data = JSON.stringify(body);
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: PORT,
        path,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

test('the sign-in route sets a host-only, HttpOnly, SameSite=Lax session cookie', async ({
  page,
}) => {
  const org = newOrganization('cookie');
  await signUp(page, org);
  const host = `${org.slug}.localhost:${PORT}`;
  const response = await postJson(host, '/api/login', { email: org.email, password: org.password });
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ redirectTo: '/' });
  const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = cookies.find((c) => c.startsWith('authjs.session-token='));
  expect(session).toBeDefined();
  const attributes = session!
    .split(/;\s*/)
    .slice(1)
    .map((a) => a.toLowerCase());
  expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
  // The e2e server runs on plain http: no Secure (the https case is tests/integration/session-cookie).
  expect(attributes.some((a) => a.startsWith('domain=') || a === 'secure')).toBe(false);
});

test('the form routes refuse a post from another origin', async () => {
  const tenantHost = `acme-${Date.now()}.localhost:${PORT}`;
  const foreign = { origin: `http://evil-sibling.localhost:${PORT}` };
  for (const path of [
    '/api/login',
    '/api/login/second-factor',
    '/api/password-reset',
    '/api/email-verification/resend',
  ]) {
    const response = await postJson(tenantHost, path, {}, foreign);
    expect({ path, status: response.status }).toEqual({ path, status: 403 });
  }
  const signup = await postJson(`localhost:${PORT}`, '/api/signup', {}, foreign);
  expect(signup.status).toBe(403);
});

test('before its script runs, the sign-in form cannot submit itself and put the password in a URL', async ({
  browser,
}) => {
  const org = newOrganization('early');
  const owner = await browser.newPage();
  await signUp(owner, org);
  // Without JavaScript the page stays as the server sent it: what a click before hydration meets.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(tenantUrl(org.slug, '/login'));
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill(org.password);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  const leak = page.waitForRequest((r) => r.url().includes('password='), { timeout: 3_000 });
  await page.getByLabel('Password').press('Enter');
  await expect(leak).rejects.toThrow(/Timeout/);
  expect(page.url()).toBe(tenantUrl(org.slug, '/login'));
  await context.close();
});

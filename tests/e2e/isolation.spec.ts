import { expect, test } from '@playwright/test';
import { newOrganization, nodeRequest, PORT, signUp, tenantUrl, waitForDashboard } from './helpers';

test('two organizations sign up, land signed in on their own subdomains, and never see each other’s projects', async ({
  browser,
}) => {
  const a = newOrganization('alpha');
  const b = newOrganization('beta');
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const pageA = await contextA.newPage();
  const pageB = await contextB.newPage();

  await signUp(pageA, a);
  await expect(pageA.getByText(a.name).first()).toBeVisible();
  await expect(pageA.getByRole('complementary').getByText('owner', { exact: true })).toBeVisible();
  await signUp(pageB, b);

  // A creates a project; it shows for A.
  await pageA.goto(tenantUrl(a.slug, '/projects'));
  await expect(pageA.getByText('No projects yet')).toBeVisible();
  await pageA.getByLabel('New project name').fill('Alpha secret roadmap');
  await pageA.getByRole('button', { name: 'Create project' }).click();
  await expect(
    pageA.getByRole('list', { name: 'Projects' }).getByText('Alpha secret roadmap'),
  ).toBeVisible();

  // B never sees it, neither on the page nor through the JSON the page uses.
  await pageB.goto(tenantUrl(b.slug, '/projects'));
  await expect(pageB.getByText('No projects yet')).toBeVisible();
  await expect(pageB.getByText('Alpha secret roadmap')).toHaveCount(0);
  const apiB = await pageB.evaluate(async () => (await fetch('/api/projects')).json());
  expect(JSON.stringify(apiB)).not.toContain('Alpha secret roadmap');

  // A signed-in user of A who visits B's host is sent to B's sign-in page.
  await pageA.goto(tenantUrl(b.slug));
  await expect(pageA).toHaveURL(tenantUrl(b.slug, '/login'));
  await expect(pageA.getByRole('heading', { name: `Sign in to ${b.name}` })).toBeVisible();

  // A's session cookie carried to B's host does not sign in there, in a browser...
  const cookiesA = await contextA.cookies(tenantUrl(a.slug));
  const session = cookiesA.find((c) => c.name.endsWith('authjs.session-token'));
  expect(session, 'session cookie').toBeTruthy();
  expect(session!.domain).toBe(`${a.slug}.localhost`);
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
  const thief = await browser.newContext();
  await thief.addCookies([{ ...session!, domain: `${b.slug}.localhost` }]);
  const thiefPage = await thief.newPage();
  await thiefPage.goto(tenantUrl(b.slug, '/projects'));
  await expect(thiefPage).toHaveURL(new RegExp(`${b.slug}\\.localhost:${PORT}/login`));
  // ...and from Node, with the cookie replayed to B's host directly.
  const cookieHeader = `${session!.name}=${session!.value}`;
  const replay = await nodeRequest(`${b.slug}.localhost:${PORT}`, '/projects', {
    cookie: cookieHeader,
  });
  expect(replay.status).toBe(307);
  expect(replay.location).toContain('/login');
  const replayApi = await nodeRequest(`${b.slug}.localhost:${PORT}`, '/api/projects', {
    cookie: cookieHeader,
  });
  expect(replayApi.status).toBe(401);
  // The same cookie is still good on A's own host.
  const own = await nodeRequest(`${a.slug}.localhost:${PORT}`, '/api/projects', {
    cookie: cookieHeader,
  });
  expect(own.status).toBe(200);
  expect(own.body).toContain('Alpha secret roadmap');

  await Promise.all([contextA.close(), contextB.close(), thief.close()]);
});

test('signing out revokes the session: the old cookie stops working on the next request', async ({
  page,
  context,
}) => {
  const org = newOrganization('gamma');
  await signUp(page, org);
  const session = (await context.cookies()).find((c) => c.name.endsWith('authjs.session-token'))!;
  const host = `${org.slug}.localhost:${PORT}`;
  const cookie = `${session.name}=${session.value}`;
  expect((await nodeRequest(host, '/api/projects', { cookie })).status).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(tenantUrl(org.slug, '/login'));
  expect((await nodeRequest(host, '/api/projects', { cookie })).status).toBe(401);

  // Signing in again with the password works and lands on the dashboard.
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill('wrong-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  await page.getByLabel('Password').fill(org.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(page, org.slug, org.userName);
});

test('a write sent from another organization’s origin is refused, even with a valid session', async ({
  page,
  context,
}) => {
  const org = newOrganization('origin');
  await signUp(page, org);
  const session = (await context.cookies()).find((c) => c.name.endsWith('authjs.session-token'))!;
  const host = `${org.slug}.localhost:${PORT}`;
  const forged = await nodeRequest(
    host,
    '/projects',
    {
      cookie: `${session.name}=${session.value}`,
      origin: `http://evil-sibling.localhost:${PORT}`,
      'next-action': '0000000000000000000000000000000000000000',
      'content-type': 'text/plain;charset=UTF-8',
    },
    'POST',
  );
  expect(forged.status).toBe(403);
  expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'forbidden' } });
  // The same session still works from its own origin.
  await page.goto(tenantUrl(org.slug, '/projects'));
  await page.getByLabel('New project name').fill('Same-origin write');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(
    page.getByRole('list', { name: 'Projects' }).getByText('Same-origin write'),
  ).toBeVisible();
});

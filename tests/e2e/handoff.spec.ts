import { expect, type Page, test } from '@playwright/test';
import {
  fillSignup,
  newOrganization,
  nodeRequest,
  type Organization,
  PORT,
  ROOT,
  tenantUrl,
  waitForDashboard,
} from './helpers';

/**
 * A fresh sign-in link of an organization, as whoever signed it up receives it: the attacker's own link in
 * a login CSRF, which they then send to someone else.
 */
async function freshHandoffLink(org: Organization): Promise<string> {
  const response = await nodeRequest(
    `localhost:${PORT}`,
    '/api/signup',
    { 'content-type': 'application/json' },
    'POST',
    JSON.stringify({
      organizationName: org.name,
      slug: org.slug,
      name: org.userName,
      email: org.email,
      password: org.password,
    }),
  );
  expect(response.status).toBe(200);
  const { redirectTo } = JSON.parse(response.body) as { redirectTo: string };
  expect(redirectTo).toMatch(new RegExp(`^${tenantUrl(org.slug, '/auth/handoff\\?token=')}`));
  return redirectTo;
}

const sessionCookies = async (page: Page) =>
  (await page.context().cookies()).filter((c) => c.name.endsWith('authjs.session-token'));

const confirmHeading = (page: Page, org: Organization) =>
  page.getByRole('heading', { name: `Continue to ${org.name} as ${org.email}?` });

for (const [label, referer] of [
  ['a missing Referer', undefined],
  ['another site’s Referer', 'https://evil.example/inbox'],
] as const) {
  test(`a sign-in link opened with ${label} asks before it signs in`, async ({ page }) => {
    const org = newOrganization('handoff');
    const link = await freshHandoffLink(org);

    await page.goto(link, { referer });
    await expect(confirmHeading(page, org)).toBeVisible();
    expect(page.url()).toMatch(tenantUrl(org.slug, '/auth/handoff/confirm?token='));
    expect(await sessionCookies(page)).toEqual([]);
    // Looking again (a link scanner, then its reader) does not spend the link.
    await page.reload();
    await expect(confirmHeading(page, org)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in another way' })).toHaveAttribute(
      'href',
      '/login',
    );

    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForDashboard(page, org.slug, org.userName);
    expect(await sessionCookies(page)).toHaveLength(1);

    // Single use: the same link now leads to the sign-in page, which says why.
    await page.context().clearCookies();
    await page.goto(link, { referer });
    await expect(
      page.getByText('That sign-in link has expired or was already used.'),
    ).toBeVisible();
    expect(page.url()).toBe(tenantUrl(org.slug, '/login?error=link'));
  });
}

test('“Not you?” leads to the sign-in page without signing in', async ({ page }) => {
  const org = newOrganization('handoff-not-me');
  await page.goto(await freshHandoffLink(org));
  await page.getByRole('link', { name: 'Sign in another way' }).click();
  await expect(page.getByRole('heading', { name: `Sign in to ${org.name}` })).toBeVisible();
  expect(await sessionCookies(page)).toEqual([]);
});

test('the confirmation is refused from another origin, and the link stays usable', async ({
  page,
}) => {
  const org = newOrganization('handoff-post');
  const link = await freshHandoffLink(org);
  const token = new URL(link).searchParams.get('token')!;
  const host = `${org.slug}.localhost:${PORT}`;
  const post = (origin: string) =>
    nodeRequest(
      host,
      '/auth/handoff',
      { origin, 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      `token=${encodeURIComponent(token)}`,
    );
  for (const origin of ['https://evil.example', `http://evil-sibling.localhost:${PORT}`, 'null']) {
    const refused = await post(origin);
    expect({ origin, status: refused.status, cookie: refused.headers['set-cookie'] }).toEqual({
      origin,
      status: 403,
      cookie: undefined,
    });
  }
  await page.goto(link);
  await expect(confirmHeading(page, org)).toBeVisible();
  const accepted = await post(`http://${host}`);
  expect(accepted.status).toBe(303);
  expect(accepted.location).toBe('/');
  expect(accepted.headers['set-cookie']).toMatch(/(^|,)authjs\.session-token=/);
});

test('sign-up through the form still lands signed in, in one step', async ({ page }) => {
  const org = newOrganization('handoff-signup');
  const handoffs: { url: string; referer: string | null }[] = [];
  page.on('request', async (request) => {
    if (new URL(request.url()).pathname.startsWith('/auth/handoff')) {
      handoffs.push({ url: request.url(), referer: await request.headerValue('referer') });
    }
  });
  await fillSignup(page, org);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(tenantUrl(org.slug));
  await expect(page.getByRole('heading', { name: `Welcome, ${org.userName}` })).toBeVisible();
  // The link was followed from the root host's page, so no confirmation was asked.
  expect(handoffs).toEqual([
    {
      url: expect.stringContaining(tenantUrl(org.slug, '/auth/handoff?token=')),
      referer: `${ROOT}/`,
    },
  ]);
});

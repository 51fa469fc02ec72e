import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  newOrganization,
  nodeRequest,
  type Organization,
  PORT,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';

async function signIn(browser: Browser, org: Organization, password = org.password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(tenantUrl(org.slug, '/login'));
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(page, org.slug, org.userName);
  return page;
}

async function isSignedIn(page: Page, slug: string) {
  const session = (await page.context().cookies()).find((c) =>
    c.name.endsWith('authjs.session-token'),
  );
  if (!session) return false;
  const res = await nodeRequest(`${slug}.localhost:${PORT}`, '/api/projects', {
    cookie: `${session.name}=${session.value}`,
  });
  return res.status === 200;
}

test('the sessions page lists the user’s sessions in every organization, and signs them out', async ({
  page,
  browser,
}) => {
  const a = newOrganization('sessa');
  await signUp(page, a);
  const second = await signIn(browser, a);
  // The same person creates a second organization with the same account.
  const b = {
    ...newOrganization('sessb'),
    email: a.email,
    password: a.password,
    userName: a.userName,
  };
  const inB = await (await browser.newContext()).newPage();
  await signUp(inB, b);

  await page.goto(tenantUrl(a.slug, '/settings/sessions'));
  const list = page.getByRole('list', { name: 'Sessions' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('listitem').filter({ hasText: a.name })).toHaveCount(2);
  await expect(list.getByRole('listitem').filter({ hasText: b.name })).toHaveCount(1);
  await expect(list.getByText('This session')).toHaveCount(1);
  await expect(list.getByText(/^(127\.0\.0\.1|::1) · signed in/).first()).toBeVisible();

  // Sign out the session in the other organization, from here.
  await list.getByRole('button', { name: new RegExp(`Sign out .* in ${b.name}`) }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  expect(await isSignedIn(inB, b.slug)).toBe(false);
  expect(await isSignedIn(second, a.slug)).toBe(true);

  await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  expect(await isSignedIn(second, a.slug)).toBe(false);
  expect(await isSignedIn(page, a.slug)).toBe(true);
});

test('changing the password requires the current one and signs out the other sessions', async ({
  page,
  browser,
}) => {
  const org = newOrganization('chpw');
  await signUp(page, org);
  const other = await signIn(browser, org);

  await page.goto(tenantUrl(org.slug, '/settings/account'));
  await page.getByLabel('Current password').fill('not-my-password-1');
  await page.getByLabel('New password', { exact: true }).fill('copper-meadow-31');
  await page.getByLabel('Repeat the new password').fill('copper-meadow-31');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password')).toHaveAccessibleDescription(
    'This is not your current password.',
  );
  expect(await isSignedIn(other, org.slug)).toBe(true);

  await page.getByLabel('Current password').fill(org.password);
  await page.getByLabel('New password', { exact: true }).fill('copper-meadow-31');
  await page.getByLabel('Repeat the new password').fill('copper-meadow-31');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password was changed.')).toBeVisible();
  expect(await isSignedIn(other, org.slug)).toBe(false);
  expect(await isSignedIn(page, org.slug)).toBe(true);
  await signIn(browser, org, 'copper-meadow-31');
});

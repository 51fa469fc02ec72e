import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import {
  newOrganization,
  nodeRequest,
  type Organization,
  PORT,
  ROOT,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';

/** Signs a second organization up for the same account (its password), without following its link. */
async function signUpAnother(owner: Organization, label: string): Promise<Organization> {
  const other = { ...newOrganization(label), email: owner.email, userName: owner.userName };
  const response = await nodeRequest(
    `localhost:${PORT}`,
    '/api/signup',
    { 'content-type': 'application/json' },
    'POST',
    JSON.stringify({
      organizationName: other.name,
      slug: other.slug,
      name: other.userName,
      email: other.email,
      password: other.password,
    }),
  );
  expect(response.status).toBe(200);
  return other;
}

const switcher = (page: Page) =>
  page.getByRole('button', { name: /^Organization: / }).filter({ visible: true });
const menu = (page: Page) => page.getByRole('region', { name: 'Switch organization' });

const cookiesOf = async (page: Page, org: Organization) =>
  (await page.context().cookies(tenantUrl(org.slug))).filter((c) =>
    c.name.endsWith('authjs.session-token'),
  );

test('a user with two organizations switches between them without a password, and creates a third', async ({
  page,
}) => {
  // Three sign-ins and a sign-up with its password hashing, on a shared machine.
  test.setTimeout(180_000);
  const first = newOrganization('switch');
  await signUp(page, first);
  const second = await signUpAnother(first, 'switched');
  expect(await cookiesOf(page, second)).toEqual([]);

  // The menu lists both organizations; choosing the other one lands signed in on its host.
  await switcher(page).click();
  await expect(menu(page).getByText(first.name)).toBeVisible();
  await menu(page)
    .getByRole('button', { name: new RegExp(second.name) })
    .click();
  await waitForDashboard(page, second.slug, first.userName);
  await expect(switcher(page)).toContainText(second.name);
  expect(await cookiesOf(page, second)).toHaveLength(1);
  await expect(page.getByLabel('Password')).toHaveCount(0);

  // And back, with the keyboard: open, move down to the other organization, choose it.
  await switcher(page).focus();
  await page.keyboard.press('Enter');
  await expect(menu(page).getByRole('button', { name: new RegExp(first.name) })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu(page)).toHaveCount(0);
  await expect(switcher(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await waitForDashboard(page, first.slug, first.userName);

  // A third one, from the switcher: name and subdomain only, no password.
  const third = newOrganization('created');
  await switcher(page).click();
  await menu(page).getByRole('button', { name: '+ New organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New organization' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Password')).toHaveCount(0);
  await dialog.getByLabel('Organization name').fill(third.name);
  await dialog.getByLabel('Subdomain').fill(second.slug);
  await expect(dialog.getByText('This subdomain is already taken.')).toBeVisible();
  await dialog.getByLabel('Subdomain').fill(third.slug);
  await expect(dialog.getByText('✓ This subdomain is available.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await waitForDashboard(page, third.slug, first.userName);
  await expect(page.getByText(`You are signed in to ${third.name} as owner.`)).toBeVisible();

  // The switcher there lists all three.
  await switcher(page).click();
  for (const org of [first, second]) {
    await expect(menu(page).getByRole('button', { name: new RegExp(org.name) })).toBeVisible();
  }
  await expect(menu(page).getByRole('listitem').filter({ hasText: 'Current' })).toContainText(
    third.name,
  );
});

test('creating an organization is refused when posted from another origin', async ({ page }) => {
  const org = newOrganization('switch-origin');
  await signUp(page, org);
  const cookie = (await page.context().cookies(tenantUrl(org.slug)))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  // The browser's own session cookie, sent to this host from the root host's origin or another
  // organization's: what a page there could make a browser send.
  for (const origin of [ROOT, `http://other-${randomUUID().slice(0, 6)}.localhost:${PORT}`]) {
    const response = await nodeRequest(
      `${org.slug}.localhost:${PORT}`,
      '/',
      { cookie, origin, 'next-action': 'any', 'content-type': 'text/plain;charset=UTF-8' },
      'POST',
      '[]',
    );
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'forbidden', message: 'This request came from another site.' },
    });
  }
});

test('“Find my organizations” mails a sign-in link to each organization of the address', async ({
  page,
}) => {
  const first = newOrganization('findme');
  await signUp(page, first);
  const second = await signUpAnother(first, 'findme-too');
  await page.context().clearCookies();

  await page.goto(`${ROOT}/login`);
  await page.getByRole('link', { name: 'Find my organizations' }).click();
  await expect(page.getByRole('heading', { name: 'Find your organizations' })).toBeVisible();
  await page.getByLabel('Email').fill(first.email);
  await page.getByRole('button', { name: 'Email me my organizations' }).click();
  await expect(page.getByText('If this address belongs to any organization')).toBeVisible();

  for (const org of [first, second]) {
    const message = page
      .getByRole('listitem')
      .filter({ hasText: `Your organization on Tenantry: ${org.name}` })
      .filter({ hasText: `To ${first.email}` });
    await expect(async () => {
      await page.goto(`${ROOT}/dev/mailbox`);
      await expect(message.first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await message.first().locator('summary').click();
    await expect(message.first()).toContainText(tenantUrl(org.slug, '/login'));
  }

  // An unknown address gets the very same answer.
  await page.goto(`${ROOT}/find-organizations`);
  await page.getByLabel('Email').fill(`nobody-${randomUUID().slice(0, 6)}@example.com`);
  await page.getByRole('button', { name: 'Email me my organizations' }).click();
  await expect(page.getByText('If this address belongs to any organization')).toBeVisible();
});

import { expect, test } from '@playwright/test';
import { fillSignup, newOrganization, nodeRequest, PORT, ROOT, signUp, tenantUrl } from './helpers';

test('invalid sign-up input shows each error next to its field and creates nothing', async ({
  page,
}) => {
  await page.goto(`${ROOT}/signup`);
  await page.getByLabel('Organization name').fill('X');
  await page.getByLabel('Subdomain').fill('-bad');
  await page.getByLabel('Your name').fill('');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create organization' }).click();

  await expect(page.getByLabel('Organization name')).toHaveAccessibleDescription(
    'Use at least 2 characters.',
  );
  await expect(page.getByLabel('Subdomain')).toHaveAccessibleDescription(
    'It cannot start or end with a hyphen.',
  );
  await expect(page.getByLabel('Your name')).toHaveAccessibleDescription('Tell us your name.');
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(
    'Enter an email address such as you@company.com.',
  );
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    'Use at least 12 characters.',
  );
  await expect(page).toHaveURL(`${ROOT}/signup`);

  // A too-common password is refused too, and the organization does not exist afterwards.
  const org = newOrganization('invalid');
  await fillSignup(page, { ...org, password: 'password1234' });
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/too common/);

  // Names travel in mail to an address nobody has confirmed: over 60 characters they are refused, not cut.
  await fillSignup(page, { ...org, name: 'O'.repeat(61) });
  await expect(page.getByLabel('Organization name')).toHaveAccessibleDescription(
    'Up to 60 characters.',
  );
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByLabel('Organization name')).toHaveAccessibleDescription(
    'Use at most 60 characters.',
  );
  await expect(page.getByLabel('Organization name')).toHaveValue('O'.repeat(61));
  const check = await nodeRequest(`localhost:${PORT}`, `/api/slug-availability?slug=${org.slug}`);
  expect(JSON.parse(check.body)).toMatchObject({ available: true });
  expect((await nodeRequest(`${org.slug}.localhost:${PORT}`, '/login')).status).toBe(404);
});

test('the subdomain is suggested from the name, checked live, and a taken or reserved one is refused', async ({
  page,
  browser,
}) => {
  const taken = newOrganization('taken');
  const first = await browser.newPage();
  await signUp(first, taken);
  await first.close();

  await page.goto(`${ROOT}/signup`);
  await page.getByLabel('Organization name').fill('Acme Rocket Works');
  await expect(page.getByLabel('Subdomain')).toHaveValue('acme-rocket-works');
  await page.getByLabel('Subdomain').fill('admin');
  await expect(page.getByLabel('Subdomain')).toHaveAccessibleDescription(/reserved/);
  await page.getByLabel('Subdomain').fill(taken.slug);
  await expect(page.getByLabel('Subdomain')).toHaveAccessibleDescription(
    'This subdomain is already taken. Please choose another.',
  );

  // The server refuses it as well, whatever the browser thinks.
  const second = newOrganization('other');
  await fillSignup(page, { ...second, slug: taken.slug });
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByLabel('Subdomain')).toHaveAccessibleDescription(
    'This subdomain is already taken. Please choose another.',
  );
  await expect(page).toHaveURL(`${ROOT}/signup`);
});

test('an email that already has an account needs that account’s password to add an organization', async ({
  page,
  browser,
}) => {
  const first = newOrganization('first');
  const firstPage = await browser.newPage();
  await signUp(firstPage, first);
  await firstPage.close();

  const second = { ...newOrganization('second'), email: first.email };
  await fillSignup(page, { ...second, password: 'some-other-passphrase' });
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /does not match this email/,
  );
  await expect(page).toHaveURL(`${ROOT}/signup`);

  await page.getByLabel('Password').fill(first.password);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(tenantUrl(second.slug));
  // One identity, two organizations: the existing account's name is kept.
  await expect(page.getByRole('heading', { name: `Welcome, ${first.userName}` })).toBeVisible();
});

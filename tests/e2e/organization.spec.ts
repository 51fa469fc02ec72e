import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  newOrganization,
  nodeRequest,
  openSettings,
  PORT,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test('an owner brands the organization and moves it to a new subdomain without anyone signing in again', async ({
  page,
  browser,
}) => {
  // Two sign-ins, two uploads and a rename, on a machine the other specs share.
  test.slow();
  const org = newOrganization('rename');
  await signUp(page, org);

  // A second browser of the owner, signed in on the address that is about to change.
  const otherBrowser = await browser.newContext();
  const other = await otherBrowser.newPage();
  await other.goto(tenantUrl(org.slug, '/login'));
  await other.getByLabel('Email').fill(org.email);
  await other.getByLabel('Password').fill(org.password);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(other, org.slug, org.userName);

  await openSettings(page, 'Organization');

  // A logo, shown in the shell.
  await page
    .getByLabel('Logo')
    .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(page.getByText('Logo saved.')).toBeVisible();
  const shellLogo = page.getByRole('img', { name: `${org.name} logo` });
  await expect(shellLogo).toBeVisible();
  // The element is visible before the browser has fetched and decoded the file: wait for it to finish
  // loading (a broken image finishes with a width of 0, and fails here).
  await expect
    .poll(() =>
      shellLogo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1)),
    )
    .toBe(1);
  // Something else than an image is refused next to the field.
  await page.getByLabel('Logo').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
  });
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await expect(page.getByText('Choose a PNG, JPEG or WebP image.')).toBeVisible();

  // The new subdomain: the owner lands signed in on it, on the same page.
  const slug = `moved-${randomUUID().slice(0, 8)}`;
  await page.getByLabel('Subdomain').fill(slug);
  await expect(page.getByText(`http://${slug}.localhost:${PORT}`)).toBeVisible();
  await expect(page.getByText('will redirect to the new address for 30 days')).toBeVisible();
  await page.getByRole('button', { name: 'Change subdomain' }).click();
  await page.waitForURL(tenantUrl(slug, '/settings/organization'));
  await expect(page.getByRole('heading', { name: 'Organization', exact: true })).toBeVisible();
  await expect(page.getByLabel('Subdomain')).toHaveValue(slug);

  // Signed out, the old address answers 308 to the same path on the new one, pages and API alike.
  const oldHost = `${org.slug}.localhost:${PORT}`;
  const login = await nodeRequest(oldHost, '/login?next=%2Fprojects');
  expect(login.status).toBe(308);
  expect(login.location).toBe(tenantUrl(slug, '/login?next=%2Fprojects'));
  const api = await nodeRequest(oldHost, '/api/projects');
  expect(api.status).toBe(308);
  expect(api.location).toBe(tenantUrl(slug, '/api/projects'));

  // Signed in on the old address: the session moves to the new one, on the page asked for.
  await other.goto(tenantUrl(org.slug, '/projects'));
  await other.waitForURL(tenantUrl(slug, '/projects'));
  await expect(other.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await otherBrowser.close();
});

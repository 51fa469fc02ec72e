import { expect, test } from '@playwright/test';
import {
  linkFromMailbox,
  newOrganization,
  nodeRequest,
  PORT,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';

test('a new owner confirms their email address from the link sent at sign-up', async ({
  page,
  browser,
}) => {
  const org = newOrganization('verify');
  await signUp(page, org);
  await expect(page.getByText('Please confirm your email address')).toBeVisible();

  const mailbox = await browser.newPage();
  const link = await linkFromMailbox(mailbox, org.email, 'Confirm your email address');
  // Built from the configured domain and the tenant's slug.
  expect(link.startsWith(`${tenantUrl(org.slug, '/verify-email')}?token=`)).toBe(true);

  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
  await page.getByRole('link', { name: 'Go to your dashboard →' }).click();
  await expect(page.getByRole('heading', { name: `Welcome, ${org.userName}` })).toBeVisible();
  await expect(page.getByText('Please confirm your email address')).toHaveCount(0);

  // The link was single-use.
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page.getByText('This link has expired or was already used.')).toBeVisible();
});

test('a password reset works once, signs out every session, and never reveals who has an account', async ({
  page,
  browser,
}) => {
  const org = newOrganization('reset');
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signUp(ownerPage, org);
  const session = (await owner.cookies()).find((c) => c.name.endsWith('authjs.session-token'))!;
  const cookie = `${session.name}=${session.value}`;
  const host = `${org.slug}.localhost:${PORT}`;

  // Unknown and known emails get the same answer.
  await page.goto(tenantUrl(org.slug, '/login'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(`nobody-${org.slug}@example.com`);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  const answer = page.getByText('If an account with that email belongs to this organization');
  await expect(answer).toBeVisible();
  await page.goto(tenantUrl(org.slug, '/forgot-password'));
  await page.getByLabel('Email').fill(org.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(answer).toBeVisible();

  const mailbox = await browser.newPage();
  const link = await linkFromMailbox(mailbox, org.email, 'Reset your password');
  expect(link.startsWith(`${tenantUrl(org.slug, '/reset-password')}?token=`)).toBe(true);

  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill('amber-lantern-77');
  await page.getByLabel('Repeat the new password').fill('amber-lantern-78');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByLabel('Repeat the new password')).toHaveAccessibleDescription(
    'The two passwords differ.',
  );
  await page.getByLabel('Repeat the new password').fill('amber-lantern-77');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(
    page.getByText('Your password was changed and every session was signed out.'),
  ).toBeVisible();

  // The session opened at sign-up no longer works, and the user was told by email.
  expect((await nodeRequest(host, '/api/projects', { cookie })).status).toBe(401);
  await linkFromMailbox(mailbox, org.email, 'Your password was changed');

  // The old password fails, the new one signs in, and the link cannot be used again.
  await page.getByRole('link', { name: 'Sign in with your new password →' }).click();
  await expect(page.getByRole('heading', { name: `Sign in to ${org.name}` })).toBeVisible();
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill(org.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  await page.getByLabel('Password').fill('amber-lantern-77');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(page, org.slug, org.userName);

  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill('another-lantern-99');
  await page.getByLabel('Repeat the new password').fill('another-lantern-99');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByLabel('New password', { exact: true })).toHaveAccessibleDescription(
    /expired or was already used/,
  );
  await owner.close();
});

test('after 5 failed sign-ins an account is locked on that host, and the lock looks like a wrong password', async ({
  page,
  browser,
}) => {
  const org = newOrganization('lockout');
  const ownerPage = await browser.newPage();
  await signUp(ownerPage, org);
  await ownerPage.close();

  const attempt = async (password: string) => {
    await page.goto(tenantUrl(org.slug, '/login'));
    await page.getByLabel('Email').fill(org.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  for (let i = 0; i < 5; i++) {
    await attempt(`wrong-password-${i}-x`);
    await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
      'The email or password is incorrect.',
    );
  }
  // Even the right password now gets the same answer, for 15 minutes.
  await attempt(org.password);
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    'The email or password is incorrect.',
  );
  await expect(page).toHaveURL(tenantUrl(org.slug, '/login'));

  // The owner of the account was told, and the emailed link lifts the lock once.
  const mailbox = await browser.newPage();
  const link = await linkFromMailbox(
    mailbox,
    org.email,
    'Your account was locked after failed sign-ins',
  );
  expect(link.startsWith(`${tenantUrl(org.slug, '/unlock')}?token=`)).toBe(true);
  await page.goto(link);
  await page.getByRole('button', { name: 'Unlock my account' }).click();
  await expect(page.getByText('Your account is unlocked.')).toBeVisible();
  await attempt(org.password);
  await waitForDashboard(page, org.slug, org.userName);
});

test('changing the email takes effect only from the link sent to the new address, and tells the old one', async ({
  page,
  browser,
}) => {
  const org = newOrganization('chmail');
  await signUp(page, org);
  const newEmail = `new-${org.email}`;

  await page.goto(tenantUrl(org.slug, '/settings/account'));
  await page.getByLabel('New email').fill(newEmail);
  await page.getByLabel('Your password').fill('not-my-password-1');
  await page.getByRole('button', { name: 'Change email' }).click();
  await expect(page.getByLabel('Your password')).toHaveAccessibleDescription(
    'This is not your current password.',
  );
  await page.getByLabel('Your password').fill(org.password);
  await page.getByRole('button', { name: 'Change email' }).click();
  await expect(page.getByText(`We sent a confirmation link to ${newEmail}.`)).toBeVisible();

  const mailbox = await browser.newPage();
  const link = await linkFromMailbox(mailbox, newEmail, 'Confirm your new email address');
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my new email address' }).click();
  await expect(page.getByText('Your email address was changed.')).toBeVisible();
  await linkFromMailbox(mailbox, org.email, 'Your email address was changed');

  // Sign-in now uses the new address only.
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(tenantUrl(org.slug, '/login'));
  await fresh.getByLabel('Email').fill(org.email);
  await fresh.getByLabel('Password').fill(org.password);
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  await expect(fresh.getByText('The email or password is incorrect.')).toBeVisible();
  await fresh.getByLabel('Email').fill(newEmail);
  await fresh.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(fresh, org.slug, org.userName);
});

import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { expect, type Page, test } from '@playwright/test';
import {
  fillSignup,
  newOrganization,
  type Organization,
  openSettings,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';
import { addMember } from './members';

/** The code an authenticator app computes from the setup key, for the current 30-second step (+ offset). */
function totp(secret: string, offset = 0) {
  const step = Math.floor(Date.now() / 30_000) + offset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

/**
 * Turns two-factor sign-in on from the Security page; returns the setup key and the recovery codes. The
 * password comes first, and a wrong one shows no QR code.
 */
async function enroll(page: Page, password: string) {
  await openSettings(page, 'Security');
  const setUp = page.getByRole('button', { name: 'Set up two-factor authentication' });
  await page.getByLabel('Your password').fill('not-my-password');
  await setUp.click();
  await expect(page.getByLabel('Your password')).toHaveAccessibleDescription(
    'This is not your current password.',
  );
  await expect(page.getByRole('img', { name: /QR code/ })).toHaveCount(0);
  await page.getByLabel('Your password').fill(password);
  await setUp.click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = ((await page.locator('code').first().textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const code = page.getByLabel('Code from your app');
  await code.fill(totp(secret) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(code).toHaveAccessibleDescription(/This code is not valid/);
  await code.fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByText('Two-factor authentication is on.')).toBeVisible();
  const recoveryCodes = await page
    .getByRole('list', { name: 'Recovery codes' })
    .getByRole('listitem')
    .allInnerTexts();
  expect(recoveryCodes).toHaveLength(10);
  await page.getByRole('button', { name: 'I have saved my codes' }).click();
  await expect(page.getByText('10 of 10 recovery codes left.')).toBeVisible();
  // The key is shown during setup only.
  await page.reload();
  await expect(page.getByText('10 of 10 recovery codes left.')).toBeVisible();
  await expect(page.locator('code')).toHaveCount(0);
  return { secret, recoveryCodes };
}

// Each test signs in and out several times and enrolls at least once: more than the default budget.
test.describe.configure({ timeout: 90_000 });

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

async function passwordStep(page: Page, org: Organization) {
  await page.goto(tenantUrl(org.slug, '/login'));
  await page.getByLabel('Email').fill(org.email);
  await page.getByLabel('Password').fill(org.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
}

test('a member signs in with a code after turning on two-factor sign-in, and with each recovery code once', async ({
  page,
}) => {
  const org = newOrganization('twofa');
  await signUp(page, org);
  const { secret, recoveryCodes } = await enroll(page, org.password);
  await signOut(page);

  // The password alone no longer signs in: no cookie until the code.
  await passwordStep(page, org);
  const cookies = async () =>
    (await page.context().cookies()).filter((c) => c.name.endsWith('authjs.session-token'));
  expect(await cookies()).toEqual([]);
  // The confirming code spent the current step; the next one is within the allowed drift.
  await page.getByLabel('Authentication code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await waitForDashboard(page, org.slug, org.userName);
  // Host-only (no leading dot), HttpOnly and SameSite=Lax; plain http here, so not Secure.
  expect(await cookies()).toEqual([
    expect.objectContaining({
      domain: `${org.slug}.localhost`,
      httpOnly: true,
      sameSite: 'Lax',
      secure: false,
      path: '/',
    }),
  ]);
  await signOut(page);

  await passwordStep(page, org);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await waitForDashboard(page, org.slug, org.userName);
  await signOut(page);

  await passwordStep(page, org);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByLabel('Recovery code')).toHaveAccessibleDescription(
    /This code is not valid/,
  );
  await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await waitForDashboard(page, org.slug, org.userName);

  await openSettings(page, 'Security');
  await expect(page.getByText('8 of 10 recovery codes left.')).toBeVisible();

  // Creating another organization with this account also asks for the second factor on the new host.
  const second = { ...newOrganization('twofa-second'), email: org.email, password: org.password };
  await fillSignup(page, second);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  expect(page.url()).toBe(tenantUrl(second.slug, '/login'));
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[2]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await waitForDashboard(page, second.slug, org.userName);
  await expect(page.getByText(`You are signed in to ${second.name}`)).toBeVisible();
});

test('when an owner requires two-factor sign-in, a member without it is sent to set it up', async ({
  page,
  browser,
}) => {
  // Two enrolments (four password checks), a sign-up and a second browser's sign-in: under load on 2 cores
  // every step kept its own wait and the whole took up to 94 s, past the file's 90 s.
  test.setTimeout(150_000);
  const org = newOrganization('req2fa');
  await signUp(page, org);
  await openSettings(page, 'Security');
  // Not before the owner uses it themselves.
  await expect(
    page.getByRole('button', { name: 'Require two-factor authentication' }),
  ).toBeDisabled();
  await enroll(page, org.password);
  await page.getByRole('button', { name: 'Require two-factor authentication' }).click();
  await expect(
    page.getByText(`Every member of ${org.name} must use two-factor authentication.`),
  ).toBeVisible();

  // A member without a second factor signs in.
  const person = await addMember(org.slug, 'member', 'Member without 2FA');
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(tenantUrl(org.slug, '/login'));
  await member.getByLabel('Email').fill(person.email);
  await member.getByLabel('Password').fill(person.password);
  await member.getByRole('button', { name: 'Sign in' }).click();
  await expect(member).toHaveURL(tenantUrl(org.slug, '/settings/security'));
  await expect(member.getByText(`${org.name} requires two-factor authentication.`)).toBeVisible();

  // Every other page and the data behind them stay closed until then.
  await member.goto(tenantUrl(org.slug, '/projects'));
  await expect(member).toHaveURL(tenantUrl(org.slug, '/settings/security'));
  const api = await member.evaluate(async () => {
    const response = await fetch('/api/projects');
    return { status: response.status, body: await response.json() };
  });
  expect(api.status).toBe(403);
  expect(api.body.error.message).toMatch(/requires two-factor authentication/);

  await enroll(member, person.password);
  await member.goto(tenantUrl(org.slug, '/projects'));
  await expect(member.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await memberContext.close();
});

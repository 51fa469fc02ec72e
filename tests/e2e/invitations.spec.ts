import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import {
  linkFromMailbox,
  newOrganization,
  type Organization,
  signUp,
  tenantUrl,
  waitForDashboard,
} from './helpers';

// Two browsers, the mailbox and several password hashes: more than the default budget.
test.describe.configure({ timeout: 90_000 });

const live = (page: Page) => page.getByRole('status', { name: 'Live updates: Live' });
const column = (page: Page, name: string) => page.getByRole('list', { name, exact: true });

async function createBoard(page: Page, org: Organization, name: string) {
  await page.goto(tenantUrl(org.slug, '/projects'));
  await page.getByLabel('New project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  return page.url();
}

test('an owner invites a new person, who accepts from the mailbox in another browser and sees the board live', async ({
  page,
  browser,
}) => {
  const org = newOrganization('invite');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Onboarding');

  await page.goto(tenantUrl(org.slug, '/settings/invitations'));
  await expect(page.getByRole('heading', { name: 'Invitations', exact: true })).toBeVisible();
  await expect(page.getByText('No pending invitations.')).toBeVisible();
  // A pasted list becomes rows. A refusal names the address on its own row, and invites nobody.
  const colleague = `ada-${randomUUID().slice(0, 8)}@example.com`;
  await page.getByRole('button', { name: 'Paste a list…' }).click();
  await page.getByLabel('Addresses to add').fill(`${colleague}, not-an-address`);
  await page.getByRole('button', { name: 'Add to the list' }).click();
  await expect(page.getByText('Added 2 addresses.')).toBeVisible();
  await expect(page.getByLabel('Email address 1', { exact: true })).toHaveValue(colleague);
  await expect(page.getByLabel('Email address 2', { exact: true })).toHaveValue('not-an-address');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByText('“not-an-address” is not a valid email address.')).toBeVisible();
  await expect(page.getByLabel('Email address 2', { exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expect(page.getByText('No pending invitations.')).toBeVisible();

  // Fixed: the bad row removed, a role per person, both sent in one submit.
  await page.getByRole('button', { name: 'Remove not-an-address' }).click();
  await expect(page.getByLabel('Email address 2', { exact: true })).toHaveCount(0);
  await expect(page.getByLabel('Role 1', { exact: true })).toHaveValue('member');
  await page.getByLabel('Role 1', { exact: true }).selectOption('viewer');
  const invitee = { name: 'Ines Invited', email: `ines-${randomUUID().slice(0, 8)}@example.com` };
  await page.getByRole('button', { name: 'Add another' }).click();
  await expect(page.getByLabel('Email address 2', { exact: true })).toBeFocused();
  await page.keyboard.type(invitee.email);
  await expect(page.getByLabel('Role 2', { exact: true })).toHaveValue('member');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByText('2 invitations sent.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Invitations' });
  await expect(table.getByRole('row', { name: new RegExp(colleague) })).toContainText(/viewer/i);
  await expect(table.getByRole('row', { name: new RegExp(invitee.email) })).toContainText(
    /member/i,
  );
  await expect(
    page.getByRole('button', { name: `Resend the invitation to ${invitee.email}` }),
  ).toBeVisible();
  // The form is ready for the next batch.
  await expect(page.getByLabel('Email address 1', { exact: true })).toHaveValue('');

  // The invitee, in a browser of their own, opens the link from the development mailbox.
  const other = await (await browser.newContext()).newPage();
  const link = await linkFromMailbox(
    other,
    invitee.email,
    `You are invited to join ${org.name} on Tenantry`,
  );
  await other.goto(link);
  await expect(other.getByRole('heading', { name: `Join ${org.name}` })).toBeVisible();
  await expect(
    other.getByText(`${org.userName} invited ${invitee.email} to join ${org.name} as a member.`),
  ).toBeVisible();
  await other.getByLabel('Your name').fill(invitee.name);
  await other.getByLabel('Choose a password').fill('copper-kettle-lagoon-31');
  await other.getByLabel('Repeat the password').fill('copper-kettle-lagoon-31');
  await other.getByRole('button', { name: 'Accept and join' }).click();
  await waitForDashboard(other, org.slug, invitee.name);

  // The owner's open invitations page follows without a reload: only the colleague is still pending.
  await expect(table.getByRole('row', { name: new RegExp(invitee.email) })).toHaveCount(0);
  await expect(table.getByRole('row', { name: new RegExp(colleague) })).toBeVisible();

  // Both on the board: what the owner adds appears for the new member live.
  await page.goto(boardUrl);
  await other.goto(boardUrl);
  await expect(live(page)).toBeVisible();
  await expect(live(other)).toBeVisible();
  await page.getByRole('button', { name: '+ Add a task to To do' }).click();
  await page.getByLabel('New task in To do').fill('Say hello to Ines');
  await page.getByRole('button', { name: 'Add task to To do' }).click();
  await expect(
    column(other, 'To do').getByRole('button', { name: 'Say hello to Ines' }),
  ).toBeVisible();

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByText('This invitation was already accepted.')).toBeVisible();
});

test('a list pasted into an address field becomes rows, and one control sets every role', async ({
  page,
}) => {
  const org = newOrganization('paste');
  await signUp(page, org);
  await page.goto(tenantUrl(org.slug, '/settings/invitations'));
  const first = page.getByLabel('Email address 1', { exact: true });
  await expect(first).toBeEnabled();
  const people = ['one', 'two', 'three'].map((n) => `${n}-${randomUUID().slice(0, 6)}@example.com`);
  // What a mail client puts on the clipboard: names, angle brackets, separators.
  await first.focus();
  await first.evaluate((input, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, `One <${people[0]}>; ${people[1]}\n${people[2]}, ${people[1]}`);
  await expect(page.getByText('Added 3 addresses. 1 was already in the list')).toBeVisible();
  for (const [index, email] of people.entries()) {
    await expect(page.getByLabel(`Email address ${index + 1}`, { exact: true })).toHaveValue(email);
  }
  await page.getByLabel('Set all roles').selectOption('admin');
  for (const index of [1, 2, 3]) {
    await expect(page.getByLabel(`Role ${index}`, { exact: true })).toHaveValue('admin');
  }
  await page.getByLabel('Role 3', { exact: true }).selectOption('owner');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByText('3 invitations sent.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Invitations' });
  await expect(table.getByRole('row', { name: new RegExp(people[0]!) })).toContainText(/admin/i);
  await expect(table.getByRole('row', { name: new RegExp(people[2]!) })).toContainText(/owner/i);

  // Resending at once is refused beside the buttons; revoking takes the row off the pending list.
  await page.getByRole('button', { name: `Resend the invitation to ${people[0]}` }).click();
  await expect(
    table.getByRole('row', { name: new RegExp(people[0]!) }).getByRole('alert'),
  ).toContainText('This invitation was just sent.');
  await page.getByRole('button', { name: `Revoke the invitation to ${people[1]}` }).click();
  await expect(table.getByRole('row', { name: new RegExp(people[1]!) })).toHaveCount(0);
  await expect(table.getByRole('row', { name: new RegExp(people[0]!) })).toBeVisible();
  await page.getByLabel('Status').selectOption('revoked');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(table.getByRole('row', { name: new RegExp(people[1]!) })).toContainText(/revoked/i);
});

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
  const emails = page.getByLabel('Email addresses');
  // A refusal names the address, next to the field, and invites nobody.
  await emails.fill('ada@example.com, not-an-address');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByText('“not-an-address” is not a valid email address.')).toBeVisible();
  await expect(page.getByText('No pending invitations.')).toBeVisible();

  const invitee = { name: 'Ines Invited', email: `ines-${randomUUID().slice(0, 8)}@example.com` };
  await emails.fill(invitee.email);
  await expect(page.getByLabel('Role')).toHaveValue('member');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await expect(page.getByText(`Invitation sent to ${invitee.email}.`)).toBeVisible();
  const table = page.getByRole('table', { name: 'Invitations' });
  await expect(table.getByRole('row', { name: new RegExp(invitee.email) })).toBeVisible();
  await expect(
    page.getByRole('button', { name: `Resend the invitation to ${invitee.email}` }),
  ).toBeVisible();

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

  // The owner's open invitations page follows without a reload: nothing is pending any more.
  await expect(page.getByText('No pending invitations.')).toBeVisible();

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

import { expect, test } from '@playwright/test';
import { newOrganization, signUp, tenantUrl, waitForDashboard } from './helpers';

test('projects created, renamed and deleted in one browser appear in another without a reload', async ({
  page,
  browser,
}) => {
  const org = newOrganization('live');
  await signUp(page, org);
  const other = await (await browser.newContext()).newPage();
  await other.goto(tenantUrl(org.slug, '/login'));
  await other.getByLabel('Email').fill(org.email);
  await other.getByLabel('Password').fill(org.password);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await waitForDashboard(other, org.slug, org.userName);

  await page.goto(tenantUrl(org.slug, '/projects'));
  await other.goto(tenantUrl(org.slug, '/projects'));
  await expect(other.getByText('No projects yet')).toBeVisible();
  // The page says when it receives live updates; the first browser writes once the second one is live.
  await expect(other.getByRole('status', { name: 'Live updates: Live' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Live updates: Live' })).toBeVisible();

  await page.getByLabel('New project name').fill('Live roadmap');
  await page.getByRole('button', { name: 'Create project' }).click();
  const list = other.getByRole('list', { name: 'Projects' });
  await expect(list.getByText('Live roadmap')).toBeVisible();

  await page.getByRole('button', { name: 'Rename Live roadmap' }).click();
  await page.getByLabel('Rename Live roadmap').fill('Live roadmap 2027');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(list.getByText('Live roadmap 2027')).toBeVisible();

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Delete Live roadmap 2027' }).click();
  await expect(other.getByText('No projects yet')).toBeVisible();
});

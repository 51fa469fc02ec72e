import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { newOrganization, signUp, tenantUrl } from './helpers';

test('an owner reads what happened in the audit log, filters it and downloads it as CSV', async ({
  page,
}) => {
  // Sign-up hashes a password and the machine is shared: more than the default minute under load.
  test.slow();
  const org = newOrganization('auditlog');
  await signUp(page, org);

  // A few things worth recording: a project, then a task on its board.
  await page.goto(tenantUrl(org.slug, '/projects'));
  await page.getByLabel('New project name').fill('=Launch plan');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('link', { name: '=Launch plan' }).click();
  await expect(page.getByRole('heading', { name: '=Launch plan' })).toBeVisible();
  await page.getByRole('button', { name: '+ Add a task to To do' }).click();
  await page.getByLabel('New task in To do').fill('Book the venue');
  await page.getByRole('button', { name: 'Add task to To do' }).click();
  await expect(
    page.getByRole('list', { name: 'To do', exact: true }).getByRole('button', {
      name: 'Book the venue',
    }),
  ).toBeVisible();

  // Straight to the section: the dashboard opens on Organization, which another part of issue 15 builds.
  await page.goto(tenantUrl(org.slug, '/settings/audit-log'));
  await expect(page.getByRole('heading', { name: 'Audit log', exact: true })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }),
  ).toHaveAttribute('aria-current', 'page');
  const table = page.getByRole('table', { name: 'Audit log' });
  for (const label of ['Organization created', 'Signed in', 'Project created', 'Task created'])
    await expect(table.getByText(label, { exact: true })).toBeVisible();
  // Newest first: the task, then the project.
  await expect(table.getByRole('row').nth(1)).toContainText('Task created');
  await expect(table.getByRole('row').nth(1)).toContainText(org.userName);

  // Filter: only the project's creation.
  await page.getByLabel('Action').selectOption({ label: 'Project created' });
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/action=project\.created/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('=Launch plan');

  // A date range with nothing in it: the empty state, not an error.
  await page.getByLabel('From (UTC)').fill('2020-01-01');
  await page.getByLabel('To (UTC)').fill('2020-01-31');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No entries match these filters.')).toBeVisible();

  // A bad value in the address: a clear message beside the field, not a crash.
  await page.goto(tenantUrl(org.slug, '/settings/audit-log?from=2026-02-30'));
  await expect(
    page.getByRole('alert').filter({ hasText: 'These filters cannot be used.' }),
  ).toBeVisible();
  await expect(page.getByText('From is not a date that exists.').first()).toBeVisible();

  // The download, with the filters of the page.
  await page.goto(tenantUrl(org.slug, '/settings/audit-log?action=project.created'));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    new RegExp(`^audit-log-${org.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
  );
  const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe(
    '"time","actor_id","actor","actor_type","action","action_label","target_type","target_id","before","after","metadata","ip","user_agent"',
  );
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('"project.created","Project created","project"');
  expect(lines[1]).toContain(`"${org.userName}"`);
  // The project's name starts with `=`: a spreadsheet must not run it.
  expect(lines[1]).toContain('""name"":""=Launch plan""');

  // The export is recorded too.
  await page.goto(tenantUrl(org.slug, '/settings/audit-log'));
  await expect(table.getByRole('row').nth(1)).toContainText('Audit log exported');
});

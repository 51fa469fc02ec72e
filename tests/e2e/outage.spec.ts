import { expect, type Page, test } from '@playwright/test';
import { newOrganization, PORT, signUp, tenantUrl } from './helpers';
import { addMember, signIn } from './members';

/** The end-to-end server's test-only control port (scripts/e2e-server.ts). */
const realtime = (action: 'stop' | 'start') =>
  fetch(`http://127.0.0.1:${PORT + 1}/realtime/${action}`, { method: 'POST' }).then((r) =>
    expect(r.status).toBe(204),
  );

const indicator = (page: Page) => page.getByRole('status', { name: /^Live updates:/ });

test('with the realtime server down, writes still succeed, and the other browser catches up once it is back', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const org = newOrganization('outage');
  await signUp(page, org);
  await page.goto(tenantUrl(org.slug, '/projects'));
  await page.getByLabel('New project name').fill('Resilient board');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('link', { name: 'Resilient board' }).click();
  const person = await addMember(org.slug, 'member', 'Rita Remote');
  const other = await (await browser.newContext()).newPage();
  await signIn(other, org.slug, person);
  await other.goto(page.url());
  await expect(indicator(page)).toHaveAccessibleName('Live updates: Live');
  await expect(indicator(other)).toHaveAccessibleName('Live updates: Live');

  await realtime('stop');
  try {
    await expect(indicator(other)).not.toHaveAccessibleName('Live updates: Live');
    await page.getByRole('button', { name: '+ Add a task to To do' }).click();
    await page.getByLabel('New task in To do').fill('Written while offline');
    await page.getByRole('button', { name: 'Add task to To do' }).click();
    // The write itself does not depend on the realtime server.
    await expect(
      page.getByRole('list', { name: 'To do', exact: true }).getByRole('button', {
        name: 'Written while offline',
      }),
    ).toBeVisible();
    await expect(other.getByRole('button', { name: 'Written while offline' })).toHaveCount(0);
  } finally {
    await realtime('start');
  }
  // pusher-js reconnects on its own; the board refetches what it missed, without a reload.
  await expect(indicator(other)).toHaveAccessibleName('Live updates: Live', { timeout: 45_000 });
  await expect(
    other.getByRole('list', { name: 'To do', exact: true }).getByRole('button', {
      name: 'Written while offline',
    }),
  ).toBeVisible();
});

import { gunzipSync } from 'node:zlib';
import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  newOrganization,
  nodeRequest,
  nodeRequestBytes,
  type Organization,
  PORT,
  signUp,
  tenantUrl,
} from './helpers';
import { addMember, type Person, signIn, tenantIdOf } from './members';

// Two browsers and many round trips per test: more than the default budget.
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

async function secondMember(browser: Browser, org: Organization, name: string, boardUrl: string) {
  const person: Person = await addMember(org.slug, 'member', name);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, org.slug, person);
  await page.goto(boardUrl);
  return { page, person };
}

async function addTask(page: Page, columnName: string, title: string) {
  // The form stays open after adding, for the next title.
  const input = page.getByLabel(`New task in ${columnName}`);
  if (!(await input.isVisible())) {
    await page.getByRole('button', { name: `+ Add a task to ${columnName}` }).click();
  }
  await input.fill(title);
  await page.getByRole('button', { name: `Add task to ${columnName}` }).click();
  await expect(column(page, columnName).getByRole('button', { name: title })).toBeVisible();
}

test('two members see each other’s tasks, moves, edits and comments live, and who is online', async ({
  page,
  browser,
}) => {
  const org = newOrganization('board');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Launch plan');
  const { page: other, person } = await secondMember(browser, org, 'Mila Member', boardUrl);
  await expect(other.getByText('No tasks here yet')).toHaveCount(3);
  await expect(live(page)).toBeVisible();
  await expect(live(other)).toBeVisible();

  // Presence: each sees both people online.
  for (const p of [page, other]) {
    const online = p.getByRole('list', { name: 'Online' });
    await expect(online.getByRole('listitem', { name: org.userName })).toBeVisible();
    await expect(online.getByRole('listitem', { name: person.name })).toBeVisible();
  }

  // Created by one, seen by the other without a reload.
  await addTask(page, 'To do', 'Write the announcement');
  await addTask(page, 'To do', 'Book the venue');
  const card = (p: Page, col: string, title: string) =>
    column(p, col).getByRole('button', { name: title });
  await expect(card(other, 'To do', 'Write the announcement')).toBeVisible();
  await expect(card(other, 'To do', 'Book the venue')).toBeVisible();

  // Dragged by one into another column.
  await card(page, 'To do', 'Write the announcement').dragTo(column(page, 'In progress'));
  await expect(card(page, 'In progress', 'Write the announcement')).toBeVisible();
  await expect(card(other, 'In progress', 'Write the announcement')).toBeVisible();

  // Moved by keyboard by the other.
  await card(other, 'To do', 'Book the venue').focus();
  await other.keyboard.press('Alt+ArrowRight');
  await expect(card(other, 'In progress', 'Book the venue')).toBeVisible();
  await expect(card(page, 'In progress', 'Book the venue')).toBeVisible();
  await other.keyboard.press('Alt+ArrowUp');
  await expect(column(page, 'In progress').getByRole('button')).toHaveText([
    /Book the venue/,
    /Write the announcement/,
  ]);

  // Both open the task: each sees the other viewing it; an edit and a comment arrive live.
  await card(page, 'In progress', 'Book the venue').click();
  await card(other, 'In progress', 'Book the venue').click();
  const panel = (p: Page) => p.getByRole('complementary', { name: 'Task details' });
  await expect(
    panel(page)
      .getByRole('list', { name: 'Also viewing' })
      .getByRole('listitem', { name: person.name }),
  ).toBeVisible();
  await panel(page).getByLabel('Title').fill('Book the venue for 200 people');
  await panel(page).getByRole('button', { name: 'Save changes' }).click();
  await expect(card(other, 'In progress', 'Book the venue for 200 people')).toBeVisible();
  await expect(panel(other).getByLabel('Title')).toHaveValue('Book the venue for 200 people');
  await panel(other).getByLabel('Add a comment').fill('The town hall is free on the 12th.');
  await panel(other).getByRole('button', { name: 'Comment' }).click();
  await expect(
    panel(page)
      .getByRole('list', { name: 'Comments' })
      .getByText('The town hall is free on the 12th.'),
  ).toBeVisible();
  // Each comment counts once in every tab, its author's included (where the answer and the event for it
  // agree), and a deleted one comes off again.
  const comments = (p: Page, n: number) =>
    expect(card(p, 'In progress', 'Book the venue for 200 people')).toContainText(
      new RegExp(`(^|\\D)${n} comments?`),
    );
  await comments(page, 1);
  await comments(other, 1);
  await panel(page).getByLabel('Add a comment').fill('Booked it.');
  await panel(page).getByRole('button', { name: 'Comment' }).click();
  await expect(panel(other).getByText('Booked it.')).toBeVisible();
  await comments(other, 2);
  await comments(page, 2);
  page.once('dialog', (dialog) => void dialog.accept());
  await panel(page)
    .getByRole('listitem')
    .filter({ hasText: 'Booked it.' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(panel(other).getByText('Booked it.')).toHaveCount(0);
  await comments(other, 1);
  await comments(page, 1);

  // Filters: by title and by assignee.
  await page.getByRole('button', { name: 'Close task' }).click();
  await page.getByLabel('Search by title').fill('announcement');
  await expect(page.getByRole('button', { name: 'Book the venue for 200 people' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Write the announcement' })).toBeVisible();
  await page.getByLabel('Search by title').fill('');
  await page.getByLabel('Assignee').selectOption({ label: 'Unassigned' });
  await expect(page.getByRole('button', { name: 'Write the announcement' })).toBeVisible();
  await page.getByLabel('Assignee').selectOption({ label: person.name });
  await expect(page.getByRole('button', { name: 'Write the announcement' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // The other leaves: presence shows it.
  await other.context().close();
  await expect(
    page.getByRole('list', { name: 'Online' }).getByRole('listitem', { name: person.name }),
  ).toHaveCount(0);
});

test('a reload shows what another member changed since: boards are never served stale', async ({
  page,
  browser,
}) => {
  const org = newOrganization('reload');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Reloaded board');
  await addTask(page, 'To do', 'Order the banners');
  // Read twice, so the app holds this board in its cache.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Order the banners' })).toBeVisible();
  const { page: other } = await secondMember(browser, org, 'Rita Reload', boardUrl);
  await other.getByRole('button', { name: 'Order the banners' }).click();
  const panel = other.getByRole('complementary', { name: 'Task details' });
  await panel.getByLabel('Title').fill('Order the banners and flags');
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(
    column(other, 'To do').getByRole('button', { name: 'Order the banners and flags' }),
  ).toBeVisible();

  await page.reload();
  await expect(
    column(page, 'To do').getByRole('button', { name: 'Order the banners and flags' }),
  ).toBeVisible();
  // The JSON the board refetches on reconnect, from the same session.
  const titles = await page.evaluate(
    async (path) => {
      const response = await fetch(path);
      return ((await response.json()) as { tasks: { title: string }[] }).tasks.map((t) => t.title);
    },
    `/api/projects/${boardUrl.split('/').pop()}/board`,
  );
  expect(titles).toEqual(['Order the banners and flags']);
  // And a new member appears in the assignee filter after a reload, without any task changing.
  await addMember(org.slug, 'viewer', 'Vera Newcomer');
  await page.reload();
  await expect(
    page.getByLabel('Assignee').getByRole('option', { name: 'Vera Newcomer' }),
  ).toHaveCount(1);
});

test('what the user types next is kept when an answer arrives after its own live event', async ({
  page,
}) => {
  const org = newOrganization('typing');
  await signUp(page, org);
  await createBoard(page, org, 'Busy board');
  await expect(live(page)).toBeVisible();
  // Server actions run at once, but their answers reach the page a second late: the live event for each
  // change shows it first, as on a slow network.
  await page.route('**/*', async (route) => {
    const request = route.request();
    if (!request.headers()['next-action']) return route.continue();
    // Sent from Node, which does not resolve *.localhost: to 127.0.0.1, naming the host as the browser did.
    const url = new URL(request.url());
    const host = url.host;
    url.hostname = '127.0.0.1';
    const response = await route.fetch({ url: url.href, headers: { ...request.headers(), host } });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.fulfill({ response });
  });

  const input = page.getByLabel('New task in To do');
  await page.getByRole('button', { name: '+ Add a task to To do' }).click();
  await input.fill('Print the posters');
  await page.getByRole('button', { name: 'Add task to To do' }).click();
  await expect(
    column(page, 'To do').getByRole('button', { name: 'Print the posters' }),
  ).toBeVisible();
  await input.fill('Hang the posters');
  await expect(page.getByRole('button', { name: 'Add task to To do' })).toBeEnabled();
  await expect(input).toHaveValue('Hang the posters');

  await column(page, 'To do').getByRole('button', { name: 'Print the posters' }).click();
  const panel = page.getByRole('complementary', { name: 'Task details' });
  const box = panel.getByLabel('Add a comment');
  await box.fill('Ordered 200 copies.');
  await panel.getByRole('button', { name: 'Comment' }).click();
  await expect(
    panel.getByRole('list', { name: 'Comments' }).getByText('Ordered 200 copies.'),
  ).toBeVisible();
  await box.fill('They arrive on Monday.');
  await expect(panel.getByRole('button', { name: 'Comment' })).toBeEnabled();
  await expect(box).toHaveValue('They arrive on Monday.');
});

test('a stale edit shows who changed the task and lets the user reapply or discard', async ({
  page,
  browser,
}) => {
  const org = newOrganization('conflict');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Contested board');
  await addTask(page, 'To do', 'Draft the budget');
  const { page: other, person } = await secondMember(browser, org, 'Otto Other', boardUrl);
  const panel = (p: Page) => p.getByRole('complementary', { name: 'Task details' });
  for (const p of [page, other]) {
    await expect(live(p)).toBeVisible();
    await p.getByRole('button', { name: 'Draft the budget' }).click();
    await expect(panel(p).getByLabel('Title')).toHaveValue('Draft the budget');
  }

  // The first user starts typing; meanwhile the other saves.
  await panel(page).getByLabel('Description').fill('Numbers from finance, due Friday.');
  await panel(other).getByLabel('Description').fill('Use last year’s template.');
  await panel(other).getByRole('button', { name: 'Save changes' }).click();
  await expect(panel(other).getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await expect(
    panel(page).getByText(`${person.name} changed this task since you started editing`),
  ).toBeVisible();

  await panel(page).getByRole('button', { name: 'Save changes' }).click();
  const conflict = panel(page).getByRole('alert');
  await expect(conflict).toContainText(
    `${person.name} changed this task while you were editing it.`,
  );
  await expect(conflict).toContainText('theirs “Use last year’s template.”');
  await expect(conflict).toContainText('yours “Numbers from finance, due Friday.”');

  await conflict.getByRole('button', { name: 'Apply my changes on top' }).click();
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
  await expect(panel(other).getByLabel('Description')).toHaveValue(
    'Numbers from finance, due Friday.',
  );

  // And the other way: a stale draft discarded shows the current text.
  await panel(other).getByLabel('Description').fill('My stale idea');
  await panel(page).getByLabel('Description').fill('Final numbers');
  await panel(page).getByRole('button', { name: 'Save changes' }).click();
  await panel(other).getByRole('button', { name: 'Save changes' }).click();
  await panel(other).getByRole('button', { name: 'Discard my changes' }).click();
  await expect(panel(other).getByLabel('Description')).toHaveValue('Final numbers');
});

test('a member of another organization cannot subscribe to this one’s channels or read its board', async ({
  page,
  browser,
}) => {
  const org = newOrganization('owner');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Private board');
  const projectId = new URL(boardUrl).pathname.split('/').pop()!;
  const tenantId = await tenantIdOf(org.slug);

  const stranger = await (await browser.newContext()).newPage();
  const strangerOrg = newOrganization('stranger');
  await signUp(stranger, strangerOrg);
  // The board's address on the stranger's own host is a project that does not exist there.
  await stranger.goto(tenantUrl(strangerOrg.slug, `/projects/${projectId}`));
  await expect(
    stranger.getByRole('heading', { name: 'This project does not exist' }),
  ).toBeVisible();
  const statuses = await stranger.evaluate(
    async ({ tenantId, projectId }) => {
      const auth = (channel: string) =>
        fetch('/api/pusher/auth', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ socket_id: '123.456', channel_name: channel }),
        }).then((r) => r.status);
      return {
        board: (await fetch(`/api/projects/${projectId}/board`)).status,
        data: await auth(`private-tenant-${tenantId}`),
        presence: await auth(`presence-tenant-${tenantId}`),
        boardPresence: await auth(`presence-tenant-${tenantId}-project-${projectId}`),
      };
    },
    { tenantId, projectId },
  );
  expect(statuses).toEqual({ board: 404, data: 403, presence: 403, boardPresence: 403 });
});

test('the board’s JSON, which the server answers itself, is the member’s own, gzipped when asked, and refused once they sign out', async ({
  page,
}) => {
  const org = newOrganization('board-route');
  await signUp(page, org);
  const boardUrl = await createBoard(page, org, 'Route plan');
  await addTask(page, 'To do', 'Served without Next');
  const path = `/api/projects/${new URL(boardUrl).pathname.split('/').pop()}/board`;
  const session = (await page.context().cookies(tenantUrl(org.slug))).find((c) =>
    c.name.endsWith('authjs.session-token'),
  );
  const cookie = `${session!.name}=${session!.value}`;
  const host = `${org.slug}.localhost:${PORT}`;

  const plain = await nodeRequest(host, path, { cookie });
  expect(plain.status).toBe(200);
  const board = JSON.parse(plain.body) as { project: { name: string }; tasks: { title: string }[] };
  expect(board.project.name).toBe('Route plan');
  expect(board.tasks.map((t) => t.title)).toEqual(['Served without Next']);
  expect(plain.headers).toMatchObject({
    'cache-control': 'private, no-store',
    'content-type': 'application/json',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': expect.stringContaining(`default-src 'none'`),
  });

  // A browser asks for gzip: a board under 1 KB comes as it is (as Next.js sends it), a bigger one compressed.
  const small = await nodeRequestBytes(host, path, {
    cookie,
    'accept-encoding': 'gzip, deflate, br',
  });
  expect(small.headers['content-encoding']).toBeUndefined();
  expect(small.body.toString()).toBe(plain.body);
  for (const n of [1, 2, 3])
    await addTask(page, 'To do', `${'A long title to pass a kilobyte '.repeat(5)}${n}`);
  const grown = await nodeRequest(host, path, { cookie });
  expect(grown.body.length).toBeGreaterThan(1024);
  const zipped = await nodeRequestBytes(host, path, {
    cookie,
    'accept-encoding': 'gzip, deflate, br',
  });
  expect(zipped.status).toBe(200);
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(zipped.headers.vary).toContain('Accept-Encoding');
  expect(gunzipSync(zipped.body).toString()).toBe(grown.body);

  // HEAD is Next's to answer, from the same route definition.
  expect((await nodeRequest(host, path, { cookie }, 'HEAD')).status).toBe(200);

  // The cookie means nothing on another organization's host.
  const other = newOrganization('board-route-other');
  const otherPage = await page.context().browser()!.newPage();
  await signUp(otherPage, other);
  await otherPage.close();
  const foreign = await nodeRequest(`${other.slug}.localhost:${PORT}`, path, { cookie });
  expect(foreign.status).toBe(401);

  // Signed out: the very next read with the old cookie is refused.
  await page.goto(tenantUrl(org.slug, '/'));
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForURL(/\/login/);
  const after = await nodeRequest(host, path, { cookie });
  expect(after.status).toBe(401);
  expect(JSON.parse(after.body).error.code).toBe('unauthenticated');
});

import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import Pusher from 'pusher';
import type { Board, TaskCard } from '@/lib/tasks/queries';
import { call, closeAgents, json } from './pooler/http';
import { poolerConnections, probeTenantContext, runMixedTenantLoad } from './pooler/load';
import { type Organization, setUpOrganization, signIn } from './pooler/organizations';
import { type BoardClient, openBoardClient } from './pooler/realtime';
import {
  APP_POOL_SIZE,
  type AppProcess,
  POOL_SIZE,
  type PoolerStack,
  startPoolerStack,
} from './pooler/stack';

/**
 * Two app processes and a worker on one PostgreSQL through PgBouncer in transaction mode (see
 * pooler/stack.ts). Runs in a project of its own (playwright.config.ts), after the browser tests, since it
 * starts servers of its own and loads them. The tests share one stack and run in order.
 */
test.describe.configure({ mode: 'default' });

/** What lib/realtime/outbox.ts sends for these events, sent once more through the Pusher HTTP API. */
async function republish(
  stack: PoolerStack,
  tenantId: string,
  events: { id: string; name: string; payload: Record<string, unknown> }[],
) {
  const { appId, key, secret, port } = stack.realtime;
  const pusher = new Pusher({
    appId,
    key,
    secret,
    host: '127.0.0.1',
    port: String(port),
    useTLS: false,
  });
  for (let i = 0; i < events.length; i += 10) {
    await pusher.triggerBatch(
      events.slice(i, i + 10).map((e) => ({
        channel: `private-tenant-${tenantId}`,
        name: e.name,
        data: JSON.stringify({ id: e.id, ...e.payload }),
      })),
    );
  }
}

/** At least as many concurrent clients as both processes have runtime connections, and more than PgBouncer. */
const CLIENTS = 2 * APP_POOL_SIZE + 4;
const ITERATIONS = 24;

let stack: PoolerStack;
let orgs: Organization[];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  stack = await startPoolerStack(`${process.env.E2E_PORT ?? 3100}-${test.info().workerIndex}`);
  const [a, b] = stack.apps;
  orgs = await Promise.all(
    ['pool-one', 'pool-two', 'pool-three'].map((label, i) =>
      setUpOrganization(stack, label, i % 2 ? b : a, i % 2 ? a : b, CLIENTS),
    ),
  );
});

test.afterEach(async () => {
  const testInfo = test.info();
  if (testInfo.status !== testInfo.expectedStatus && stack) {
    for (const [name, log] of Object.entries(stack.logs()))
      await testInfo.attach(`${name}.log`, { body: log, contentType: 'text/plain' });
  }
  // Every test leaves all processes running: a crash under load is a failure even if answers looked right.
  if (stack) expect(stack.exited()).toEqual([]);
});

test.afterAll(async () => {
  closeAgents();
  await stack?.stop();
});

test('no tenant context leaks across pooled server connections under concurrent mixed-tenant load', async () => {
  test.setTimeout(180_000);
  let snapshot: Awaited<ReturnType<typeof poolerConnections>> | undefined;
  const load = runMixedTenantLoad(stack, orgs, { clients: CLIENTS, iterations: ITERATIONS });
  const probe = probeTenantContext(stack.pooledAppUrl, load);
  // While the load runs, PgBouncer serves many more runtime-role clients than it has server connections.
  const watch = (async () => {
    await new Promise((r) => setTimeout(r, 1_500));
    snapshot = await poolerConnections(stack.poolerConsoleUrl, 'tenantry_app');
  })();
  const [report, context] = await Promise.all([load, probe, watch]);
  test.info().annotations.push({
    type: 'figures',
    description: `${report.requests} requests (${JSON.stringify(report.byKind)}), ${context.probes} probes; runtime role in PgBouncer: ${JSON.stringify(snapshot)}`,
  });

  expect(report.problems.slice(0, 20)).toEqual([]);
  expect(report.requests).toBe(CLIENTS * ITERATIONS);
  expect(Math.min(...Object.values(report.byKind))).toBeGreaterThan(CLIENTS * 2);
  expect(context.leaks.slice(0, 10)).toEqual([]);
  expect(context.probes).toBeGreaterThan(20);
  expect(snapshot!.servers).toBeLessThanOrEqual(POOL_SIZE);
  expect(snapshot!.clients).toBeGreaterThan(2 * POOL_SIZE);
  expect(snapshot!.byApplication['tenantry-app-a']).toBeGreaterThan(0);
  expect(snapshot!.byApplication['tenantry-app-b']).toBeGreaterThan(0);

  // After the load, the written titles are what the database holds, each in its own tenant only.
  const sql = postgres(stack.superuserUrl, { max: 1, onnotice: () => {} });
  try {
    for (const org of orgs) {
      const rows = await sql<{ tenant_id: string; n: number }[]>`
        select tenant_id, count(*)::int as n from tasks where title like ${`${org.canary} #%`}
        group by tenant_id`;
      expect(rows).toEqual([{ tenant_id: org.tenantId, n: org.tasks.length }]);
    }
  } finally {
    await sql.end();
  }
});

test('a board cached by one process is invalidated by a write through the other', async () => {
  const org = orgs[0]!;
  const board = async (through: AppProcess) =>
    json<Board>(
      await call(through, org.host, `/api/projects/${org.projectId}/board`, { cookie: org.cookie }),
    );
  const card = (b: Board, id: string) => b.tasks.find((t) => t.id === id);
  const [a, b] = stack.apps;
  for (const [reader, writer, task] of [
    [a, b, org.tasks[0]!],
    [b, a, org.tasks[1]!],
  ] as const) {
    // Read twice: the second answer comes from the reader's cache, which must not outlive the write.
    await board(reader);
    const before = card(await board(reader), task.id)!;
    const title = `${org.canary} #renamed through ${writer.name}`;
    const written = json<TaskCard>(
      await call(writer, org.host, `/api/tasks/${task.id}`, {
        method: 'PATCH',
        cookie: org.cookie,
        json: { version: before.version, title },
      }),
    );
    task.version = written.version;
    expect(card(await board(reader), task.id)).toMatchObject({
      title,
      version: before.version + 1,
    });
  }

  const doomed = org.tasks.pop()!;
  await board(a);
  expect(card(await board(a), doomed.id)).toBeDefined();
  const removed = await call(b, org.host, `/api/tasks/${doomed.id}`, {
    method: 'DELETE',
    cookie: org.cookie,
  });
  expect(removed.status).toBe(200);
  expect(card(await board(a), doomed.id)).toBeUndefined();
});

test('a session revoked through one process is refused on its next request through the other', async ({
  browser,
}) => {
  const org = orgs[1]!;
  const [a, b] = stack.apps;
  const status = async (through: AppProcess, cookie: string) =>
    (await call(through, org.host, '/api/projects', { cookie })).status;
  const other = await signIn(b, org);
  expect([await status(a, other), await status(b, other)]).toEqual([200, 200]);

  // A browser on the public address (process A), told the realtime server's public name, not PUSHER_HOST.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const socket = page.waitForEvent('websocket');
    await page.goto(`http://${org.host}/login`);
    expect(new URL((await socket).url()).host).toBe(`localhost:${stack.realtime.port}`);
    await page.getByLabel('Email').fill(org.email);
    await page.getByLabel('Password').fill(org.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`http://${org.host}/`, { waitUntil: 'load' });
    await expect(page.getByRole('heading', { name: `Welcome, ${org.name}` })).toBeVisible();
    const session = (await context.cookies()).find((c) => c.name === 'authjs.session-token')!;
    const mine = `${session.name}=${session.value}`;
    expect(await status(b, mine)).toBe(200);

    await page.goto(`http://${org.host}/settings/sessions`);
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await expect(page.getByRole('list', { name: 'Sessions' }).getByRole('listitem')).toHaveCount(1);
    expect([await status(b, other), await status(a, other)]).toEqual([401, 401]);
    expect(await status(b, org.cookie)).toBe(401);
    expect(await status(b, mine)).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/\/login/);
    expect(await status(b, mine)).toBe(401);
  } finally {
    await context.close();
  }
});

test('each board client applies each event once and misses none, whichever process wrote it', async () => {
  test.setTimeout(120_000);
  const org = orgs[2]!;
  const [a, b] = stack.apps;
  const sql = postgres(stack.superuserUrl, { max: 1, onnotice: () => {} });
  const clients: BoardClient[] = [];
  try {
    const [{ since }] = (await sql`select now() as since`) as unknown as [{ since: Date }];
    // One tab's channel authorized through each process, and one tab of another tenant that must hear none.
    clients.push(await openBoardClient(stack, a, org), await openBoardClient(stack, b, org));
    const outsider = await openBoardClient(stack, b, orgs[0]!);
    clients.push(outsider);

    // Concurrent writers, each on its own task, alternating processes write by write.
    const WRITERS = 6;
    const WRITES_EACH = 8;
    const results: TaskCard[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const task = org.tasks[w]!;
        for (let n = 0; n < WRITES_EACH; n++) {
          const written = json<TaskCard>(
            await call(stack.apps[(w + n) % 2]!, org.host, `/api/tasks/${task.id}`, {
              method: 'PATCH',
              cookie: org.cookie,
              json: { version: task.version, title: `${org.canary} #${w + 1} live ${n}` },
            }),
          );
          task.version = written.version;
          results.push(written);
        }
      }),
    );
    const events = await sql<{ id: string; name: string; payload: Record<string, unknown> }[]>`
      select id, name, payload from outbox_events
      where tenant_id = ${org.tenantId} and created_at >= ${since}`;
    expect(events).toHaveLength(WRITERS * WRITES_EACH);
    const expected = events.map((e) => e.id).sort();
    // Delivery is at least once: send every event again, as the outbox sweeper does when it retries a
    // publish that had in fact arrived. Each client must receive both copies and apply one.
    await republish(stack, org.tenantId, events);

    const [first, second] = clients;
    for (const client of [first!, second!]) {
      await expect
        .poll(() => expected.filter((id) => (client.delivered.get(id) ?? 0) < 2).length, {
          timeout: 15_000,
        })
        .toBe(0);
    }
    const server = json<Board>(
      await call(a, org.host, `/api/projects/${org.projectId}/board`, { cookie: org.cookie }),
    );
    const cards = (board: Board) =>
      board.tasks
        .map((t) => ({ id: t.id, title: t.title, version: t.version }))
        .sort((x, y) => x.id.localeCompare(y.id));
    for (const client of [first!, second!]) {
      const appliedOnce = expected.filter((id) => client.applied.get(id) === 1);
      expect(appliedOnce).toEqual(expected);
      expect(cards(client.board)).toEqual(cards(server));
    }
    // Every acknowledged write is on the board each client holds.
    for (const written of results) {
      for (const client of [first!, second!]) {
        expect(client.board.tasks.find((t) => t.id === written.id)!.version).toBeGreaterThanOrEqual(
          written.version,
        );
      }
    }
    expect(expected.filter((id) => outsider.delivered.has(id))).toEqual([]);
  } finally {
    for (const client of clients) client.close();
    await sql.end();
  }
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import { pointAppAtRealtime, Realm } from './realtime/harness';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.10';

const { publishEvents } = await import('@/lib/realtime/outbox');
const { createEventDeduper } = await import('@/lib/realtime/event-filter');
const { createProject } = await import('@/lib/projects/actions');
const { createTask, updateTask } = await import('@/lib/tasks/actions');
const orgs = await import('../support/orgs');

async function until(condition: () => boolean, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for events');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let realm: Realm;
let platform: Sql;

beforeAll(async () => {
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  platform = connect(urls().platform, 2);
});
afterAll(async () => {
  await realm.close();
  await platform.end();
});

describe('at-least-once delivery', () => {
  it('delivers a task change after commit with its version; a repeated delivery is dropped by id', async () => {
    const org = await orgs.signUpOrg(platform, 'delivery');
    orgs.actAs(request, org);
    const project = await createProject({ name: 'Delivery' });
    if (!project.ok) throw new Error('setup');
    const client = realm.client();
    const channel = await realm.subscribe(client, `private-tenant-${org.tenantId}`);
    const raw: { id: string; task?: { version: number; title: string } }[] = [];
    channel.bind_global((name: string, data: (typeof raw)[number]) => {
      if (!name.startsWith('pusher:')) raw.push(data);
    });

    const created = await createTask({ projectId: project.data.id, title: 'Ship it' });
    if (!created.ok) throw new Error('setup');
    const updated = await updateTask({ id: created.data.id, version: 1, title: 'Ship it today' });
    expect(updated.ok).toBe(true);
    await until(() => raw.length >= 2);
    expect(raw.map((e) => e.task)).toMatchObject([
      { version: 1, title: 'Ship it' },
      { version: 2, title: 'Ship it today' },
    ]);

    // A retry (as the sweeper does after a failed or unconfirmed publish) sends the same event again.
    const again = raw[1]!;
    await publishEvents({ tenantId: org.tenantId, userId: org.session.userId }, [
      { id: again.id, name: 'task.updated', payload: { task: again.task } },
    ]);
    await until(() => raw.length >= 3);
    expect(raw[2]!.id).toBe(again.id);
    const firstDelivery = createEventDeduper();
    expect(raw.filter((e) => firstDelivery(e.id))).toHaveLength(2);
  });
});

import { sql } from 'drizzle-orm';
import type { Channel } from 'pusher-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/db/embedded';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';
import { pointAppAtRealtime, Realm } from './realtime/harness';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.9';

const { withTenant } = await import('@/db/with-tenant');
const { recordEvents } = await import('@/lib/realtime/outbox');
const { startOutboxSweeper } = await import('@/lib/realtime/sweeper');
const { createProject } = await import('@/lib/projects/actions');
const orgs = await import('../support/orgs');

/** Polls `ready` until it holds, or fails after `timeoutMs`. */
async function until(label: string, ready: () => boolean, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type ProjectEvent = { id: string; project: { id: string; name: string } };

let port: number;
let platform: Sql;
let org: Org;

beforeAll(async () => {
  // The realtime server is down until a test starts it, always on this port, where the app publishes.
  port = await freePort();
  pointAppAtRealtime(port);
  platform = connect(urls().platform, 2);
  org = await orgs.signUpOrg(platform, 'sweep');
  orgs.actAs(request, org);
});
afterAll(async () => {
  await platform.end();
});

const outboxRow = async (eventName: string, projectId: string) => {
  const rows = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
    tx.execute(
      sql`select id, published_at from outbox_events where name = ${eventName} and payload->'project'->>'id' = ${projectId}`,
    ),
  );
  expect(rows).toHaveLength(1);
  return rows[0] as { id: string; published_at: string | null };
};

/** A client of the tenant's channel that keeps every `project.created` it receives. */
async function listenForProjects(realm: Realm) {
  const received: ProjectEvent[] = [];
  const channel: Channel = await realm.subscribe(realm.client(), `private-tenant-${org.tenantId}`);
  channel.bind('project.created', (event: ProjectEvent) => received.push(event));
  return received;
}

async function createWhileRealtimeIsDown(name: string) {
  const created = await createProject({ name });
  expect(created.ok).toBe(true);
  const projectId = created.ok ? created.data.id : '';
  expect((await outboxRow('project.created', projectId)).published_at).toBeNull();
  return projectId;
}

describe('the outbox sweeper', () => {
  it('delivers, once the realtime server is back, a write that succeeded while it was down', async () => {
    const logs: string[] = [];
    const sweeper = startOutboxSweeper({ log: (m) => logs.push(m) });
    let realm: Realm | undefined;
    try {
      const projectId = await createWhileRealtimeIsDown('Written offline');
      // The sweeper has tried, failed, and is backing off: the event is still pending.
      await until('a failed sweep', () => logs.some((m) => m.includes('will retry')));
      expect((await outboxRow('project.created', projectId)).published_at).toBeNull();

      realm = await Realm.start({ port });
      const backAt = Date.now();
      const received = await listenForProjects(realm);
      // Backoff is capped, so a write made while the server was down arrives soon after it is back: within the
      // 5 s in which every open board converges (loose, since a loaded CI machine must not fail it).
      await until('the swept event', () => received.length > 0, 5_000);
      expect(Date.now() - backAt).toBeLessThan(5_000);
      // Nothing else arrives: delivered exactly once, with the id the outbox row has.
      await new Promise((r) => setTimeout(r, 600));
      const row = await outboxRow('project.created', projectId);
      expect(received.map((e) => e.id)).toEqual([row.id]);
      expect(received[0]!.project.id).toBe(projectId);
      expect(row.published_at).not.toBeNull();
    } finally {
      await sweeper.stop();
      await realm?.close();
    }
  });

  it('catches up on start-up with what was written while it was not running', async () => {
    const projectId = await createWhileRealtimeIsDown('Written before start-up');
    const realm = await Realm.start({ port });
    const received = await listenForProjects(realm);
    const sweeper = startOutboxSweeper({ log: () => {} });
    try {
      await until('the caught-up event', () => received.length > 0, 1_000);
      const row = await outboxRow('project.created', projectId);
      expect(received.map((e) => e.id)).toEqual([row.id]);
    } finally {
      await sweeper.stop();
      await realm.close();
    }
  });

  it('is woken only by committed events: a rolled-back transaction notifies nobody and leaves no row', async () => {
    const listener = connect(urls().platform, 1);
    const notifications: string[] = [];
    await listener.listen('outbox_events', (payload) => notifications.push(payload));
    const record = (name: string) =>
      withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
        recordEvents(tx, org.tenantId, [{ name, payload: {} }]),
      );
    try {
      await expect(
        withTenant({ tenantId: org.tenantId, userId: null }, async (tx) => {
          await recordEvents(tx, org.tenantId, [{ name: 'test.rolled_back', payload: {} }]);
          throw new Error('the change fails after recording its event');
        }),
      ).rejects.toThrow('the change fails');
      await new Promise((r) => setTimeout(r, 300));
      expect(notifications).toEqual([]);

      await record('test.committed');
      await until('the commit notification', () => notifications.length > 0);
      const names = await withTenant({ tenantId: org.tenantId, userId: null }, (tx) =>
        tx.execute(sql`select name from outbox_events where name like 'test.%'`),
      );
      expect(names.map((r) => r.name)).toEqual(['test.committed']);
    } finally {
      await listener.end();
    }
  });
});

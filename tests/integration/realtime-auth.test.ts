import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type Sql, urls } from '../support/db';
import { request } from '../support/fake-request';
import type { Org } from '../support/orgs';
import { APP, connectionState, nextEvent, pointAppAtRealtime, Realm } from './realtime/harness';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '203.0.113.8';

const authRoute = await import('@/app/api/pusher/auth/route');
const userAuthRoute = await import('@/app/api/pusher/user-auth/route');
const { revokeOtherSessions } = await import('@/lib/account/settings-actions');
const { revalidatePath } = await import('next/cache');
const { redeemHandoffToken, issueHandoffToken } = await import('@/lib/auth/handoff');
const { withTenant } = await import('@/db/with-tenant');
const { createProject, renameProject } = await import('@/lib/projects/actions');
const { createTask } = await import('@/lib/tasks/actions');
const orgs = await import('../support/orgs');

let platform: Sql;
let realm: Realm;
let a: Org;
let b: Org;

const form = (body: Record<string, string>) =>
  new Request('http://x/api/pusher/auth', {
    method: 'POST',
    body: new URLSearchParams(body).toString(),
  });
/** Calls a route handler as pusher-js does; a refusal rejects with the route's JSON error (its code). */
async function call(route: { POST: (r: Request) => Promise<Response> }, request: Request) {
  const response = await route.POST(request);
  const body = await response.json();
  if (!response.ok) throw Object.assign(body.error, { status: response.status });
  return body;
}
const authorizeChannel = (r: Request) => call(authRoute, r);
const authenticateRealtimeUser = (r: Request) => call(userAuthRoute, r);
const sign = (value: string) => createHmac('sha256', APP.secret).update(value).digest('hex');

beforeAll(async () => {
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  platform = connect(urls().platform, 2);
  a = await orgs.signUpOrg(platform, 'rt-a');
  b = await orgs.signUpOrg(platform, 'rt-b');
});
afterAll(async () => {
  await realm.close();
  await platform.end();
});
beforeEach(() => {
  request.pointer = null;
});

describe('channel authorization', () => {
  it('signs a member’s own tenant channels, with presence identity from the session', async () => {
    orgs.actAs(request, a);
    const channel = `private-tenant-${a.tenantId}`;
    expect(await authorizeChannel(form({ socket_id: '123.456', channel_name: channel }))).toEqual({
      auth: `${APP.key}:${sign(`123.456:${channel}`)}`,
    });
    const presence = `presence-tenant-${a.tenantId}`;
    const result = (await authorizeChannel(
      // A client-chosen identity in the request is ignored.
      form({
        socket_id: '123.456',
        channel_name: presence,
        channel_data: '{"user_id":"someone-else"}',
      }),
    )) as { auth: string; channel_data: string };
    expect(JSON.parse(result.channel_data)).toEqual({
      user_id: a.session.userId,
      user_info: { name: 'rt-a owner' },
    });
    expect(result.auth).toBe(`${APP.key}:${sign(`123.456:${presence}:${result.channel_data}`)}`);
  });

  it('refuses signed-out callers, other tenants’ channels and every malformed name', async () => {
    const channel = `private-tenant-${a.tenantId}`;
    request.host = `${a.slug}.localhost:3000`;
    await expect(
      authorizeChannel(form({ socket_id: '1.2', channel_name: channel })),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    // A member of B, on B's host, asking for A's channel.
    orgs.actAs(request, b);
    await expect(
      authorizeChannel(form({ socket_id: '1.2', channel_name: channel })),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    // B's session presented on A's host is not signed in there at all.
    orgs.actAs(request, b, a);
    await expect(
      authorizeChannel(form({ socket_id: '1.2', channel_name: channel })),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    orgs.actAs(request, a);
    for (const name of [
      `${channel}x`,
      `${channel}-extra`,
      `PRIVATE-tenant-${a.tenantId}`,
      `private-tenant-${a.tenantId.toUpperCase()}`,
      `private-tenants-${a.tenantId}`,
      `private-encrypted-tenant-${a.tenantId}`,
      `x-private-tenant-${a.tenantId}`,
      `tenant-${a.tenantId}`,
      'private-tenant-',
      '',
    ]) {
      await expect(
        authorizeChannel(form({ socket_id: '1.2', channel_name: name })),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    await expect(
      authorizeChannel(form({ socket_id: 'abc', channel_name: channel })),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});

describe('revocation', () => {
  it('disconnects the realtime connection of a revoked session at once, and only that one', async () => {
    // A second session of A's owner, from another browser.
    const token = await withTenant({ tenantId: a.tenantId, userId: null }, (tx) =>
      issueHandoffToken(tx, a.tenantId, a.session.userId),
    );
    const second = (await redeemHandoffToken(a.tenantId, token, { ip: null, userAgent: null }))!;
    const otherOrg = await orgs.signUpOrg(platform, 'rt-c');

    const connectAs = async (org: Org, sessionId: string, userId: string) => {
      request.host = `${org.slug}.localhost:3000`;
      request.pointer = { sessionId, tenantId: org.tenantId, userId };
      const client = realm.client({ userId: sessionId });
      await connectionState(client, 'connected');
      await client.user.signinDonePromise;
      // The app's own user authentication accepts this session.
      const signedIn = await authenticateRealtimeUser(
        form({ socket_id: client.connection.socket_id }),
      );
      expect(JSON.parse(signedIn.user_data)).toMatchObject({ id: sessionId });
      return client;
    };
    const revokedBrowser = await connectAs(a, second.sessionId, second.userId);
    const bystander = await connectAs(
      otherOrg,
      otherOrg.session.sessionId,
      otherOrg.session.userId,
    );

    const dropped = new Promise<void>((resolve) => {
      revokedBrowser.connection.bind('state_change', (s: { current: string }) => {
        if (s.current !== 'connected') resolve();
      });
    });
    orgs.actAs(request, a);
    vi.mocked(revalidatePath).mockClear();
    expect(await revokeOtherSessions({})).toMatchObject({ ok: true, data: { count: 1 } });
    await dropped;
    expect(bystander.connection.state).toBe('connected');
    // The sessions page it was sent from comes back re-rendered in the answer, without the ended session.
    expect(vi.mocked(revalidatePath).mock.calls).toEqual([['/settings/sessions']]);
  });
});

describe('the outbox', () => {
  const outboxOf = (tenantId: string) =>
    withTenant({ tenantId, userId: null }, (tx) =>
      tx.execute(sql`select name, published_at from outbox_events`),
    );

  it('publishes an event after its change commits, and records none when the change rolls back', async () => {
    const org = await orgs.signUpOrg(platform, 'rt-outbox');
    const client = realm.client();
    const channel = await realm.subscribe(client, `private-tenant-${org.tenantId}`);
    orgs.actAs(request, org);

    const received = nextEvent<{ id: string; project: { name: string; version: number } }>(
      channel,
      'project.created',
    );
    const created = await createProject({ name: 'Outbox' });
    expect(created.ok).toBe(true);
    const event = await received;
    expect(event).toMatchObject({
      id: expect.any(String),
      project: { name: 'Outbox', version: 1 },
    });

    // A stale rename is refused: its transaction rolls back with no outbox row.
    const id = created.ok ? created.data.id : '';
    expect(await renameProject({ id, name: 'Stale', version: 7 })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const rows = await outboxOf(org.tenantId);
    expect(rows.map((r) => r.name)).toEqual(['project.created']);
    expect(rows[0]!.published_at).not.toBeNull();
  });
});

describe('board and task presence channels', () => {
  const ask = (channel: string) => form({ socket_id: '1.2', channel_name: channel });

  it('are authorized for this organization’s own projects and tasks only', async () => {
    orgs.actAs(request, b);
    const projectB = await createProject({ name: 'B board' });
    if (!projectB.ok) throw new Error('setup');
    orgs.actAs(request, a);
    const project = await createProject({ name: 'Watched board' });
    if (!project.ok) throw new Error('setup');
    const task = await createTask({ projectId: project.data.id, title: 'Watched task' });
    if (!task.ok) throw new Error('setup');
    for (const channel of [
      `presence-tenant-${a.tenantId}-project-${project.data.id}`,
      `presence-tenant-${a.tenantId}-task-${task.data.id}`,
    ]) {
      const auth = (await authorizeChannel(ask(channel))) as { channel_data: string };
      expect(JSON.parse(auth.channel_data).user_id, channel).toBe(a.session.userId);
    }
    for (const channel of [
      // B's project under A's prefix: there is no such project in A.
      `presence-tenant-${a.tenantId}-project-${projectB.data.id}`,
      `presence-tenant-${b.tenantId}-project-${projectB.data.id}`,
      `private-tenant-${a.tenantId}-project-${project.data.id}`,
      `presence-tenant-${a.tenantId}-task-${task.data.id}-x`,
      `presence-tenant-${a.tenantId}-TASK-${task.data.id}`,
      `presence-tenant-${a.tenantId}-comment-${task.data.id}`,
    ]) {
      await expect(authorizeChannel(ask(channel)), channel).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
  });
});

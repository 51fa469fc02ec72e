import type Pusher from 'pusher';
import type { Channel } from 'pusher-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalPusherServer } from '@/lib/realtime/local-server';
import { APP, connectionState, nextEvent, Realm, waitFor } from './harness';
import { connectRawSocket } from './raw-socket';

let realm: Realm;

afterEach(async () => {
  vi.useRealTimers();
  await realm.close();
});

/** The HTTP status a rejected SDK call carries (`Pusher.RequestError.status`). */
async function rejectionStatus(request: Promise<unknown>): Promise<number | undefined> {
  const error: unknown = await request.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as { status?: number }).status;
}

async function getJson(sdk: Pusher, path: string, params?: Record<string, string>) {
  const response = await sdk.get({ path, params });
  return (await response.json()) as unknown;
}

/** Resolves once the channel has received `marker`, recording everything it got before it. */
function eventsUntilMarker(channel: Channel): Promise<string[]> {
  const events: string[] = [];
  return waitFor('marker', (resolve) => {
    channel.bind_global((event: string) => {
      if (event.startsWith('pusher:')) return;
      events.push(event);
      if (event === 'marker') resolve(events);
    });
  });
}

describe('local Pusher server: publishing', () => {
  it('triggers one event to several channels and a batch to several channels', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient();
    const [a, b] = await Promise.all([
      realm.subscribe(client, 'room-a'),
      realm.subscribe(client, 'private-room-b'),
    ]);

    const both = Promise.all([nextEvent(a, 'hello'), nextEvent(b, 'hello')]);
    await realm.sdk.trigger(['room-a', 'private-room-b'], 'hello', { n: 1 });
    expect(await both).toEqual([{ n: 1 }, { n: 1 }]);

    const batch = Promise.all([nextEvent(a, 'one'), nextEvent(b, 'two')]);
    await realm.sdk.triggerBatch([
      { channel: 'room-a', name: 'one', data: { n: 1 } },
      { channel: 'private-room-b', name: 'two', data: 'plain text' },
    ]);
    expect(await batch).toEqual([{ n: 1 }, 'plain text']);
  });

  it('refuses a batch of more than ten events and publishes none of it', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient();
    const channel = await realm.subscribe(client, 'room-a');
    const seen = eventsUntilMarker(channel);
    const batch = Array.from({ length: 11 }, (_, i) => ({
      channel: 'room-a',
      name: `e${i}`,
      data: {},
    }));

    expect(await rejectionStatus(realm.sdk.triggerBatch(batch))).toBe(400);
    await realm.sdk.trigger('room-a', 'marker', {});
    expect(await seen).toEqual(['marker']);
  });

  it('does not send an event back to the socket named in socket_id', async () => {
    realm = await Realm.start();
    const author = await realm.connectedClient();
    const other = await realm.connectedClient();
    const authorSeen = eventsUntilMarker(await realm.subscribe(author, 'room-a'));
    const otherChannel = await realm.subscribe(other, 'room-a');

    const otherReceived = nextEvent(otherChannel, 'edited');
    await realm.sdk.trigger(
      'room-a',
      'edited',
      { id: 1 },
      { socket_id: author.connection.socket_id },
    );
    expect(await otherReceived).toEqual({ id: 1 });
    // Events reach a socket in order, so a marker sent later proves the first never came.
    await realm.sdk.trigger('room-a', 'marker', {});
    expect(await authorSeen).toEqual(['marker']);
  });

  it('refuses event data over 10 KB with 413', async () => {
    realm = await Realm.start();
    const status = await rejectionStatus(
      realm.sdk.trigger('room-a', 'big', 'x'.repeat(10 * 1024 + 1)),
    );
    expect(status).toBe(413);
    await expect(realm.sdk.trigger('room-a', 'fits', 'x'.repeat(10 * 1024))).resolves.toBeDefined();
  });
});

describe('local Pusher server: HTTP API authentication', () => {
  it('answers 401 to requests signed with the wrong secret', async () => {
    realm = await Realm.start();
    const forger = realm.sdkWithSecret('not-the-secret');
    expect(await rejectionStatus(forger.trigger('room-a', 'x', {}))).toBe(401);
    expect(await rejectionStatus(forger.get({ path: '/channels' }))).toBe(401);
    expect(await rejectionStatus(forger.terminateUserConnections('session-1'))).toBe(401);
  });

  it('answers 401 to a correctly signed request whose timestamp is stale', async () => {
    realm = await Realm.start();
    const path = `/apps/${APP.appId}/channels`;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 601_000);
    const staleQuery = realm.sdk.createSignedQueryString({ method: 'GET', path });
    vi.useRealTimers();
    const freshQuery = realm.sdk.createSignedQueryString({ method: 'GET', path });
    const base = `http://127.0.0.1:${realm.server.port}${path}`;

    expect((await fetch(`${base}?${staleQuery}`)).status).toBe(401);
    expect((await fetch(`${base}?${freshQuery}`)).status).toBe(200);
  });
});

describe('local Pusher server: channel information', () => {
  it('reports occupied channels, counts and presence users', async () => {
    realm = await Realm.start();
    const alice = { presence: { user_id: 'alice' } };
    const bob = { presence: { user_id: 'bob' } };
    const clients = await Promise.all([
      realm.connectedClient(alice),
      realm.connectedClient(alice),
      realm.connectedClient(bob),
    ]);
    await Promise.all(clients.map((client) => realm.subscribe(client, 'presence-lobby')));
    await realm.subscribe(clients[0]!, 'room-a');

    expect(await getJson(realm.sdk, '/channels')).toEqual({
      channels: { 'presence-lobby': {}, 'room-a': {} },
    });
    expect(
      await getJson(realm.sdk, '/channels', { filter_by_prefix: 'presence-', info: 'user_count' }),
    ).toEqual({ channels: { 'presence-lobby': { user_count: 2 } } });
    expect(
      await getJson(realm.sdk, '/channels/presence-lobby', {
        info: 'user_count,subscription_count',
      }),
    ).toEqual({ occupied: true, user_count: 2, subscription_count: 3 });
    expect(await getJson(realm.sdk, '/channels/room-a', { info: 'subscription_count' })).toEqual({
      occupied: true,
      subscription_count: 1,
    });
    expect(await getJson(realm.sdk, '/channels/empty-room')).toEqual({ occupied: false });

    const { users } = (await getJson(realm.sdk, '/channels/presence-lobby/users')) as {
      users: Array<{ id: string }>;
    };
    expect(users.map((user) => user.id).sort()).toEqual(['alice', 'bob']);

    expect(await rejectionStatus(realm.sdk.get({ path: '/channels/room-a/users' }))).toBe(400);
    expect(
      await rejectionStatus(
        realm.sdk.get({ path: '/channels/room-a', params: { info: 'user_count' } }),
      ),
    ).toBe(400);
  });

  it('returns requested channel info in the trigger response', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient();
    await realm.subscribe(client, 'room-a');
    const response = await realm.sdk.trigger('room-a', 'x', {}, { info: 'subscription_count' });
    expect(await response.json()).toEqual({ channels: { 'room-a': { subscription_count: 1 } } });
  });
});

describe('local Pusher server: terminate_connections', () => {
  it('closes only the sockets signed in as that user id', async () => {
    realm = await Realm.start();
    const revokedTabs = await Promise.all([
      realm.connectedClient({ userId: 'session-revoked' }),
      realm.connectedClient({ userId: 'session-revoked' }),
    ]);
    const kept = await realm.connectedClient({ userId: 'session-kept' });
    const anonymous = await realm.connectedClient();
    const keptSocket = kept.connection.socket_id;
    const keptChannel = await realm.subscribe(kept, 'room-a');
    const anonymousChannel = await realm.subscribe(anonymous, 'room-a');

    await realm.sdk.terminateUserConnections('session-revoked');
    // 4009 tells pusher-js the connection is unauthorized: it stays disconnected.
    await Promise.all(revokedTabs.map((tab) => connectionState(tab, 'disconnected')));

    const delivered = Promise.all([
      nextEvent(keptChannel, 'after'),
      nextEvent(anonymousChannel, 'after'),
    ]);
    await realm.sdk.trigger('room-a', 'after', {});
    await delivered;
    expect(kept.connection.state).toBe('connected');
    expect(kept.connection.socket_id).toBe(keptSocket);
  });
});

describe('local Pusher server: HTTP API errors and limits', () => {
  /** The body of a rejected SDK call, parsed (`Pusher.RequestError.body`). */
  async function rejectionBody(request: Promise<unknown>): Promise<unknown> {
    const error: unknown = await request.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    return JSON.parse(String((error as { body?: string }).body));
  }

  it("answers errors as JSON { error, code } at hosted Pusher's limits", async () => {
    realm = await Realm.start();
    const cases: Array<[Promise<unknown>, number]> = [
      [realm.sdk.trigger('room-a', 'big', 'x'.repeat(10 * 1024 + 1)), 413],
      [realm.sdk.trigger('x'.repeat(165), 'long-channel', {}), 400],
      [realm.sdkWithSecret('not-the-secret').trigger('room-a', 'forged', {}), 401],
      [realm.sdk.get({ path: '/nothing-here' }), 404],
    ];
    for (const [request, code] of cases) {
      expect(await rejectionBody(request)).toEqual({ error: expect.any(String), code });
    }
    const response = await fetch(`http://127.0.0.1:${realm.server.port}/apps/${APP.appId}/events`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(realm.sdk.trigger('x'.repeat(164), 'fits', {})).resolves.toBeDefined();
  });

  it('holds 100 members per presence channel by default, and cannot be set to allow more', async () => {
    await expect(
      startLocalPusherServer({ ...APP, port: 0, maxPresenceMembers: 101 }),
    ).rejects.toThrow(/maxPresenceMembers/);

    realm = await Realm.start();
    const name = 'presence-lobby';
    const join = async (userId: string) => {
      const socket = await connectRawSocket(realm.server.port);
      const signed = realm.sdk.authorizeChannel(socket.socketId, name, { user_id: userId });
      socket.send('pusher:subscribe', { channel: name, ...signed });
      return socket;
    };
    const members = [];
    // One after another: a hundred handshakes at once can outlast the wait on a busy machine.
    for (let i = 0; i < 100; i += 1) {
      const socket = await join(`user-${i}`);
      await socket.next('pusher_internal:subscription_succeeded');
      members.push(socket);
    }
    const extra = await join('user-100');
    expect((await extra.next('pusher:subscription_error')).data).toMatchObject({ status: 4100 });
    for (const socket of [...members, extra]) socket.ws.close();
  });
});

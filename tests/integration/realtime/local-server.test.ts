import type { Members, PresenceChannel } from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionState, nextEvent, onMessage, Realm, subscribed, waitFor } from './harness';

let realm: Realm;

afterEach(async () => {
  await realm.close();
});

describe('local Pusher server: subscriptions', () => {
  it('delivers a triggered event on public, private and presence channels', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient({ presence: { user_id: 'u1' } });
    const names = ['room-1', 'private-tenant-1', 'presence-tenant-1'];
    const channels = await Promise.all(names.map((name) => realm.subscribe(client, name)));

    for (const channel of channels) {
      const received = nextEvent(channel, 'item.updated');
      await realm.sdk.trigger(channel.name, 'item.updated', { id: 'a1', version: 2 });
      expect(await received).toEqual({ id: 'a1', version: 2 });
    }
  });

  it('refuses a private channel signed with the wrong secret', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient({ signer: realm.sdkWithSecret('not-the-secret') });
    const channel = client.subscribe('private-tenant-1');

    const error = await nextEvent(channel, 'pusher:subscription_error');
    expect(error).toMatchObject({ type: 'AuthError', status: 401 });
    expect(channel.subscribed).toBe(false);
  });

  it('refuses an authorization replayed from another socket', async () => {
    realm = await Realm.start();
    const owner = await realm.connectedClient();
    await realm.subscribe(owner, 'private-tenant-1');
    // A valid authorization, but for the owner's socket.
    const stolen = realm.sdk.authorizeChannel(owner.connection.socket_id, 'private-tenant-1');
    const thief = await realm.connectedClient({ authorize: () => stolen });

    const error = await nextEvent<{ status: number }>(
      thief.subscribe('private-tenant-1'),
      'pusher:subscription_error',
    );
    expect(error.status).toBe(401);
  });

  it('refuses malformed and over-long channel names with 4009, as Pusher does', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient();
    for (const name of ['has space', 'emoji-\u{1F600}']) {
      const error = await nextEvent(client.subscribe(name), 'pusher:subscription_error');
      expect(error).toMatchObject({ type: 'InvalidChannel', status: 4009 });
    }
    const tooLong = await nextEvent(client.subscribe('x'.repeat(165)), 'pusher:subscription_error');
    expect(tooLong).toMatchObject({ type: 'LimitReached', status: 4009 });
    await realm.subscribe(client, 'x'.repeat(164));
  });

  it('refuses an unknown app key with 4001', async () => {
    realm = await Realm.start();
    const client = realm.client({ key: 'unknown-key' });
    const code = await waitFor<number>('a 4001 error', (resolve) => {
      client.connection.bind('error', (event: { error?: { data?: { code?: number } } }) => {
        const code = event.error?.data?.code;
        if (code !== undefined) resolve(code);
      });
    });
    expect(code).toBe(4001);
    await connectionState(client, 'disconnected');
  });
});

describe('local Pusher server: presence', () => {
  it('announces members once per user and removes them with their last connection', async () => {
    realm = await Realm.start();
    const name = 'presence-tenant-1';
    const alice = await realm.connectedClient({
      presence: { user_id: 'alice', user_info: { name: 'Alice' } },
    });
    const aliceChannel = (await realm.subscribe(alice, name)) as PresenceChannel;
    const seen: string[] = [];
    aliceChannel.bind('pusher:member_added', (member: { id: string }) =>
      seen.push(`+${member.id}`),
    );
    aliceChannel.bind('pusher:member_removed', (member: { id: string }) =>
      seen.push(`-${member.id}`),
    );

    const bob = { presence: { user_id: 'bob', user_info: { name: 'Bob' } } };
    const bobTab1 = await realm.connectedClient(bob);
    const added = nextEvent(aliceChannel, 'pusher:member_added');
    const bobChannel = bobTab1.subscribe(name) as PresenceChannel;
    const members = (await subscribed(bobChannel)) as Members;
    expect(await added).toEqual({ id: 'bob', info: { name: 'Bob' } });
    expect(members.count).toBe(2);
    expect(members.me).toEqual({ id: 'bob', info: { name: 'Bob' } });
    expect(members.get('alice')).toEqual({ id: 'alice', info: { name: 'Alice' } });

    // A second connection of the same user joins and leaves without Alice hearing of it.
    const bobTab2 = await realm.connectedClient(bob);
    await realm.subscribe(bobTab2, name);
    bobTab2.unsubscribe(name);
    // The server handles a socket's messages in order: once this succeeds, the unsubscribe is done.
    await realm.subscribe(bobTab2, 'sync-point');
    const marker = nextEvent(aliceChannel, 'marker');
    await realm.sdk.trigger(name, 'marker', {});
    await marker;
    expect(seen).toEqual(['+bob']);
    expect(aliceChannel.members.count).toBe(2);

    const removed = nextEvent(aliceChannel, 'pusher:member_removed');
    bobTab1.disconnect();
    expect(await removed).toEqual({ id: 'bob', info: { name: 'Bob' } });
    expect(seen).toEqual(['+bob', '-bob']);
    expect(aliceChannel.members.count).toBe(1);
  });

  it('refuses presence authorization whose channel_data was altered', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient({
      authorize: ({ socketId, channelName }) => {
        const signed = realm.sdk.authorizeChannel(socketId, channelName, { user_id: 'mallory' });
        return { auth: signed.auth, channel_data: JSON.stringify({ user_id: 'admin' }) };
      },
    });
    const error = await nextEvent<{ status: number }>(
      client.subscribe('presence-tenant-1'),
      'pusher:subscription_error',
    );
    expect(error.status).toBe(401);
  });

  it('refuses a new member once a presence channel is full, as hosted Pusher does, but not another tab of a member', async () => {
    realm = await Realm.start({ maxPresenceMembers: 2 });
    const name = 'presence-tenant-1';
    const join = async (userId: string) => {
      const client = await realm.connectedClient({ presence: { user_id: userId } });
      return client.subscribe(name);
    };
    await subscribed(await join('alice'));
    await subscribed(await join('bob'));
    await subscribed(await join('alice'));
    const error = await nextEvent(await join('carol'), 'pusher:subscription_error');
    expect(error).toMatchObject({ type: 'LimitReached', status: 4100 });
  });
});

describe('local Pusher server: client events and sign-in', () => {
  it('refuses client events and does not broadcast them', async () => {
    realm = await Realm.start();
    const sender = await realm.connectedClient();
    const receiver = await realm.connectedClient();
    const senderChannel = await realm.subscribe(sender, 'private-tenant-1');
    const receiverChannel = await realm.subscribe(receiver, 'private-tenant-1');
    const received: string[] = [];
    receiverChannel.bind_global((event: string) => received.push(event));

    const refusal = waitFor<unknown>('pusher:error', (resolve) =>
      onMessage(sender, (message) => {
        if (message.event === 'pusher:error') resolve(message.data);
      }),
    );
    senderChannel.trigger('client-typing', { text: 'hi' });
    expect(await refusal).toMatchObject({ message: expect.stringMatching(/client events/i) });

    const marker = nextEvent(receiverChannel, 'marker');
    await realm.sdk.trigger('private-tenant-1', 'marker', {});
    await marker;
    expect(received).toEqual(['marker']);
  });

  it('signs a user in and delivers events sent to that user', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient({ userId: 'session-1' });
    expect(client.user.user_data).toEqual({ id: 'session-1' });

    const delivered = waitFor<unknown>('a user event', (resolve) =>
      client.user.bind('notice', resolve),
    );
    // The user channel subscription follows signin; the server answers in order.
    await realm.subscribe(client, 'sync-point');
    await realm.sdk.sendToUser('session-1', 'notice', { text: 'hello' });
    expect(await delivered).toEqual({ text: 'hello' });
  });

  it('closes a connection whose signin is not signed by the app', async () => {
    realm = await Realm.start();
    const client = realm.client({ userId: 'session-1', signer: realm.sdkWithSecret('forged') });
    const code = await waitFor<number>('a signin error', (resolve) =>
      onMessage(client, (message) => {
        const data = message.data as { code?: number } | undefined;
        if (message.event === 'pusher:error' && data?.code !== undefined) resolve(data.code);
      }),
    );
    expect(code).toBe(4009);
    await connectionState(client, 'disconnected');
    expect(client.user.user_data).toBeNull();
  });
});

describe('local Pusher server: liveness', () => {
  it('keeps an idle connection alive through ping and pong', async () => {
    realm = await Realm.start({ activityTimeoutSeconds: 0.05, pongTimeoutMs: 200 });
    const client = await realm.connectedClient();
    const channel = await realm.subscribe(client, 'room-1');
    const socketId = client.connection.socket_id;
    const states: string[] = [];
    client.connection.bind('state_change', ({ current }: { current: string }) =>
      states.push(current),
    );

    let heartbeats = 0;
    await waitFor<void>('several heartbeats', (resolve) =>
      onMessage(client, (message) => {
        if (message.event === 'pusher:ping' || message.event === 'pusher:pong') heartbeats += 1;
        if (heartbeats >= 6) resolve();
      }),
    );

    const received = nextEvent(channel, 'still-here');
    await realm.sdk.trigger('room-1', 'still-here', {});
    await received;
    expect(states).toEqual([]);
    expect(client.connection.socket_id).toBe(socketId);
  });

  it('closes a connection that never answers pings', async () => {
    realm = await Realm.start({ activityTimeoutSeconds: 0.05, pongTimeoutMs: 100 });
    const client = await realm.connectedClient();
    // Silence the client's heartbeats, as a frozen browser tab would.
    const manager = client.connection as unknown as {
      connection: { send(data: string): boolean };
    };
    const transport = manager.connection;
    const send = transport.send.bind(transport);
    transport.send = (data) => (/"pusher:p[io]ng"/.test(data) ? true : send(data));

    const socketId = client.connection.socket_id;
    // 42xx tells pusher-js to reconnect at once, with a new socket.
    const reconnected = waitFor<string>('a new connection', (resolve) =>
      client.connection.bind('connected', ({ socket_id }: { socket_id: string }) =>
        resolve(socket_id),
      ),
    );
    const code = await waitFor<number>('a 4201 close', (resolve) => {
      client.connection.bind('error', (event: { error?: { data?: { code?: number } } }) => {
        const code = event.error?.data?.code;
        if (code !== undefined) resolve(code);
      });
    });
    expect(code).toBe(4201);
    expect(await reconnected).not.toBe(socketId);
  });
});

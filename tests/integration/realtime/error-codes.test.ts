// The codes and shapes of refusals, as hosted Pusher and Soketi send them: pusher-js decides
// from the code whether to reconnect, and the app's clients from the subscription error.
import { afterEach, describe, expect, it } from 'vitest';
import { APP, connectionState, nextEvent, onMessage, Realm, subscribed } from './harness';
import { connectRawSocket, openRawSocket } from './raw-socket';

let realm: Realm;

afterEach(async () => {
  await realm.close();
});

describe('local Pusher server: subscription errors', () => {
  it('refuses a user_info over 1 KB with LimitReached 4301, and accepts one of exactly 1 KB', async () => {
    realm = await Realm.start();
    const name = 'presence-tenant-1';
    // {"name":"…"} is 11 bytes around the name; 'é' is two bytes of UTF-8.
    const withName = (userId: string, infoName: string) =>
      realm.connectedClient({ presence: { user_id: userId, user_info: { name: infoName } } });

    const tooLarge = await withName('u1', 'é'.repeat(507));
    const error = await nextEvent(tooLarge.subscribe(name), 'pusher:subscription_error');
    expect(error).toMatchObject({ type: 'LimitReached', status: 4301 });

    const fits = await withName('u2', 'x'.repeat(1_013));
    await subscribed(fits.subscribe(name));
  });

  it('keeps a refused authorization an AuthError with 401', async () => {
    realm = await Realm.start();
    // Signed by the app, but naming no usable user id.
    const client = await realm.connectedClient({ presence: { user_id: 'two words' } });
    const error = await nextEvent(
      client.subscribe('presence-tenant-1'),
      'pusher:subscription_error',
    );
    expect(error).toMatchObject({ type: 'AuthError', status: 401 });

    // What pusher-js would not send: presence without channel_data, a user channel of
    // someone else.
    const socket = await connectRawSocket(realm.server.port);
    const { auth } = realm.sdk.authorizeChannel(socket.socketId, 'presence-tenant-1', {
      user_id: 'u1',
    });
    socket.send('pusher:subscribe', { channel: 'presence-tenant-1', auth });
    socket.send('pusher:subscribe', { channel: '#server-to-user-someone' });
    for (const channel of ['presence-tenant-1', '#server-to-user-someone']) {
      expect((await socket.next('pusher:subscription_error', channel)).data).toMatchObject({
        type: 'AuthError',
        status: 401,
      });
    }
    socket.ws.close();
  });
});

describe('local Pusher server: pusher:error codes', () => {
  it('refuses a client event with 4301 on its channel', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient();
    const channel = await realm.subscribe(client, 'private-tenant-1');
    const refusal = nextEvent(channel, 'pusher:error');
    channel.trigger('client-typing', {});
    expect(await refusal).toMatchObject({ code: 4301 });
    expect(client.connection.state).toBe('connected');
  });

  it('answers a frame it cannot read with a code, not null', async () => {
    realm = await Realm.start();
    const socket = await connectRawSocket(realm.server.port);
    socket.ws.send('not json');
    expect((await socket.next('pusher:error')).data).toMatchObject({ code: 4300 });
    socket.ws.close();
  });

  it.each([
    ['a malformed', '?protocol=seven', 4006],
    ['an unsupported', '?protocol=6', 4007],
    ['a missing', '', 4008],
  ])('refuses %s protocol version with %s', async (_label, query, code) => {
    realm = await Realm.start();
    const socket = openRawSocket(realm.server.port, `/app/${APP.key}${query}`);
    expect((await socket.next('pusher:error')).data).toMatchObject({ code });
    expect((await socket.closed).code).toBe(code);
  });

  it('sends 4200 before closing on shutdown, so clients reconnect at once', async () => {
    realm = await Realm.start();
    const socket = await connectRawSocket(realm.server.port);
    await realm.server.close();
    const { code } = await socket.closed;
    expect(code).toBe(4200);
    expect(socket.messages.at(-1)).toMatchObject({ event: 'pusher:error', data: { code: 4200 } });
  });

  it('sends a terminated user 4009 before closing, and pusher-js stays disconnected', async () => {
    realm = await Realm.start();
    const client = await realm.connectedClient({ userId: 'session-revoked' });
    const errors: unknown[] = [];
    onMessage(client, (message) => {
      if (message.event === 'pusher:error') errors.push(message.data);
    });
    await realm.sdk.terminateUserConnections('session-revoked');
    await connectionState(client, 'disconnected');
    expect(errors).toEqual([expect.objectContaining({ code: 4009 })]);
  });
});

import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '@/lib/realtime/local-server';
import { APP, nextEvent, onMessage, Realm, waitFor } from './harness';
import { spawnRealtimeServer } from './spawned-server';

let realm: Realm;

afterEach(async () => {
  await realm.close();
});

/**
 * Signs presence channel_data as the app's authorization route would, for data the `pusher`
 * SDK could not sign itself (it serializes `user_info`, and this one overflows its stack too).
 */
function signPresence(socketId: string, channel: string, channelData: string) {
  const signature = createHmac('sha256', APP.secret)
    .update(`${socketId}:${channel}:${channelData}`)
    .digest('hex');
  return { auth: `${APP.key}:${signature}`, channel_data: channelData };
}

describe('local Pusher server: a frame that fails to be handled', () => {
  it('refuses a validly signed user_info nested 4,500 levels deep with 4301, and the process and the other sockets live on', async () => {
    const server = await spawnRealtimeServer();
    realm = Realm.attach(server);
    const name = 'presence-tenant-1';
    const bystander = await realm.connectedClient({ presence: { user_id: 'alice' } });
    const bystanderChannel = await realm.subscribe(bystander, name);
    const bystanderSocket = bystander.connection.socket_id;

    const depth = 4_500;
    const channelData = `{"user_id":"mallory","user_info":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const attacker = await realm.connectedClient({
      authorize: ({ socketId, channelName }) => signPresence(socketId, channelName, channelData),
    });
    const error = await nextEvent(attacker.subscribe(name), 'pusher:subscription_error');
    expect(error).toMatchObject({ type: 'LimitReached', status: 4301 });

    const received = nextEvent(bystanderChannel, 'still-here');
    await realm.sdk.trigger(name, 'still-here', { n: 1 });
    expect(await received).toEqual({ n: 1 });
    expect(server.isRunning()).toBe(true);
    expect(bystander.connection.socket_id).toBe(bystanderSocket);
    // Refusing the subscription is all: the attacker's own connection stays up.
    expect(attacker.connection.state).toBe('connected');
    const { users } = (await (await realm.sdk.get({ path: `/channels/${name}/users` })).json()) as {
      users: Array<{ id: string }>;
    };
    expect(users).toEqual([{ id: 'alice' }]);
  });

  it('closes only the socket whose frame threw, with 4200, and keeps serving the others', async () => {
    const entries: LogEntry[] = [];
    realm = await Realm.start({
      // The one handler a test can make throw from outside: the caller's logger.
      logger: (entry) => {
        entries.push(entry);
        if (/client event/i.test(entry.message)) throw new Error('logger failed');
      },
    });
    const sender = await realm.connectedClient();
    const other = await realm.connectedClient();
    const senderChannel = await realm.subscribe(sender, 'private-tenant-1');
    const otherChannel = await realm.subscribe(other, 'private-tenant-1');
    const senderSocket = sender.connection.socket_id;
    const otherSocket = other.connection.socket_id;

    const failure = waitFor<unknown>('a 4200 pusher:error', (resolve) =>
      onMessage(sender, (message) => {
        const data = message.data as { code?: number } | undefined;
        if (message.event === 'pusher:error' && data?.code === 4200) resolve(data);
      }),
    );
    // 42xx tells pusher-js to reconnect at once, with a new socket.
    const reconnected = waitFor<string>('a new connection', (resolve) =>
      sender.connection.bind('connected', ({ socket_id }: { socket_id: string }) =>
        resolve(socket_id),
      ),
    );
    senderChannel.trigger('client-typing', { text: 'hi' });
    await failure;
    expect(await reconnected).not.toBe(senderSocket);
    expect(entries).toContainEqual(expect.objectContaining({ level: 'error' }));

    const received = nextEvent(otherChannel, 'still-here');
    await realm.sdk.trigger('private-tenant-1', 'still-here', {});
    await received;
    expect(other.connection.socket_id).toBe(otherSocket);
  });
});

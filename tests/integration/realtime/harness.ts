// Drives the local Pusher server only through the official `pusher` and `pusher-js`
// packages, so the tests prove compatibility with the clients production uses.
import Pusher from 'pusher';
import type { Channel, Options } from 'pusher-js';
import PusherClient from 'pusher-js';
import {
  type LocalPusherServer,
  type LocalPusherServerConfig,
  startLocalPusherServer,
} from '@/lib/realtime/local-server';

export const APP = { appId: '4242', key: 'local-test-key', secret: 'local-test-secret' } as const;

const WAIT_MS = 3_000;

/** Points the app's configuration (PUSHER_*) at a local realtime server on `port`, with the harness's app. */
export function pointAppAtRealtime(port: number) {
  Object.assign(process.env, {
    PUSHER_APP_ID: APP.appId,
    PUSHER_KEY: APP.key,
    PUSHER_SECRET: APP.secret,
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(port),
    PUSHER_USE_TLS: 'false',
  });
}

export type ChannelAuth = { auth: string; channel_data?: string };

export interface ClientOptions {
  key?: string;
  /** Signs channel authorizations; defaults to the realm's SDK (the right secret). */
  signer?: Pusher;
  /** Replaces the default signing, e.g. to replay another socket's authorization. */
  authorize?: (params: { socketId: string; channelName: string }) => ChannelAuth;
  presence?: { user_id: string; user_info?: Record<string, unknown> };
  /** Signs the connection in as this user id (the app uses session ids). */
  userId?: string;
  pusherOptions?: Partial<Options>;
}

/** Resolves with the first value `register` yields, or fails after a bounded wait. */
export function waitFor<T>(
  label: string,
  register: (resolve: (value: T) => void) => void,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${label}`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

export function nextEvent<T = unknown>(channel: Channel, event: string): Promise<T> {
  return waitFor(`${event} on ${channel.name}`, (resolve) => {
    const handler = (data: T) => {
      channel.unbind(event, handler);
      resolve(data);
    };
    channel.bind(event, handler);
  });
}

export function subscribed(channel: Channel): Promise<unknown> {
  return nextEvent(channel, 'pusher:subscription_succeeded');
}

export function connectionState(client: PusherClient, state: string): Promise<void> {
  return waitFor(`connection state ${state}`, (resolve) => {
    if (client.connection.state === state) {
      resolve();
      return;
    }
    const handler = () => {
      client.connection.unbind(state, handler);
      resolve();
    };
    client.connection.bind(state, handler);
  });
}

/** Every protocol message the client receives, internal ones included. */
export function onMessage(
  client: PusherClient,
  handler: (message: { event: string; channel?: string; data: unknown }) => void,
): void {
  client.connection.bind('message', handler);
}

export class Realm {
  readonly clients: PusherClient[] = [];

  private constructor(
    readonly server: LocalPusherServer,
    readonly sdk: Pusher,
  ) {}

  static async start(overrides: Partial<LocalPusherServerConfig> = {}): Promise<Realm> {
    const server = await startLocalPusherServer({ ...APP, port: 0, ...overrides });
    return Realm.attach(server);
  }

  /** Drives a server started elsewhere (e.g. in its own process) with the harness's app. */
  static attach(server: LocalPusherServer): Realm {
    return new Realm(server, Realm.sdkFor(server.port, APP.secret));
  }

  static sdkFor(port: number, secret: string): Pusher {
    return new Pusher({ ...APP, secret, host: '127.0.0.1', port: String(port), useTLS: false });
  }

  sdkWithSecret(secret: string): Pusher {
    return Realm.sdkFor(this.server.port, secret);
  }

  client(options: ClientOptions = {}): PusherClient {
    const signer = options.signer ?? this.sdk;
    const authorize =
      options.authorize ??
      (({ socketId, channelName }: { socketId: string; channelName: string }) =>
        signer.authorizeChannel(
          socketId,
          channelName,
          channelName.startsWith('presence-') ? options.presence : undefined,
        ));
    const { userId } = options;
    const client = new PusherClient(options.key ?? APP.key, {
      cluster: 'local',
      wsHost: '127.0.0.1',
      wsPort: this.server.port,
      wssPort: this.server.port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      channelAuthorization: {
        customHandler: (params, callback) => {
          try {
            callback(null, authorize(params));
          } catch (error) {
            callback(error instanceof Error ? error : new Error(String(error)), null);
          }
        },
      },
      userAuthentication: {
        customHandler: ({ socketId }, callback) => {
          callback(null, signer.authenticateUser(socketId, { id: userId ?? 'anonymous' }));
        },
      },
      ...options.pusherOptions,
    });
    if (userId !== undefined) client.signin();
    this.clients.push(client);
    return client;
  }

  /** A client that is connected (and signed in, if asked) before the test goes on. */
  async connectedClient(options: ClientOptions = {}): Promise<PusherClient> {
    const client = this.client(options);
    await connectionState(client, 'connected');
    if (options.userId !== undefined) await client.user.signinDonePromise;
    return client;
  }

  async subscribe(client: PusherClient, name: string): Promise<Channel> {
    const channel = client.subscribe(name);
    await subscribed(channel);
    return channel;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    await this.server.close();
  }
}

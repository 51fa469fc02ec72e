import type { Options } from 'pusher-js';
import PusherClient from 'pusher-js';

/** pusher-js as a browser uses it, pointed at the local realtime server over plain WebSocket. */
export function pusherClient(
  key: string,
  port: number,
  authorize: (socketId: string, channelName: string) => Promise<{ auth: string }>,
): PusherClient {
  const options: Options = {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    wssPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: {
      transport: 'ajax',
      endpoint: '/unused',
      customHandler: ({ socketId, channelName }, callback) => {
        authorize(socketId, channelName).then(
          (auth) => callback(null, auth),
          (error: Error) => callback(error, null),
        );
      },
    },
  };
  return new PusherClient(key, options);
}

/** Resolves once the channel is subscribed; rejects on a refused subscription. */
export function subscribe(client: PusherClient, name: string) {
  const channel = client.subscribe(name);
  return new Promise<typeof channel>((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', () => resolve(channel));
    channel.bind('pusher:subscription_error', (e: unknown) =>
      reject(new Error(`Subscription to ${name} refused: ${JSON.stringify(e)}`)),
    );
  });
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

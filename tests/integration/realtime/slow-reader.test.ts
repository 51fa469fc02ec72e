import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { Realm, waitFor } from './harness';
import { connectRawSocket } from './raw-socket';

let realm: Realm;

afterEach(async () => {
  await realm.close();
});

// The server runs in this process, so its memory is this process's: measure it after a full
// collection, so that only what is still referenced counts.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function liveBufferBytes(): Promise<number> {
  // V8 frees the memory of dead buffers after the collection, off the main thread.
  for (let i = 0; i < 3; i += 1) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().arrayBuffers;
}

const CHANNEL = 'firehose';
const EVENT_BYTES = 10 * 1024;
const BATCH = 10;
// 24 MB: far more than the 1 MiB cap plus the few megabytes the kernel's socket buffers take
// in on loopback before the server's own queue starts to grow.
const BATCHES = 240;

describe('local Pusher server: a client that stops reading', () => {
  it('is dropped once its unsent data passes the cap, while the server keeps no more of it and other readers get everything', async () => {
    realm = await Realm.start();
    const subscriptionCount = async () => {
      const response = await realm.sdk.get({
        path: `/channels/${CHANNEL}`,
        params: { info: 'subscription_count' },
      });
      return ((await response.json()) as { subscription_count?: number }).subscription_count;
    };

    const slow = await connectRawSocket(realm.server.port);
    slow.send('pusher:subscribe', { channel: CHANNEL });
    await slow.next('pusher_internal:subscription_succeeded', CHANNEL);
    // Stops reading from the socket, as a frozen tab or a stalled network would.
    slow.ws.pause();

    const reader = await realm.connectedClient();
    const readerChannel = await realm.subscribe(reader, CHANNEL);
    const total = BATCHES * BATCH;
    let received = 0;
    let onTick = () => {};
    readerChannel.bind('tick', () => {
      received += 1;
      onTick();
    });
    expect(await subscriptionCount()).toBe(2);
    const baseline = await liveBufferBytes();

    const data = 'x'.repeat(EVENT_BYTES);
    let droppedAfterBytes: number | undefined;
    for (let i = 0; i < BATCHES; i += 1) {
      await realm.sdk.triggerBatch(
        Array.from({ length: BATCH }, () => ({ channel: CHANNEL, name: 'tick', data })),
      );
      if (droppedAfterBytes === undefined && i % 10 === 9 && (await subscriptionCount()) === 1) {
        droppedAfterBytes = (i + 1) * BATCH * EVENT_BYTES;
      }
    }
    await waitFor<void>(
      `all ${total} events at the reading client`,
      (resolve) => {
        onTick = () => {
          if (received === total) resolve();
        };
        onTick();
      },
      30_000,
    );

    // Dropped within the first half of the stream: the cap, not the end of the test, ended it.
    expect(droppedAfterBytes).toBeLessThanOrEqual((BATCHES / 2) * BATCH * EVENT_BYTES);
    expect(await subscriptionCount()).toBe(1);
    expect(received).toBe(total);
    // Without the cap, the twenty-odd megabytes the slow reader never took would be held here.
    expect((await liveBufferBytes()) - baseline).toBeLessThan(2 * 1024 * 1024);

    // Once it reads again it finds its socket closed, without a close frame.
    slow.ws.resume();
    expect((await slow.closed).code).toBe(1006);
  }, 120_000);
});

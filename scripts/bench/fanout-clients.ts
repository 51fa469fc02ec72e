import Pusher from 'pusher';
import type PusherClient from 'pusher-js';
import { pusherClient, subscribe, wallNow } from './pusher-clients';

/**
 * A child process of the benchmark holding many pusher-js clients on one channel, so their work does not
 * slow the process that publishes. Reports `ready`, then, for every event, each client's latency from the
 * publisher's timestamp to its own receipt.
 */
const setting = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const FANOUT_KEY = setting('FANOUT_KEY');
const FANOUT_CHANNEL = setting('FANOUT_CHANNEL');
const port = Number(setting('FANOUT_PORT'));
const count = Number(setting('FANOUT_CLIENTS'));
const signer = new Pusher({
  appId: setting('FANOUT_APP_ID'),
  key: FANOUT_KEY,
  secret: setting('FANOUT_SECRET'),
  host: '127.0.0.1',
  port: String(port),
  useTLS: false,
});
const send = (message: unknown) => process.send?.(message);

const clients: PusherClient[] = [];
let current: { seq: number; latencies: number[]; timer: NodeJS.Timeout } | undefined;

function finish() {
  if (!current) return;
  clearTimeout(current.timer);
  send({
    type: 'event',
    seq: current.seq,
    latencies: current.latencies,
    missing: count - current.latencies.length,
  });
  current = undefined;
}

function receive(data: { seq: number; sentAt: number }) {
  const at = wallNow();
  if (current?.seq !== data.seq) return;
  current.latencies.push(at - data.sentAt);
  if (current.latencies.length === count) finish();
}

// Connect in batches: a thousand simultaneous handshakes measure the accept queue, not the broadcast.
for (let i = 0; i < count; i += 50) {
  const batch = Array.from({ length: Math.min(50, count - i) }, async () => {
    const client = pusherClient(FANOUT_KEY, port, async (socketId, channelName) =>
      signer.authorizeChannel(socketId, channelName),
    );
    clients.push(client);
    const channel = await subscribe(client, FANOUT_CHANNEL);
    channel.bind('fanout', receive);
  });
  await Promise.all(batch);
}
send({ type: 'ready' });
process.on('message', (message: { type: 'expect'; seq: number } | { type: 'stop' }) => {
  if (message.type === 'expect') {
    // The publisher announces each event before sending it, and sends the next only after this report.
    current = { seq: message.seq, latencies: [], timer: setTimeout(finish, 3_000) };
    return;
  }
  for (const client of clients) client.disconnect();
  setTimeout(() => process.exit(0), 200);
});

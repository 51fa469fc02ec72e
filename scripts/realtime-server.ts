// Runs the local Pusher-protocol server on its own: `tsx scripts/realtime-server.ts`.
import { logger } from '../lib/log';
import { startLocalPusherServer } from '../lib/realtime/local-server';

const DEFAULT_PORT = 6001;

function readRequired(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    logger().fatal(`${name} is required (PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_PORT)`);
    process.exit(1);
  }
  return value;
}

function readPort(): number {
  const raw = process.env.PUSHER_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    logger().fatal(`PUSHER_PORT must be a port number, got "${raw}"`);
    process.exit(1);
  }
  return port;
}

const appId = readRequired('PUSHER_APP_ID');
const server = await startLocalPusherServer({
  appId,
  key: readRequired('PUSHER_KEY'),
  secret: readRequired('PUSHER_SECRET'),
  port: readPort(),
  logger: ({ level, message, socketId }) => logger()[level]({ socketId }, message),
});
logger().info({ appId, url: `ws://127.0.0.1:${server.port}` }, 'local Pusher server listening');

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger().error({ err: error }, 'the local Pusher server did not close cleanly');
      process.exit(1);
    },
  );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

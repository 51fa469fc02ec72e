import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from '../db/bootstrap';
import { startLocalDatabase } from '../db/embedded';
import { logger } from '../lib/log';
import { startLocalPusherServer } from '../lib/realtime/local-server';

/**
 * Fills in what a developer's machine lacks, before the configuration module reads the environment: an
 * AUTH_SECRET kept under the data folder, an embedded PostgreSQL when DATABASE_URL is not given, and the
 * local realtime server when PUSHER_* is not.
 * Explicit settings always win.
 */
export async function prepareLocalStack(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const secretFile = join(dataDir, 'auth-secret');
  if (!process.env.AUTH_SECRET) {
    if (!existsSync(secretFile))
      writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    process.env.AUTH_SECRET = readFileSync(secretFile, 'utf8').trim();
  }

  const realtime = await startLocalRealtime(dataDir);
  if (process.env.DATABASE_URL) {
    if (process.env.DATABASE_OWNER_URL) await runMigrations(process.env.DATABASE_OWNER_URL);
    return { stop: realtime.stop, realtime, database: null };
  }
  const started = Date.now();
  const db = await startLocalDatabase(dataDir);
  process.env.DATABASE_URL = db.urls.app;
  process.env.DATABASE_PLATFORM_URL = db.urls.platform;
  process.env.DATABASE_OWNER_URL = db.urls.owner;
  process.env.DATABASE_WORKER_URL = db.urls.worker;
  logger().info(
    { ms: Date.now() - started, dataDir: `${dataDir}/postgres` },
    'embedded PostgreSQL ready',
  );
  return {
    stop: async () => void (await Promise.all([db.stop(), realtime.stop()])),
    realtime,
    database: { crash: db.crash, restart: db.restart },
  };
}

/**
 * Without PUSHER_* settings, the project's own Pusher-protocol server stands in for Pusher, with credentials
 * made up for this machine. PUSHER_PORT picks its port (default: any free one).
 */
async function startLocalRealtime(dataDir: string) {
  if (process.env.PUSHER_APP_ID) return { stop: async () => {}, restart: async () => {} };
  const credentialsFile = join(dataDir, 'realtime-credentials.json');
  if (!existsSync(credentialsFile)) {
    const credentials = {
      appId: 'local',
      key: randomBytes(10).toString('hex'),
      secret: randomBytes(24).toString('hex'),
    };
    writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as {
    appId: string;
    key: string;
    secret: string;
  };
  // LOCAL_PRESENCE_LIMIT lowers hosted Pusher's 100-member presence limit, to try the board's fallback.
  const maxPresenceMembers = Number(process.env.LOCAL_PRESENCE_LIMIT ?? 100);
  let server = await startLocalPusherServer({
    ...credentials,
    port: Number(process.env.PUSHER_PORT ?? 0),
    maxPresenceMembers,
  });
  const port = server.port;
  Object.assign(process.env, {
    PUSHER_APP_ID: credentials.appId,
    PUSHER_KEY: credentials.key,
    PUSHER_SECRET: credentials.secret,
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(port),
    PUSHER_USE_TLS: 'false',
  });
  logger().info({ url: `ws://127.0.0.1:${port}` }, 'local realtime server (Pusher protocol) ready');
  let running = true;
  return {
    stop: async () => {
      if (running) await server.close();
      running = false;
    },
    // The end-to-end tests take the realtime server away and bring it back on the same address.
    restart: async () => {
      if (running) return;
      server = await startLocalPusherServer({ ...credentials, port, maxPresenceMembers });
      running = true;
    },
  };
}

export function stopOnSignals(stop: () => Promise<void>) {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger().info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger().error({ err: error }, 'the shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

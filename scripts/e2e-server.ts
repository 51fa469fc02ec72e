import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { logger } from '../lib/log';
import { E2E_METRICS_TOKEN } from './e2e-settings';
import { prepareLocalStack, stopOnSignals } from './local-stack';
import { startServer } from './serve';
import { startWorkerProcess } from './worker-process';

/**
 * The server Playwright starts: the production build on its own port, with a fresh embedded database in its
 * own data folder, so end-to-end runs never touch a developer's data.
 */
const port = process.env.E2E_PORT ?? '3100';
const dataDir = resolve(`.data/server-${port}`);
rmSync(dataDir, { recursive: true, force: true });
Object.assign(process.env, {
  NODE_ENV: 'production',
  PORT: port,
  APP_URL: `http://localhost:${port}`,
  // The benchmark restarts its app server with other settings, and keeps its signed-in session across.
  AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? randomBytes(32).toString('base64url'),
  // Every test and benchmark signs up from 127.0.0.1; the limit itself is covered by integration tests.
  SIGNUPS_PER_HOUR_PER_IP: '10000',
  // Mail goes to the database so the tests can read it in the development mailbox, which production
  // refuses without the explicit test-only switch.
  MAIL_CAPTURE: 'database',
  ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1',
  // Playwright prints the server's output: an access line per request would bury the test report.
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // That mailbox shows every reset link: keep it off the network (the benchmark runs this server too).
  LISTEN_HOST: '127.0.0.1,::1',
  // The observability spec scrapes /api/metrics with it (tests/e2e/helpers.ts).
  METRICS_TOKEN: E2E_METRICS_TOKEN,
});
const stack = await prepareLocalStack(dataDir);
let app: Awaited<ReturnType<typeof startServer>> | undefined;
// Delivers the mail the tests read in the development mailbox, as it would beside a real deployment.
const worker = startWorkerProcess();
stopOnSignals(async () => {
  await app?.stop();
  await worker.stop();
  await stack.stop();
});
app = await startServer({ dev: false });
startControlServer(Number(port) + 1);
logger().info({ url: `http://localhost:${port}` }, 'E2E server ready');

/**
 * Test-only controls on loopback, beside (not inside) the app: the realtime test stops the realtime server
 * to prove that writes still succeed and other browsers catch up once it is back; the database outage test
 * crashes PostgreSQL under a write load and starts it again.
 */
function startControlServer(controlPort: number) {
  const noEmbeddedDatabase = () =>
    Promise.reject(new Error('DATABASE_URL is set: no embedded server.'));
  const actions: Record<string, () => Promise<void>> = {
    '/realtime/stop': stack.realtime.stop,
    '/realtime/start': stack.realtime.restart,
    '/database/stop': stack.database?.crash ?? noEmbeddedDatabase,
    '/database/start': stack.database?.restart ?? noEmbeddedDatabase,
  };
  createServer((req, res) => {
    const action = req.method === 'POST' ? actions[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  }).listen(controlPort, '127.0.0.1');
}

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepareLocalStack, stopOnSignals } from './local-stack';
import { startServer } from './serve';

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
  AUTH_SECRET: randomBytes(32).toString('base64url'),
  // Every test and benchmark signs up from 127.0.0.1; the limit itself is covered by integration tests.
  SIGNUPS_PER_HOUR_PER_IP: '10000',
  // Mail goes to the database so the tests can read it in the development mailbox.
  MAIL_CAPTURE: 'database',
});
const db = await prepareLocalStack(dataDir);
let app: Awaited<ReturnType<typeof startServer>> | undefined;
stopOnSignals(async () => {
  await app?.stop();
  await db.stop();
});
app = await startServer({ dev: false });
console.log(`E2E server ready on http://localhost:${port}`);

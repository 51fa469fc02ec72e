import { resolve } from 'node:path';
import { ConfigError, getEnv } from '../lib/config/env';
import { logger } from '../lib/log';
import { prepareLocalStack, stopOnSignals } from './local-stack';
import { startServer } from './serve';
import { startWorkerProcess } from './worker-process';

/**
 * `npm run dev`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, the worker, then Next.js in dev
 * mode.
 */
try {
  const db = await prepareLocalStack(resolve('.data'));
  let app: Awaited<ReturnType<typeof startServer>> | undefined;
  const worker = startWorkerProcess();
  stopOnSignals(async () => {
    await app?.stop();
    await worker.stop();
    await db.stop();
  });
  app = await startServer({ dev: true });
  const { protocol, rootDomain, listenHosts } = getEnv();
  logger().info(
    {
      url: `${protocol}//${rootDomain}`,
      organizations: `${protocol}//<slug>.${rootDomain}`,
      listening: listenHosts ?? 'every interface (LISTEN_HOST changes it)',
    },
    'Tenantry is running',
  );
} catch (error) {
  if (error instanceof ConfigError)
    logger().fatal({ problems: error.problems }, 'Invalid configuration');
  else logger().fatal({ err: error }, 'Tenantry could not start');
  process.exit(1);
}

import { resolve } from 'node:path';
import { ConfigError, getEnv } from '../lib/config/env';
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
  console.log(
    `\nTenantry is running at ${protocol}//${rootDomain}  (organizations at ${protocol}//<slug>.${rootDomain})`,
  );
  console.log(
    `Listening on ${listenHosts?.join(' and ') ?? 'every interface'} (LISTEN_HOST changes it).\n`,
  );
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

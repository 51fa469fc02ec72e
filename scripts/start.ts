import { ConfigError } from '../lib/config/env';
import { logger } from '../lib/log';
import { startServer } from './serve';

/** Production: every setting comes from the environment (see README); run `npm run build` first. */
try {
  const app = await startServer({ dev: false });
  // SIGTERM (an orchestrator's stop) drains requests in flight before the pools close; a second signal
  // ends the process at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      logger().info({ signal }, 'shutting down');
      void app.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger().error({ err: error }, 'the shutdown failed');
          process.exit(1);
        },
      );
    });
  logger().info('Tenantry is ready.');
} catch (error) {
  if (error instanceof ConfigError)
    logger().fatal({ problems: error.problems }, 'Invalid configuration');
  else logger().fatal({ err: error }, 'Tenantry could not start');
  process.exit(1);
}

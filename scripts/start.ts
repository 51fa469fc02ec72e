import { ConfigError } from '../lib/config/env';
import { startServer } from './serve';

/** Production: every setting comes from the environment (see README); run `npm run build` first. */
try {
  const app = await startServer({ dev: false });
  // The server closes before the process exits.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void app.stop().finally(() => process.exit(0)));
  console.log('Tenantry is ready.');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

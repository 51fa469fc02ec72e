import { ConfigError } from '../lib/config/env';
import { stopOnSignals } from './local-stack';
import { startServer } from './serve';

/** Production: every setting comes from the environment (see README); run `npm run build` first. */
try {
  const app = await startServer({ dev: false });
  stopOnSignals(app.stop);
  console.log('Tenantry is ready.');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

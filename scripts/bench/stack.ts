import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type LocalDatabase, startLocalDatabase } from '../../db/embedded';
import { startPgBouncer } from '../pgbouncer';
import { SERVER_BUNDLE_DIR } from '../server-bundle';
import {
  type CpuGroup,
  type CpuSnapshot,
  inGroup,
  type Memory,
  serverMemory,
  serverProcess,
  snapshotCpu,
  withChildren,
} from './cpu';

/**
 * What the benchmark runs against, all on ports 3250–3299: its own embedded PostgreSQL (fresh each run), the
 * local realtime server in a process of its own (as Pusher or Soketi would be), and the production build served
 * as `npm start` serves it, with the worker beside it as `npm run worker` runs it.
 */
export const PORTS = {
  app: 3250,
  realtime: 3252,
  database: 3253,
  /** More app servers, for the board read with other database settings (startExtraApp). */
  extraApps: [3254, 3256],
  pooler: 3258,
  /** The bare Next.js reference app (scripts/bench/bare.ts). */
  bare: 3260,
} as const;

export type Stack = {
  db: LocalDatabase;
  /** The app's AUTH_SECRET: what this process seals mail with must open in the app's worker. */
  authSecret: string;
  /** The bootstrap superuser: seeding and the no-RLS baselines only, never a measured app path. */
  superuserUrl: string;
  realtime: { appId: string; key: string; secret: string; port: number };
  /** CPU time so far of the app server, PostgreSQL, the realtime server and this process (ms). */
  cpu(): CpuSnapshot;
  /** Counts another process group's CPU time under `name` (the bare reference app). */
  trackCpu(name: string, group: CpuGroup): void;
  /** Resident memory of the main app server now, with its GC probe's breakdown. */
  appMemory(): Promise<Memory>;
  /** Resident memory of the main app server now (MB), read from /proc alone. */
  appRssMb(): number;
  /** When the app server's major garbage collections so far started (epoch ms). */
  majorCollectionStarts(): number[];
  /** Starts the app server again with `env` added (same database, same sign-in secret, so sessions hold). */
  restartApp(env: Record<string, string>): Promise<void>;
  /**
   * One more app server on `port`, with `env` added, beside the main one (same database and secret); its CPU
   * time counts as the app's.
   */
  startExtraApp(port: number, env: Record<string, string>): Promise<void>;
  /** Stops the extra app servers (and the worker each runs beside it), so later figures have one of each. */
  stopExtraApps(): Promise<void>;
  /**
   * PgBouncer in transaction mode in front of the database, on PORTS.pooler; its CPU time is reported as
   * `pooler`. Returns the runtime and platform roles' URLs through it.
   */
  startPooler(poolSize: number): Promise<{ appUrl: string; platformUrl: string }>;
  stop(): Promise<void>;
};

const TSX = resolve('node_modules/.bin/tsx');

/**
 * The root domain the app is served on in the bench, as in a deployment: a registrable domain (example.com,
 * reserved for documentation), so that an organization's subdomain is the same site as the root in the
 * browser, as acme.example.com is to example.com. Chromium makes each `*.localhost` host a site of its own,
 * and the move from sign-up to the new dashboard then starts a renderer process (about 250 ms of the sign-up
 * here). Every request still goes to 127.0.0.1: the load generators send the name as Host, and Chromium maps
 * it (scripts/bench/browser.ts).
 */
export const BENCH_DOMAIN = 'example.com';
export const rootUrl = (port: number) => `http://${BENCH_DOMAIN}:${port}`;
export const tenantHost = (slug: string, port: number) => `${slug}.${BENCH_DOMAIN}:${port}`;

/**
 * The app server runs with the Node flags `npm start` gives it in production (package.json): young-generation
 * semi-spaces of 64 MB instead of 16. Under load the default size was collected about 20 times a second, so
 * the objects of requests still in flight were copied at nearly every collection, and promoted. A/B at 32
 * concurrent, three runs each, board and static route interleaved: about 1,000 minor collections of ~5 ms
 * became ~270 of ~13 ms, and the board's p99 went from 1.48, 2.01, 2.03× the static route's to 1.22, 1.30,
 * 1.47×. The cost is up to ~100 MB more memory.
 */
export const APP_NODE_FLAGS = ['--max-semi-space-size=64'];
/** Records the app server's major collections for the report (scripts/bench/gc-probe.cjs). */
export const GC_PROBE = ['--require', resolve('scripts/bench/gc-probe.cjs')];

/**
 * The compiled processes `npm run build` writes (scripts/build-server.ts), run as `npm start` and `npm run
 * worker` run them: the app server measured is the one production runs, without the end-to-end server's
 * embedded-database and local-realtime modules (3.4 MB of heap) or a worker in its process group.
 */
const APP_SERVER = join(SERVER_BUNDLE_DIR, 'start.mjs');
const WORKER = join(SERVER_BUNDLE_DIR, 'worker.mjs');

/** A script from source through tsx, or a compiled one (`.mjs`) with plain Node. */
function startChild(
  script: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): ChildProcess {
  const command = script.endsWith('.mjs') ? process.execPath : TSX;
  return spawn(command, [...nodeFlags, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
}

/** Waits until `url` answers 2xx; refuses once `child` has exited, or after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  label: string,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited before it was ready.`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${label} did not become ready within ${timeoutMs / 1000} s.`);
}

/** SIGTERM to the child's whole process group; waits for its exit, at most 5 s. */
export function stopChild(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, 'SIGTERM');
  return Promise.race([exited, new Promise<void>((r) => setTimeout(r, 5_000))]);
}

export async function startStack(): Promise<Stack> {
  const dataDir = resolve(`.data/bench-${PORTS.app}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const secret = () => randomBytes(24).toString('hex');
  const secrets = {
    port: PORTS.database,
    superuser: secret(),
    owner: secret(),
    app: secret(),
    platform: secret(),
    worker: secret(),
  };
  // startLocalDatabase keeps a fixed port from this file; left to itself it picks any free port.
  writeFileSync(join(dataDir, 'postgres-secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  const db = await startLocalDatabase(dataDir);
  const gcLog = join(dataDir, 'app-major-gc.log');
  const superuserUrl = `postgres://postgres:${secrets.superuser}@127.0.0.1:${PORTS.database}/tenantry`;

  const realtime = {
    appId: 'bench',
    key: secret().slice(0, 20),
    secret: secret(),
    port: PORTS.realtime,
  };
  const pusherEnv = {
    PUSHER_APP_ID: realtime.appId,
    PUSHER_KEY: realtime.key,
    PUSHER_SECRET: realtime.secret,
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(realtime.port),
    PUSHER_USE_TLS: 'false',
  };
  const authSecret = randomBytes(32).toString('base64url');
  /** Production settings, as a deployment would give them; PORT and APP_URL are set per app server. */
  const appEnv = {
    ...pusherEnv,
    NODE_ENV: 'production',
    // The benchmark restarts its app server with other settings, and keeps its signed-in session across.
    AUTH_SECRET: authSecret,
    DATABASE_URL: db.urls.app,
    DATABASE_PLATFORM_URL: db.urls.platform,
    DATABASE_WORKER_URL: db.urls.worker,
    // Every sign-up comes from 127.0.0.1.
    SIGNUPS_PER_HOUR_PER_IP: '100000',
    // The measured mail is kept in the database (the development mailbox), not sent: a test deployment.
    MAIL_CAPTURE: 'database',
    ALLOW_TEST_MAILBOX_IN_PRODUCTION: '1',
    // An access line per request would cost the app server what no other server here pays.
    LOG_LEVEL: 'warn',
    LISTEN_HOST: '127.0.0.1,::1',
    BENCH_GC_LOG: gcLog,
  };
  const children: ChildProcess[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  /** Starts an app server; `place` puts it in `children` before it is ready, so a failed start is stopped too. */
  const startAppOn = async (
    port: number,
    extra: Record<string, string>,
    place: (child: ChildProcess) => void,
  ) => {
    const child = startChild(
      APP_SERVER,
      { ...appEnv, PORT: String(port), APP_URL: rootUrl(port), ...extra },
      [...APP_NODE_FLAGS, ...GC_PROBE],
    );
    place(child);
    await waitForHttp(`http://localhost:${port}/api/health`, child, `The app server on ${port}`);
    return child;
  };
  const startApp = (extra: Record<string, string>) =>
    startAppOn(PORTS.app, extra, (child) => {
      children[1] = child;
    });
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    for (const stopOne of stoppers) await stopOne();
    await db.stop();
  };
  try {
    children.push(startChild('scripts/realtime-server.ts', pusherEnv));
    await waitForHttp(`http://127.0.0.1:${realtime.port}/`, children[0]!, 'The realtime server');
    await startApp({});
    // Delivers the measured mail jobs, beside the app servers as in production (`npm run worker`).
    children.push(startChild(WORKER, { ...appEnv, APP_URL: rootUrl(PORTS.app) }));
  } catch (error) {
    await stop();
    throw error;
  }
  const postmaster = Number(
    readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  // Every app server's process group counts as `app`: only the one being measured is busy.
  const appGroups = new Set([children[1]!.pid!]);
  const groups: Record<string, CpuGroup> = {
    app: { member: (s) => appGroups.has(s.pgrp) },
    db: withChildren(postmaster),
    realtime: inGroup(children[0]!.pid!),
    worker: inGroup(children[2]!.pid!),
  };
  const restartApp = async (env: Record<string, string>) => {
    appGroups.delete(children[1]!.pid!);
    await stopChild(children[1]!);
    appGroups.add((await startApp(env)).pid!);
  };
  const extraApps: ChildProcess[] = [];
  const startExtraApp = async (port: number, env: Record<string, string>) => {
    const gcFile = join(dataDir, `app-${port}-major-gc.log`);
    const child = await startAppOn(port, { BENCH_GC_LOG: gcFile, ...env }, (c) => {
      children.push(c);
      extraApps.push(c);
    });
    appGroups.add(child.pid!);
  };
  const stopExtraApps = async () => {
    await Promise.all(extraApps.map(stopChild));
    for (const child of extraApps.splice(0)) appGroups.delete(child.pid!);
  };
  const startPooler = async (poolSize: number) => {
    const pooler = await startPgBouncer({
      dir: join(dataDir, 'pgbouncer'),
      roleUrls: [db.urls.app, db.urls.platform],
      port: PORTS.pooler,
      poolSize,
    });
    stoppers.push(pooler.stop);
    groups.pooler = inGroup(pooler.pid);
    return { appUrl: pooler.pooled(db.urls.app), platformUrl: pooler.pooled(db.urls.platform) };
  };
  const majorCollectionStarts = () =>
    existsSync(gcLog)
      ? readFileSync(gcLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => Number(line.split(' ')[0]))
      : [];
  return {
    db,
    authSecret,
    superuserUrl,
    realtime,
    cpu: () => snapshotCpu(groups),
    trackCpu: (name, group) => {
      groups[name] = group;
    },
    appMemory: () => serverMemory(inGroup(children[1]!.pid!), APP_SERVER, gcLog),
    appRssMb: () => serverProcess(inGroup(children[1]!.pid!), APP_SERVER).rssMb,
    majorCollectionStarts,
    restartApp,
    startExtraApp,
    stopExtraApps,
    startPooler,
    stop,
  };
}

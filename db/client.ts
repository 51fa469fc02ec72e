import 'server-only';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

/**
 * The database layer stands alone: the web server, the worker and the tests hand it their URLs once at
 * start-up (`configureDatabase`), and it reads no module of lib/ and no environment variable.
 */

/** The few lines this layer logs; pino's logger satisfies it, and so does a test's spy. */
export type DatabaseLogger = {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
};

export type DatabaseConfig = {
  /** The runtime role: NOSUPERUSER NOBYPASSRLS, owns nothing. */
  appUrl: string;
  /** The platform role, for the audited cross-tenant path. */
  platformUrl: string;
  /** The worker role, for the worker's cross-tenant clean-ups; only the worker process sets it. */
  workerUrl?: string;
  poolSize: number;
  /**
   * Named prepared statements, parsed and planned once per connection. Off behind PgBouncer before 1.21 in
   * transaction mode, which cannot carry them from one server connection to the next.
   */
  prepare: boolean;
  logger?: DatabaseLogger;
  /** Told of each connection a transaction takes and gives back, and of each failed transaction: metrics and availability. */
  observer?: DatabaseObserver;
};

export type DatabaseObserver = {
  acquired?(waitMs: number): void;
  released?(): void;
  failed?(error: unknown): void;
};

const silent: DatabaseLogger = { info: () => {}, warn: () => {} };

// Kept on globalThis: Next.js bundles this module more than once into one server process, and the custom
// server that configures it is yet another copy. Pools likewise, so dev hot reloads do not leak connections.
const state = globalThis as unknown as {
  __tenantryDatabaseConfig?: DatabaseConfig;
  __tenantryApp?: ReturnType<typeof connect>;
  __tenantryPlatform?: ReturnType<typeof connect>;
  __tenantryDetached?: ReturnType<typeof connect>;
  __tenantryWorker?: ReturnType<typeof connect>;
};

/** Sets the URLs and options every pool of this process is opened with; call it before any query. */
export function configureDatabase(config: DatabaseConfig) {
  state.__tenantryDatabaseConfig = config;
}

export function databaseConfig(): DatabaseConfig {
  const config = state.__tenantryDatabaseConfig;
  if (!config)
    throw new Error('The database is not configured: call configureDatabase() at start-up.');
  return config;
}

export const databaseLogger = (): DatabaseLogger =>
  state.__tenantryDatabaseConfig?.logger ?? silent;

/**
 * Statements are prepared once per connection (db/transaction.ts) and, with `plan_cache_mode`, planned once
 * too: migrations set it on the runtime roles (`ALTER ROLE ... SET`), not as a start-up parameter here,
 * which PgBouncer would refuse. Left to choose, PostgreSQL keeps re-planning the board read for every
 * execution (its generic plan looks costlier on paper), and planning the RLS-expanded joins costs as much
 * as running them. Every statement of the app is keyed by tenant and id, where one plan fits all tenants;
 * the policies' current_setting() is evaluated when the statement runs, so a shared plan stays correct.
 */
function connect(url: string, max: number) {
  const sql = postgres(url, {
    max,
    prepare: databaseConfig().prepare,
    idle_timeout: 30,
    // Fail fast: a request waits at most this long for a new connection before it answers 503.
    connect_timeout: 2,
    onnotice: () => {},
  });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>['db'];
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The runtime role. Only `withTenant` should use it. */
export function appConnection() {
  const config = databaseConfig();
  state.__tenantryApp ??= connect(config.appUrl, config.poolSize);
  return state.__tenantryApp;
}

/** The platform role: reaches the few cross-tenant rows through policies written TO it. */
export function platformConnection() {
  const config = databaseConfig();
  state.__tenantryPlatform ??= connect(
    config.platformUrl,
    Math.max(2, Math.ceil(config.poolSize / 4)),
  );
  return state.__tenantryPlatform;
}

/**
 * The runtime role again, on a small pool of its own, for the few writes that must commit whatever becomes of
 * the transaction their caller is in (the audit event of a wrong password typed inside an action, which the
 * action then rolls back). A transaction of the main pool may wait for this pool, and nothing here ever waits
 * for the main pool: taking a second main connection instead would hang every request of the process once
 * each main connection is held by a caller waiting for another.
 */
export function detachedConnection() {
  state.__tenantryDetached ??= connect(databaseConfig().appUrl, 2);
  return state.__tenantryDetached;
}

/** The worker role: reaches only the dead rows that policies written TO it show (db/schema/retention.ts). */
export function workerConnection() {
  const { workerUrl } = databaseConfig();
  if (!workerUrl)
    throw new Error('The database is not configured with the worker role (workerUrl).');
  state.__tenantryWorker ??= connect(workerUrl, 2);
  return state.__tenantryWorker;
}

/** Closes every pool of this process (graceful shutdown): in-flight queries finish first. */
export async function closeDatabase(timeoutSeconds = 5) {
  const pools = [
    state.__tenantryApp,
    state.__tenantryPlatform,
    state.__tenantryDetached,
    state.__tenantryWorker,
  ];
  state.__tenantryApp = state.__tenantryPlatform = state.__tenantryDetached = undefined;
  state.__tenantryWorker = undefined;
  await Promise.all(pools.map((pool) => pool?.sql.end({ timeout: timeoutSeconds })));
}

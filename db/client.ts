import 'server-only';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { getEnv } from '@/lib/config/env';
import * as schema from './schema';

function connect(url: string, max: number) {
  const sql = postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: {
      // Statements are prepared once per connection (db/transaction.ts) and, with this, planned once too.
      // Left to choose, PostgreSQL keeps re-planning the board read for every execution (its generic plan
      // looks costlier on paper), and planning the RLS-expanded joins costs as much as running them.
      // Every statement of the app is keyed by tenant and id, where one plan fits all tenants; the policies'
      // current_setting() is evaluated when the statement runs, so a shared plan stays correct.
      plan_cache_mode: 'force_generic_plan',
    },
  });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>['db'];
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

// One pool per role and process, kept on globalThis so dev hot reloads do not leak connections.
const pools = globalThis as unknown as {
  __tenantryApp?: ReturnType<typeof connect>;
  __tenantryPlatform?: ReturnType<typeof connect>;
  __tenantryDetached?: ReturnType<typeof connect>;
};

/** The runtime role: NOSUPERUSER NOBYPASSRLS, owns nothing. Only `withTenant` should use it. */
export function appConnection() {
  const env = getEnv();
  pools.__tenantryApp ??= connect(env.databaseUrl, env.databasePoolSize);
  return pools.__tenantryApp;
}

/** The platform role: reaches the few cross-tenant rows through policies written TO it. */
export function platformConnection() {
  const env = getEnv();
  pools.__tenantryPlatform ??= connect(
    env.databasePlatformUrl,
    Math.max(2, Math.ceil(env.databasePoolSize / 4)),
  );
  return pools.__tenantryPlatform;
}

/**
 * The runtime role again, on a small pool of its own, for the few writes that must commit whatever becomes of
 * the transaction their caller is in (the audit event of a wrong password typed inside an action, which the
 * action then rolls back). A transaction of the main pool may wait for this pool, and nothing here ever waits
 * for the main pool: taking a second main connection instead would hang every request of the process once
 * each main connection is held by a caller waiting for another.
 */
export function detachedConnection() {
  const env = getEnv();
  pools.__tenantryDetached ??= connect(env.databaseUrl, 2);
  return pools.__tenantryDetached;
}

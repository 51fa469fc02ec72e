import 'server-only';
import type { SQL } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Transaction } from './client';
import { appConnection, detachedConnection } from './client';
import { runStatement, runTransaction } from './transaction';

export type TenantContext = { tenantId: string; userId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkContext(ctx: TenantContext) {
  if (!UUID.test(ctx.tenantId)) throw new Error('withTenant: tenantId must be a UUID');
  if (ctx.userId !== null && !UUID.test(ctx.userId))
    throw new Error('withTenant: userId must be a UUID or null');
}

const setContext = (ctx: TenantContext) => (sql: postgres.ReservedSql) =>
  sql`select set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.user_id', ${ctx.userId ?? ''}, true)`;

/**
 * The one door to tenant data. Runs `fn` in a transaction whose `app.tenant_id` / `app.user_id` are set
 * transaction-locally (`set_config(..., true)`), so Row-Level Security confines every statement to the tenant
 * and the setting dies with the transaction instead of leaking to the next user of the pooled connection.
 * The settings travel in the same write as BEGIN and fn's first statement and run before it (see
 * `runTransaction`): one round trip instead of three.
 */
export async function withTenant<T>(
  ctx: TenantContext,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  checkContext(ctx);
  return runTransaction(appConnection().sql, setContext(ctx), fn);
}

/**
 * `withTenant` apart from the caller's transaction (see `detachedConnection`): what `fn` writes commits even
 * when the transaction the caller is in rolls back. For records of a refusal made inside a write that fails.
 */
export async function withDetachedTenant<T>(
  ctx: TenantContext,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  checkContext(ctx);
  return runTransaction(detachedConnection().sql, setContext(ctx), fn);
}

/**
 * `withTenant` for a single statement, in one round trip with its BEGIN and COMMIT (see `runStatement`):
 * the same transaction-local context, the same RLS.
 */
export async function queryWithTenant<R>(ctx: TenantContext, statement: SQL): Promise<R[]> {
  checkContext(ctx);
  return runStatement<R>(appConnection().sql, setContext(ctx), statement);
}

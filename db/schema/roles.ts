import { sql } from 'drizzle-orm';
import { type AnyPgColumn, pgPolicy, pgRole } from 'drizzle-orm/pg-core';

/**
 * Roles belong to the server, not to this database: `db/bootstrap.ts` creates them (with passwords that
 * never appear in SQL files) before migrations run, so the schema only names them.
 */
export const appRole = pgRole('tenantry_app').existing();
export const platformRole = pgRole('tenantry_platform').existing();
export const workerRole = pgRole('tenantry_worker').existing();

// Scalar subqueries, so PostgreSQL evaluates the setting once per statement rather than once per row.
export const currentTenantId = sql`(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
export const currentUserId = sql`(select nullif(current_setting('app.user_id', true), '')::uuid)`;

/**
 * The platform role writes into a tenant only in the transaction that created it (sign-up): `now()` is the
 * transaction's start time, which is what `tenants.created_at` defaults to. So even the platform role cannot
 * plant a membership or a sign-in token in an existing organization.
 */
export const tenantCreatedInThisTransaction = (tenantIdColumn: AnyPgColumn) =>
  sql`exists (select 1 from tenants t where t.id = ${tenantIdColumn} and t.created_at = now())`;

/** The policy every tenant-owned table has: the runtime role reaches only the current tenant's rows. */
export const tenantIsolationPolicy = (table: string, tenantIdColumn: AnyPgColumn) =>
  pgPolicy(`${table}_tenant_isolation`, {
    for: 'all',
    to: appRole,
    using: sql`${tenantIdColumn} = ${currentTenantId}`,
    withCheck: sql`${tenantIdColumn} = ${currentTenantId}`,
  });

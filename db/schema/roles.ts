import { sql } from 'drizzle-orm';
import { pgRole } from 'drizzle-orm/pg-core';

/**
 * Roles belong to the server, not to this database: `db/bootstrap.ts` creates them (with passwords that
 * never appear in SQL files) before migrations run, so the schema only names them.
 */
export const appRole = pgRole('tenantry_app').existing();
export const platformRole = pgRole('tenantry_platform').existing();

// Scalar subqueries, so PostgreSQL evaluates the setting once per statement rather than once per row.
export const currentTenantId = sql`(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
export const currentUserId = sql`(select nullif(current_setting('app.user_id', true), '')::uuid)`;

import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  date,
  foreignKey,
  index,
  pgPolicy,
  pgTable,
  primaryKey,
} from 'drizzle-orm/pg-core';
import { tenantId } from './columns';
import { appRole, currentTenantId, platformRole } from './roles';
import { tenants } from './tenants';

/**
 * What each organization used, per UTC day: requests served on its host, writes (committed tenant
 * actions) and realtime events they sent. Per-tenant figures would be one time series per tenant as
 * metric labels; here they are rows, which each app process adds to every few seconds
 * (lib/observability/tenant-usage.ts) and /api/metrics reads the top of.
 *
 * The platform role counts for every tenant, so it inserts and adds to rows of any tenant, but only of
 * today (yesterday too, for counts made just before midnight; tomorrow, for a clock a little ahead): it
 * cannot rewrite history.
 */
const recentDay = (day: AnyPgColumn) =>
  sql`${day} between (now() at time zone 'utc')::date - 1 and (now() at time zone 'utc')::date + 1`;

export const tenantUsageDaily = pgTable(
  'tenant_usage_daily',
  {
    tenantId: tenantId(),
    day: date('day').notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    writes: bigint('writes', { mode: 'number' }).notNull().default(0),
    realtimeEvents: bigint('realtime_events', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // The report reads one day across tenants.
    index('tenant_usage_daily_day_idx').on(t.day),
    // Nothing of a tenant reads its usage yet (no grant): when a page does, it sees its own rows only.
    pgPolicy('tenant_usage_daily_tenant_read', {
      for: 'select',
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
    }),
    pgPolicy('tenant_usage_daily_platform_read', {
      for: 'select',
      to: platformRole,
      using: sql`true`,
    }),
    pgPolicy('tenant_usage_daily_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: recentDay(t.day),
    }),
    pgPolicy('tenant_usage_daily_platform_update', {
      for: 'update',
      to: platformRole,
      using: recentDay(t.day),
      withCheck: recentDay(t.day),
    }),
  ],
).enableRLS();

-- Per-tenant usage counters (db/schema/tenant-usage.ts): forced RLS like every table.
ALTER TABLE "tenant_usage_daily" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Each app process adds its counts in one upsert as the platform role (reason 'usage-counters'), and
-- /api/metrics reads today's top tenants (reason 'usage-report'). The upsert reads the existing counts it
-- adds to, hence SELECT; it never changes a row's tenant or day, and nothing deletes (tenants cascade).
GRANT SELECT, INSERT ON "tenant_usage_daily" TO "tenantry_platform";--> statement-breakpoint
GRANT UPDATE ("requests", "writes", "realtime_events") ON "tenant_usage_daily" TO "tenantry_platform";

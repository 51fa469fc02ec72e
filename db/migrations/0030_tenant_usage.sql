CREATE TABLE "tenant_usage_daily" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"writes" bigint DEFAULT 0 NOT NULL,
	"realtime_events" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "tenant_usage_daily_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "tenant_usage_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_usage_daily" ADD CONSTRAINT "tenant_usage_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tenant_usage_daily_day_idx" ON "tenant_usage_daily" USING btree ("day");--> statement-breakpoint
CREATE POLICY "tenant_usage_daily_tenant_read" ON "tenant_usage_daily" AS PERMISSIVE FOR SELECT TO "tenantry_app" USING ("tenant_usage_daily"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_usage_daily_platform_read" ON "tenant_usage_daily" AS PERMISSIVE FOR SELECT TO "tenantry_platform" USING (true);--> statement-breakpoint
CREATE POLICY "tenant_usage_daily_platform_insert" ON "tenant_usage_daily" AS PERMISSIVE FOR INSERT TO "tenantry_platform" WITH CHECK ("tenant_usage_daily"."day" between (now() at time zone 'utc')::date - 1 and (now() at time zone 'utc')::date + 1);--> statement-breakpoint
CREATE POLICY "tenant_usage_daily_platform_update" ON "tenant_usage_daily" AS PERMISSIVE FOR UPDATE TO "tenantry_platform" USING ("tenant_usage_daily"."day" between (now() at time zone 'utc')::date - 1 and (now() at time zone 'utc')::date + 1) WITH CHECK ("tenant_usage_daily"."day" between (now() at time zone 'utc')::date - 1 and (now() at time zone 'utc')::date + 1);
CREATE TABLE "tenant_revisions" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_revisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_revisions_tenant_read" ON "tenant_revisions" AS PERMISSIVE FOR SELECT TO "tenantry_app" USING ("tenant_revisions"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid) or "tenant_revisions"."tenant_id" = '00000000-0000-0000-0000-000000000000'::uuid);
CREATE TABLE "tenant_logos" (
	"tenant_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_logos_tenant_id_pk" PRIMARY KEY("tenant_id"),
	CONSTRAINT "tenant_logos_content_type_valid" CHECK ("tenant_logos"."content_type" in ('image/png', 'image/jpeg', 'image/webp')),
	CONSTRAINT "tenant_logos_size_valid" CHECK (octet_length("tenant_logos"."bytes") between 1 and 262144)
);
--> statement-breakpoint
ALTER TABLE "tenant_logos" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_slug_redirects" (
	"slug" text NOT NULL,
	"target_tenant_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_slug_redirects_slug_pk" PRIMARY KEY("slug"),
	CONSTRAINT "tenant_slug_redirects_slug_lowercase" CHECK ("tenant_slug_redirects"."slug" = lower("tenant_slug_redirects"."slug"))
);
--> statement-breakpoint
ALTER TABLE "tenant_slug_redirects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_status_valid";--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_status_valid";--> statement-breakpoint
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_tenant_id_tenants_id_fk";
--> statement-breakpoint
DROP INDEX "audit_events_tenant_created_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_type" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "before" jsonb;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "after" jsonb;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "accent_color" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "default_role" text DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "allowed_email_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "session_idle_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "audit_retention_days" integer DEFAULT 365;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "logo_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_logos" ADD CONSTRAINT "tenant_logos_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_slug_redirects" ADD CONSTRAINT "tenant_slug_redirects_target_tenant_id_tenants_id_fk" FOREIGN KEY ("target_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tenant_slug_redirects_target_idx" ON "tenant_slug_redirects" USING btree ("target_tenant_id");--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_tenant_action_idx" ON "audit_events" USING btree ("tenant_id","action","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_actor_idx" ON "audit_events" USING btree ("tenant_id","actor_user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_target_idx" ON "audit_events" USING btree ("tenant_id","target_type","target_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_created_idx" ON "audit_events" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_type_valid" CHECK ("audit_events"."actor_type" in ('user', 'api_key', 'operator', 'system'));--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_status_valid" CHECK ("memberships"."status" in ('active', 'deactivated', 'removed'));--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_accent_color_valid" CHECK ("tenants"."accent_color" ~ '^#[0-9a-f]{6}$');--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_default_role_valid" CHECK ("tenants"."default_role" in ('admin', 'member', 'viewer'));--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_session_idle_days_valid" CHECK ("tenants"."session_idle_days" between 1 and 30);--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_audit_retention_valid" CHECK ("tenants"."audit_retention_days" in (90, 365));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_status_valid" CHECK ("users"."status" in ('active', 'disabled', 'deleted'));--> statement-breakpoint
CREATE POLICY "tenant_logos_tenant_isolation" ON "tenant_logos" AS PERMISSIVE FOR ALL TO "tenantry_app" USING ("tenant_logos"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK ("tenant_logos"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_slug_redirects_app_own" ON "tenant_slug_redirects" AS PERMISSIVE FOR ALL TO "tenantry_app" USING ("tenant_slug_redirects"."target_tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK ("tenant_slug_redirects"."target_tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_slug_redirects_platform_select" ON "tenant_slug_redirects" AS PERMISSIVE FOR SELECT TO "tenantry_platform" USING (true);
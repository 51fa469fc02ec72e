-- drizzle-kit enables RLS but cannot force it, nor grant: forcing makes the policies bind the table owner too,
-- so no role but a superuser (never used by the app) reads past them.
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "projects" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "handoff_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "rate_limits" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON SCHEMA "public" FROM PUBLIC;--> statement-breakpoint
GRANT USAGE ON SCHEMA "public" TO "tenantry_app", "tenantry_platform";--> statement-breakpoint
-- The runtime role: only what the product does, table by table.
GRANT SELECT ON "tenants" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, UPDATE ON "users" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "sessions" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_events" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "projects" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "handoff_tokens" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limits" TO "tenantry_app";--> statement-breakpoint
-- The platform role: sign-up and the host lookup, nothing of a tenant's own data.
GRANT SELECT, INSERT ON "tenants" TO "tenantry_platform";--> statement-breakpoint
GRANT SELECT, INSERT ON "users" TO "tenantry_platform";--> statement-breakpoint
GRANT INSERT ON "memberships" TO "tenantry_platform";--> statement-breakpoint
GRANT INSERT ON "audit_events" TO "tenantry_platform";--> statement-breakpoint
GRANT INSERT ON "handoff_tokens" TO "tenantry_platform";--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limits" TO "tenantry_platform";

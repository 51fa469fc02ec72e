-- The tables of migration 0032 (db/schema/tenants.ts): forced RLS like every table.
ALTER TABLE "tenant_logos" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenant_slug_redirects" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Owners change the organization's settings (lib/organization); the version guards concurrent edits.
GRANT UPDATE ("name", "slug", "accent_color", "default_role", "allowed_email_domains", "session_idle_days", "audit_retention_days", "logo_updated_at", "version") ON "tenants" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "tenant_logos" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("content_type", "bytes", "updated_at") ON "tenant_logos" TO "tenantry_app";--> statement-breakpoint
-- A rename records the old slug; renaming back to it deletes the record. The host lookup reads them.
GRANT SELECT, INSERT, DELETE ON "tenant_slug_redirects" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT ON "tenant_slug_redirects" TO "tenantry_platform";--> statement-breakpoint
-- Joining (an invitation, an allowed domain) adds a membership in the tenant's context; admins change roles
-- and statuses. Never a DELETE: removal is a status.
GRANT INSERT ON "memberships" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("role", "status", "version", "updated_at") ON "memberships" TO "tenantry_app";--> statement-breakpoint
-- The audit log viewer and its CSV export, for owners and admins (lib/audit).
GRANT SELECT ON "audit_events" TO "tenantry_app";--> statement-breakpoint
-- Your account: the name. (Deleting an account is not a plain update: see the account deletion migration.)
GRANT UPDATE ("name") ON "users" TO "tenantry_app";

-- Grants exactly as wide as the code: each role may do what some statement of the app does, nothing more.
-- db/grants.allowlist lists the result and tests/integration/grants.test.ts compares it with the catalog, so
-- a new grant is a reviewed change. INSERT stays table-level: Drizzle names every column of the table in its
-- inserts (DEFAULT for the ones not given), and a column-level INSERT grant must cover each of them.
--
-- The runtime role renames a project and bumps its version; a project's id, tenant and author never move.
REVOKE UPDATE ON "projects" FROM "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("name", "version", "updated_at") ON "projects" TO "tenantry_app";--> statement-breakpoint
-- Sign-in and email tokens are only ever spent (used_at): the app never edits or deletes one. A token goes
-- with its membership (the cascade runs as the table owner).
REVOKE UPDATE, DELETE ON "handoff_tokens" FROM "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("used_at") ON "handoff_tokens" TO "tenantry_app";--> statement-breakpoint
REVOKE UPDATE, DELETE ON "email_tokens" FROM "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("used_at") ON "email_tokens" TO "tenantry_app";--> statement-breakpoint
-- The audit trail is written in the same transaction as the change it records; no page reads it yet.
REVOKE SELECT ON "audit_events" FROM "tenantry_app";--> statement-breakpoint
-- Memberships are created by sign-up (platform role); there is no invitation, role change or removal flow
-- yet, so the runtime role only reads them. Such a flow grants what it writes, column by column.
REVOKE INSERT, UPDATE, DELETE ON "memberships" FROM "tenantry_app";--> statement-breakpoint
-- Nothing lets a user rename themselves yet.
REVOKE UPDATE ("name") ON "users" FROM "tenantry_app";--> statement-breakpoint
-- Rate limits are counted through the platform role only (lib/rate-limit), which moves a counter and its
-- window but never renames its key.
REVOKE ALL ON "rate_limits" FROM "tenantry_app";--> statement-breakpoint
REVOKE UPDATE ON "rate_limits" FROM "tenantry_platform";--> statement-breakpoint
GRANT UPDATE ("points", "expires_at") ON "rate_limits" TO "tenantry_platform";--> statement-breakpoint
-- Revoking a user's sessions everywhere finds them by user and returns their ids; their tenant is never read.
REVOKE SELECT ("tenant_id") ON "sessions" FROM "tenantry_platform";--> statement-breakpoint
-- Functions are executable by PUBLIC unless revoked. These are trigger functions, which PostgreSQL runs
-- without checking EXECUTE; nobody needs to call them. Functions this role creates later start the same way
-- (a per-schema default cannot take back what the global default gives PUBLIC).
REVOKE EXECUTE ON FUNCTION "outbox_events_notify"() FROM PUBLIC;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION "tasks_count_comments"() FROM PUBLIC;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION "tenant_revisions_changed"() FROM PUBLIC;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION "tenant_revisions_user_renamed"() FROM PUBLIC;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

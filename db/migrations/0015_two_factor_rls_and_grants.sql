-- Two-factor sign-in: forced RLS like every table. A user's authenticator and recovery codes are reached
-- only by that user (own-row policies on app.user_id); challenges, like handoff tokens, by their tenant.
ALTER TABLE "user_two_factor" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "two_factor_recovery_codes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "two_factor_challenges" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "user_two_factor" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("secret_sealed", "enabled_at", "pending_secret_sealed", "pending_created_at", "last_used_step", "updated_at") ON "user_two_factor" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "two_factor_recovery_codes" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("used_at") ON "two_factor_recovery_codes" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT ON "two_factor_challenges" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("used_at", "failed_attempts") ON "two_factor_challenges" TO "tenantry_app";--> statement-breakpoint
-- Sign-up with an existing account: whether it has 2FA on (never its secret), and a challenge on the new host.
GRANT SELECT ("user_id", "enabled_at") ON "user_two_factor" TO "tenantry_platform";--> statement-breakpoint
GRANT INSERT ON "two_factor_challenges" TO "tenantry_platform";--> statement-breakpoint
-- Owners change their organization's own settings (the tenants_app_update policy keys on app.tenant_id);
-- nothing else about a tenant row is writable by the runtime role.
GRANT UPDATE ("require_two_factor", "updated_at") ON "tenants" TO "tenantry_app";

-- Outgoing mail, forced RLS like every table. The runtime role writes a message in the transaction of the
-- change that causes it, and its mail job (run as the runtime role, in the message's tenant) reads it,
-- records each attempt and erases the body; the platform role writes the one sign-up sends.
ALTER TABLE "outgoing_mail" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "outgoing_mail" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("sealed_body", "status", "attempts", "last_error", "sent_at", "updated_at") ON "outgoing_mail" TO "tenantry_app";--> statement-breakpoint
GRANT INSERT ON "outgoing_mail" TO "tenantry_platform";--> statement-breakpoint
-- The worker role's clean-ups (lib/jobs/cleanup.ts): its policies show it only dead rows (db/schema/retention.ts),
-- and of those only their keys, to delete them in bounded batches.
GRANT USAGE ON SCHEMA public TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "token_hash"), DELETE ON "email_tokens" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "token_hash"), DELETE ON "handoff_tokens" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "token_hash"), DELETE ON "two_factor_challenges" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "id"), DELETE ON "sessions" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("key"), DELETE ON "rate_limits" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "id"), DELETE ON "outbox_events" TO "tenantry_worker";--> statement-breakpoint
GRANT SELECT ("tenant_id", "id"), DELETE ON "outgoing_mail" TO "tenantry_worker";

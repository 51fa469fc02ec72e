ALTER TABLE "email_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mail_messages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "email_tokens" TO "tenantry_app";--> statement-breakpoint
GRANT INSERT ON "email_tokens" TO "tenantry_platform";--> statement-breakpoint
-- Captured mail only: the platform role stores it and the development mailbox reads it.
GRANT SELECT, INSERT ON "mail_messages" TO "tenantry_platform";--> statement-breakpoint
-- Revoking a user's sessions in every organization after a password reset: ids in, revoked_at out.
GRANT SELECT ("id", "tenant_id", "user_id", "revoked_at") ON "sessions" TO "tenantry_platform";--> statement-breakpoint
GRANT UPDATE ("revoked_at") ON "sessions" TO "tenantry_platform";

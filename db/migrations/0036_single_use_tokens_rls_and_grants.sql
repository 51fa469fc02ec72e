-- The single-use tokens of every kind (db/schema/single-use-tokens.ts, lib/tokens/single-use.ts).
ALTER TABLE "single_use_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Issue, look up and spend (or count a wrong code against) a token of the current tenant.
GRANT SELECT, INSERT ON "single_use_tokens" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("used_at", "failed_attempts") ON "single_use_tokens" TO "tenantry_app";--> statement-breakpoint
-- Sign-up's first tokens; joining by an allowed domain (its policies limit this to join tokens).
GRANT INSERT ON "single_use_tokens" TO "tenantry_platform";--> statement-breakpoint
GRANT SELECT ("tenant_id", "token_hash", "purpose", "user_id", "email", "subject_id", "source_session_id", "failed_attempts", "expires_at", "used_at") ON "single_use_tokens" TO "tenantry_platform";--> statement-breakpoint
GRANT UPDATE ("used_at") ON "single_use_tokens" TO "tenantry_platform";--> statement-breakpoint
-- The clean-up deletes dead tokens by key (its policies show it nothing else).
GRANT SELECT ("tenant_id", "token_hash") ON "single_use_tokens" TO "tenantry_worker";--> statement-breakpoint
GRANT DELETE ON "single_use_tokens" TO "tenantry_worker";

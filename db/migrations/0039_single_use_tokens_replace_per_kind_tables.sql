-- Email tokens, handoff tokens and sign-in challenges now live in single_use_tokens (lib/tokens/single-use.ts).
-- Their live rows move over first, so a link mailed or a sign-in started just before the deploy still works;
-- used and expired ones go with their tables. RLS is forced on these tables for their owner too, who runs the
-- migrations and has no policy: it is lifted for the copy and forced again, in this same transaction.
ALTER TABLE "single_use_tokens" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_tokens" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "handoff_tokens" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "two_factor_challenges" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO "single_use_tokens" ("tenant_id", "token_hash", "purpose", "user_id", "email", "expires_at", "created_at")
  SELECT "tenant_id", "token_hash", "purpose", "user_id", lower("new_email"), "expires_at", "created_at"
  FROM "email_tokens" WHERE "used_at" IS NULL AND "expires_at" > now()
  ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "single_use_tokens" ("tenant_id", "token_hash", "purpose", "user_id", "expires_at", "created_at")
  SELECT "tenant_id", "token_hash", 'handoff', "user_id", "expires_at", "created_at"
  FROM "handoff_tokens" WHERE "used_at" IS NULL AND "expires_at" > now()
  ON CONFLICT DO NOTHING;--> statement-breakpoint
-- 5: MAX_CHALLENGE_FAILURES (lib/two-factor/challenge.ts); the old table kept a spent challenge's used_at null.
INSERT INTO "single_use_tokens" ("tenant_id", "token_hash", "purpose", "user_id", "failed_attempts", "expires_at", "created_at")
  SELECT "tenant_id", "token_hash", 'two_factor_challenge', "user_id", "failed_attempts", "expires_at", "created_at"
  FROM "two_factor_challenges" WHERE "used_at" IS NULL AND "expires_at" > now() AND "failed_attempts" < 5
  ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "single_use_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Dropping a table drops its policies and grants with it (db/grants.allowlist no longer lists them).
DROP POLICY "email_tokens_tenant_isolation" ON "email_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "email_tokens_platform_insert" ON "email_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "email_tokens_worker_select_dead" ON "email_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "email_tokens_worker_delete_dead" ON "email_tokens" CASCADE;--> statement-breakpoint
DROP TABLE "email_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "handoff_tokens_tenant_isolation" ON "handoff_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "handoff_tokens_platform_insert" ON "handoff_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "handoff_tokens_worker_select_dead" ON "handoff_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "handoff_tokens_worker_delete_dead" ON "handoff_tokens" CASCADE;--> statement-breakpoint
DROP TABLE "handoff_tokens" CASCADE;--> statement-breakpoint
DROP POLICY "two_factor_challenges_tenant_isolation" ON "two_factor_challenges" CASCADE;--> statement-breakpoint
DROP POLICY "two_factor_challenges_platform_insert" ON "two_factor_challenges" CASCADE;--> statement-breakpoint
DROP POLICY "two_factor_challenges_worker_select_dead" ON "two_factor_challenges" CASCADE;--> statement-breakpoint
DROP POLICY "two_factor_challenges_worker_delete_dead" ON "two_factor_challenges" CASCADE;--> statement-breakpoint
DROP TABLE "two_factor_challenges" CASCADE;

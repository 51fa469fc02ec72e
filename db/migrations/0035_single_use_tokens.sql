CREATE TABLE "single_use_tokens" (
	"tenant_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"user_id" uuid,
	"email" text,
	"subject_id" uuid,
	"source_session_id" uuid,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "single_use_tokens_tenant_id_token_hash_pk" PRIMARY KEY("tenant_id","token_hash"),
	CONSTRAINT "single_use_tokens_purpose_valid" CHECK ("single_use_tokens"."purpose" in ('verify_email', 'reset_password', 'unlock_account', 'change_email', 'handoff', 'two_factor_challenge', 'invitation', 'join_domain')),
	CONSTRAINT "single_use_tokens_email_lowercase" CHECK ("single_use_tokens"."email" = lower("single_use_tokens"."email"))
);
--> statement-breakpoint
ALTER TABLE "single_use_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "single_use_tokens" ADD CONSTRAINT "single_use_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "single_use_tokens" ADD CONSTRAINT "single_use_tokens_tenant_id_user_id_memberships_tenant_id_user_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."memberships"("tenant_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "single_use_tokens_user_idx" ON "single_use_tokens" USING btree ("tenant_id","user_id","purpose");--> statement-breakpoint
CREATE INDEX "single_use_tokens_subject_idx" ON "single_use_tokens" USING btree ("tenant_id","subject_id");--> statement-breakpoint
CREATE POLICY "single_use_tokens_tenant_isolation" ON "single_use_tokens" AS PERMISSIVE FOR ALL TO "tenantry_app" USING ("single_use_tokens"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK ("single_use_tokens"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "single_use_tokens_platform_insert" ON "single_use_tokens" AS PERMISSIVE FOR INSERT TO "tenantry_platform" WITH CHECK (exists (select 1 from tenants t where t.id = "single_use_tokens"."tenant_id" and t.created_at = now()));--> statement-breakpoint
CREATE POLICY "single_use_tokens_platform_join_insert" ON "single_use_tokens" AS PERMISSIVE FOR INSERT TO "tenantry_platform" WITH CHECK ("single_use_tokens"."purpose" = 'join_domain' and "single_use_tokens"."user_id" is null and exists (
        select 1 from tenants d
        where d.id = "single_use_tokens"."tenant_id" and split_part("single_use_tokens"."email", '@', 2) = any (d.allowed_email_domains)
      ));--> statement-breakpoint
CREATE POLICY "single_use_tokens_platform_join_select" ON "single_use_tokens" AS PERMISSIVE FOR SELECT TO "tenantry_platform" USING ("single_use_tokens"."purpose" = 'join_domain');--> statement-breakpoint
CREATE POLICY "single_use_tokens_platform_join_update" ON "single_use_tokens" AS PERMISSIVE FOR UPDATE TO "tenantry_platform" USING ("single_use_tokens"."purpose" = 'join_domain') WITH CHECK ("single_use_tokens"."purpose" = 'join_domain');--> statement-breakpoint
CREATE POLICY "single_use_tokens_worker_select_dead" ON "single_use_tokens" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING (least("single_use_tokens"."used_at", "single_use_tokens"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "single_use_tokens_worker_delete_dead" ON "single_use_tokens" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING (least("single_use_tokens"."used_at", "single_use_tokens"."expires_at") < now() - interval '1 day');
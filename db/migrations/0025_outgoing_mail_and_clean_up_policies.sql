CREATE TABLE "outgoing_mail" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"sealed_body" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outgoing_mail_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "outgoing_mail_status_valid" CHECK ("outgoing_mail"."status" in ('queued', 'sent', 'failed')),
	CONSTRAINT "outgoing_mail_body_only_while_queued" CHECK ("outgoing_mail"."status" = 'queued' or "outgoing_mail"."sealed_body" is null)
);
--> statement-breakpoint
ALTER TABLE "outgoing_mail" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD COLUMN "message_id" uuid;--> statement-breakpoint
ALTER TABLE "outgoing_mail" ADD CONSTRAINT "outgoing_mail_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_message_id_key" UNIQUE("message_id");--> statement-breakpoint
CREATE POLICY "email_tokens_worker_select_dead" ON "email_tokens" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING (least("email_tokens"."used_at", "email_tokens"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "email_tokens_worker_delete_dead" ON "email_tokens" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING (least("email_tokens"."used_at", "email_tokens"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "handoff_tokens_worker_select_dead" ON "handoff_tokens" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING (least("handoff_tokens"."used_at", "handoff_tokens"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "handoff_tokens_worker_delete_dead" ON "handoff_tokens" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING (least("handoff_tokens"."used_at", "handoff_tokens"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "outbox_events_worker_select_dead" ON "outbox_events" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING ("outbox_events"."published_at" is not null and "outbox_events"."created_at" < now() - interval '24 hours');--> statement-breakpoint
CREATE POLICY "outbox_events_worker_delete_dead" ON "outbox_events" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING ("outbox_events"."published_at" is not null and "outbox_events"."created_at" < now() - interval '24 hours');--> statement-breakpoint
CREATE POLICY "rate_limits_worker_select_dead" ON "rate_limits" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING ("rate_limits"."expires_at" < now());--> statement-breakpoint
CREATE POLICY "rate_limits_worker_delete_dead" ON "rate_limits" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING ("rate_limits"."expires_at" < now());--> statement-breakpoint
CREATE POLICY "sessions_worker_select_dead" ON "sessions" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING (least("sessions"."revoked_at", "sessions"."expires_at") < now() - interval '7 days');--> statement-breakpoint
CREATE POLICY "sessions_worker_delete_dead" ON "sessions" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING (least("sessions"."revoked_at", "sessions"."expires_at") < now() - interval '7 days');--> statement-breakpoint
CREATE POLICY "two_factor_challenges_worker_select_dead" ON "two_factor_challenges" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING (least("two_factor_challenges"."used_at", "two_factor_challenges"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "two_factor_challenges_worker_delete_dead" ON "two_factor_challenges" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING (least("two_factor_challenges"."used_at", "two_factor_challenges"."expires_at") < now() - interval '1 day');--> statement-breakpoint
CREATE POLICY "outgoing_mail_tenant_isolation" ON "outgoing_mail" AS PERMISSIVE FOR ALL TO "tenantry_app" USING ("outgoing_mail"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK ("outgoing_mail"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "outgoing_mail_platform_insert" ON "outgoing_mail" AS PERMISSIVE FOR INSERT TO "tenantry_platform" WITH CHECK (exists (select 1 from tenants t where t.id = "outgoing_mail"."tenant_id" and t.created_at = now()));--> statement-breakpoint
CREATE POLICY "outgoing_mail_worker_select_dead" ON "outgoing_mail" AS PERMISSIVE FOR SELECT TO "tenantry_worker" USING ("outgoing_mail"."created_at" < now() - interval '30 days');--> statement-breakpoint
CREATE POLICY "outgoing_mail_worker_delete_dead" ON "outgoing_mail" AS PERMISSIVE FOR DELETE TO "tenantry_worker" USING ("outgoing_mail"."created_at" < now() - interval '30 days');
CREATE INDEX "outbox_events_pending_idx" ON "outbox_events" USING btree ("created_at") WHERE "outbox_events"."published_at" is null;--> statement-breakpoint
CREATE POLICY "outbox_events_platform_pending" ON "outbox_events" AS PERMISSIVE FOR SELECT TO "tenantry_platform" USING ("outbox_events"."published_at" is null);--> statement-breakpoint
-- The sweeper (platform role) learns which tenants have pending events and since when, nothing more; it
-- reads and marks each tenant's events inside that tenant's context, as the runtime role.
GRANT SELECT ("tenant_id", "created_at", "published_at") ON "outbox_events" TO "tenantry_platform";--> statement-breakpoint
-- Wakes the sweeper: PostgreSQL delivers a notification only when its transaction commits, so a rolled-back
-- change wakes nobody. One per statement, and identical ones within a transaction are folded into one.
CREATE FUNCTION "outbox_events_notify"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION "outbox_events_notify"();

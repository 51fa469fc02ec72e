ALTER TABLE "outbox_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT ON "outbox_events" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("published_at") ON "outbox_events" TO "tenantry_app";

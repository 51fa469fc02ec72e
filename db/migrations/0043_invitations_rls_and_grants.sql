-- Invitations and their sends (db/schema/invitations.ts, lib/invitations): forced RLS like every table.
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitation_sends" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Owners and admins invite, resend and revoke; accepting marks the invitation accepted. Never a DELETE:
-- an invitation's outcome is history.
GRANT SELECT, INSERT ON "invitations" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("status", "expires_at", "last_sent_at", "send_count", "accepted_by", "accepted_at", "revoked_by", "revoked_at", "version", "updated_at") ON "invitations" TO "tenantry_app";--> statement-breakpoint
-- Every send is counted (the daily cap, the resend limit); a send is never changed.
GRANT SELECT, INSERT ON "invitation_sends" TO "tenantry_app";--> statement-breakpoint
-- The clean-up deletes sends past counting by key (its policies show it nothing else).
GRANT SELECT ("tenant_id", "id") ON "invitation_sends" TO "tenantry_worker";--> statement-breakpoint
GRANT DELETE ON "invitation_sends" TO "tenantry_worker";

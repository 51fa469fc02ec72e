-- Narrow the runtime role's writes to the columns the product changes: a user edits their name, password
-- and verification state, never their id, email or status; a session only moves its last-seen time or ends.
REVOKE UPDATE ON "users" FROM "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("name", "password_hash", "email_verified_at", "updated_at") ON "users" TO "tenantry_app";--> statement-breakpoint
REVOKE UPDATE ON "sessions" FROM "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("last_seen_at", "revoked_at") ON "sessions" TO "tenantry_app";

-- A handoff made from a signed-in session is redeemed only while that session is live, which the platform
-- role checks across organizations (lib/auth/handoff.ts): it also reads when a session expires.
GRANT SELECT ("expires_at") ON "sessions" TO "tenantry_platform";

CREATE POLICY "memberships_platform_find_select" ON "memberships" AS PERMISSIVE FOR SELECT TO "tenantry_platform" USING (true);--> statement-breakpoint
-- The grant that goes with it: only what names the organizations of an address, nothing about roles.
GRANT SELECT ("tenant_id", "user_id", "status") ON "memberships" TO "tenantry_platform";

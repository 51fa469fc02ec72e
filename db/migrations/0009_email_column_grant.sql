-- Changing one's email, once the new address is confirmed by a link sent to it.
GRANT UPDATE ("email") ON "users" TO "tenantry_app";

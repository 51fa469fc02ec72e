-- The audit trail is append-only for every role, the owner and a superuser included: no grant of UPDATE or
-- DELETE exists, and this trigger refuses both (and TRUNCATE) whatever privileges a role holds. The one
-- exception is a purge function run by the worker (lib/jobs/audit-retention.ts): inside it, and only there,
-- the statement runs as the owner role (SECURITY DEFINER) in a session of the worker role, with the
-- transaction-local flag the function sets. A role that sets the flag by hand is still itself (not the owner),
-- and the owner in a session of its own is not the worker: neither passes.
CREATE FUNCTION public.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'DELETE'
    AND current_setting('tenantry.audit_purge', true) = 'on'
    AND session_user = 'tenantry_worker'
    AND current_user = (SELECT c.relowner::regrole::name FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID)
  THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'permission denied: the audit trail is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.audit_events_append_only() FROM PUBLIC;--> statement-breakpoint
-- Statement triggers: one check per statement, and a statement that matches no row is refused all the same.
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_append_only();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_append_only();--> statement-breakpoint
-- The owner role is bound by forced RLS like every role: while the purge runs (the same three conditions as
-- the trigger), these policies show it the trail, to delete what is past retention, and each tenant's
-- retention setting. Outside the purge function they show the owner nothing.
CREATE POLICY "audit_events_retention_purge_select" ON "audit_events" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING ((select current_setting('tenantry.audit_purge', true) = 'on' and session_user = 'tenantry_worker'));--> statement-breakpoint
CREATE POLICY "audit_events_retention_purge_delete" ON "audit_events" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING ((select current_setting('tenantry.audit_purge', true) = 'on' and session_user = 'tenantry_worker'));--> statement-breakpoint
CREATE POLICY "tenants_audit_retention_purge" ON "tenants" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING ((select current_setting('tenantry.audit_purge', true) = 'on' and session_user = 'tenantry_worker'));--> statement-breakpoint
-- The retention purge: deletes at most `batch_rows` entries older than their organization's retention (90 or
-- 365 days; null keeps them forever), oldest first, each tenant's through its (tenant_id, created_at) index.
-- Returns how many went; the job calls it again, each call in its own short transaction, until fewer than
-- `batch_rows` go. Running it twice deletes nothing more. Its search_path is pinned and every name qualified.
CREATE FUNCTION public.purge_expired_audit_events(batch_rows integer) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  deleted integer;
BEGIN
  IF batch_rows IS NULL OR batch_rows < 1 OR batch_rows > 10000 THEN
    RAISE EXCEPTION 'batch_rows must be between 1 and 10000' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('tenantry.audit_purge', 'on', true);
  WITH doomed AS (
    SELECT e.tenant_id, e.id
    FROM public.tenants t
    CROSS JOIN LATERAL (
      SELECT a.tenant_id, a.id FROM public.audit_events a
      WHERE a.tenant_id = t.id AND a.created_at < now() - make_interval(days => t.audit_retention_days)
      -- The backward scan of (tenant_id, created_at DESC NULLS LAST): oldest first, no sort.
      ORDER BY a.created_at ASC NULLS FIRST
      LIMIT batch_rows
    ) e
    WHERE t.audit_retention_days IS NOT NULL
    LIMIT batch_rows
  )
  DELETE FROM public.audit_events a USING doomed d WHERE a.tenant_id = d.tenant_id AND a.id = d.id;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  PERFORM set_config('tenantry.audit_purge', '', true);
  RETURN deleted;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.purge_expired_audit_events(integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.purge_expired_audit_events(integer) TO tenantry_worker;--> statement-breakpoint
-- The daily retention purge's queue (lib/jobs/queues.ts): a failed run is tried again twice, an hour apart.
SELECT pgboss.create_queue('audit-retention', '{"policy":"standard","retryLimit":2,"retryDelay":3600,"retryBackoff":false,"expireInSeconds":900}');

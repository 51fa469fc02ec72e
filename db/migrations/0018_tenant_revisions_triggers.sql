-- The tenant revision (db/schema/tenant-revisions.ts): forced RLS like every table; the runtime role only
-- reads it, and only these triggers write it.
ALTER TABLE "tenant_revisions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT ON "tenant_revisions" TO "tenantry_app";--> statement-breakpoint
-- The triggers' functions run as the role that ran the migrations (SECURITY DEFINER), so that a change moves
-- the counter whichever role made it; that role reaches this table and nothing else through this policy.
CREATE POLICY "tenant_revisions_definer" ON "tenant_revisions" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
-- Moves a counter forward once per transaction: the row's xmin is this transaction's id once it has moved it
-- (under a savepoint it may move twice, which costs nothing). Fired at commit (deferred constraint triggers),
-- so the row lock it takes is held only while the transaction commits: it never waits on a lock another
-- transaction holds while that one waits on it, and writers of one tenant queue only for their commits.
CREATE FUNCTION "tenant_revisions_bump"(target uuid) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
  INSERT INTO public.tenant_revisions AS r (tenant_id, revision) VALUES (target, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET revision = r.revision + 1
  WHERE r.xmin <> pg_current_xact_id()::xid;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "tenant_revisions_bump"(uuid) FROM PUBLIC;--> statement-breakpoint
CREATE FUNCTION "tenant_revisions_changed"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM public.tenant_revisions_bump(OLD.tenant_id);
  ELSE
    PERFORM public.tenant_revisions_bump(NEW.tenant_id);
    IF TG_OP = 'UPDATE' AND NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
      PERFORM public.tenant_revisions_bump(OLD.tenant_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Member names are shown on every board of every organization the member belongs to.
CREATE FUNCTION "tenant_revisions_user_renamed"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name THEN
    PERFORM public.tenant_revisions_bump('00000000-0000-0000-0000-000000000000'::uuid);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tasks_revise_tenant" AFTER INSERT OR UPDATE OR DELETE ON "tasks" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "tenant_revisions_changed"();--> statement-breakpoint
-- Comments reach the board only as a count: edits leave it as it is.
CREATE CONSTRAINT TRIGGER "task_comments_revise_tenant" AFTER INSERT OR DELETE ON "task_comments" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "tenant_revisions_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "projects_revise_tenant" AFTER INSERT OR UPDATE OR DELETE ON "projects" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "tenant_revisions_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "memberships_revise_tenant" AFTER INSERT OR UPDATE OR DELETE ON "memberships" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "tenant_revisions_changed"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "users_revise_all_tenants" AFTER UPDATE OF "name" ON "users" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "tenant_revisions_user_renamed"();

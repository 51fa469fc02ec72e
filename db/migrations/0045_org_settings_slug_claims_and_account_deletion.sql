-- Organization settings (lib/organization) and account deletion (lib/account/delete-account.ts).
--
-- The functions below are SECURITY DEFINER: they run as the role that ran this migration, which is bound by
-- forced RLS like every role, so each table they reach gets a policy TO CURRENT_USER (that role) and nothing
-- else does. Their search_path is pinned and every name in them qualified, so a caller cannot substitute
-- objects of their own.
CREATE POLICY "tenants_definer_select" ON "tenants" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE POLICY "tenant_slug_redirects_definer" ON "tenant_slug_redirects" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
-- A subdomain names one organization across the platform, whether as its current slug or as a former one
-- that still redirects (for 30 days). The unique index on tenants.slug cannot see the redirects, and the app
-- and platform roles see only some of them, so this trigger guards both tables: one claim of a slug at a time
-- (a transaction-level advisory lock on the slug; a rename, a sign-up and a redirect for the same slug queue
-- there), and each claim then checks what the claims before it committed (every statement of a function takes
-- a new snapshot under READ COMMITTED). Two organizations renaming to the same slug at once: one wins, the
-- other gets a unique violation the app turns into a clear message.
CREATE FUNCTION public.tenant_slug_claim() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.slug = OLD.slug THEN
    RETURN NEW;
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenant-slug:' || NEW.slug, 0));
  IF TG_TABLE_NAME = 'tenants' THEN
    IF EXISTS (SELECT 1 FROM public.tenant_slug_redirects r
               WHERE r.slug = NEW.slug AND r.target_tenant_id <> NEW.id AND r.expires_at > pg_catalog.now()) THEN
      RAISE EXCEPTION 'subdomain % still redirects to another organization', NEW.slug
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'tenants_slug_redirected';
    END IF;
    -- Taken back by the organization it redirects to, or expired: the redirect gives way.
    DELETE FROM public.tenant_slug_redirects r WHERE r.slug = NEW.slug;
  ELSIF EXISTS (SELECT 1 FROM public.tenants t WHERE t.slug = NEW.slug) THEN
    RAISE EXCEPTION 'subdomain % belongs to an organization', NEW.slug
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'tenant_slug_redirects_slug_taken';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "tenants_slug_claim" BEFORE INSERT OR UPDATE OF "slug" ON "tenants" FOR EACH ROW EXECUTE FUNCTION public.tenant_slug_claim();--> statement-breakpoint
CREATE TRIGGER "tenant_slug_redirects_slug_claim" BEFORE INSERT ON "tenant_slug_redirects" FOR EACH ROW EXECUTE FUNCTION public.tenant_slug_claim();--> statement-breakpoint
-- The worker's clean-up deletes expired redirects (db/schema/tenants.ts: its policies show it only those).
GRANT SELECT ("slug") ON "tenant_slug_redirects" TO "tenantry_worker";--> statement-breakpoint
GRANT DELETE ON "tenant_slug_redirects" TO "tenantry_worker";--> statement-breakpoint
-- Account deletion. The person is erased (name, email, password) but the row stays: audit entries keep
-- pointing at it and show "Deleted user". The app role may not set a user's status, nor change memberships
-- or tokens of other organizations than the request's, so the deletion is this one function, which acts only
-- on the user of the transaction's context (app.user_id, set by withTenant from the verified session) and
-- refuses while they are the last active owner of any organization (returning those organizations' names,
-- having changed nothing). The app revokes the sessions and removes the second factor itself (its own-row
-- policies allow that), in the same transaction.
CREATE POLICY "memberships_definer" ON "memberships" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "users_definer" ON "users" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "single_use_tokens_definer" ON "single_use_tokens" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "audit_events_definer_insert" ON "audit_events" AS PERMISSIVE FOR INSERT TO CURRENT_USER WITH CHECK (true);--> statement-breakpoint
CREATE FUNCTION public.tenantry_delete_account(p_ip text, p_user_agent text)
RETURNS TABLE (sole_owner_of text[]) LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me uuid := nullif(pg_catalog.current_setting('app.user_id', true), '')::uuid;
  here uuid := nullif(pg_catalog.current_setting('app.tenant_id', true), '')::uuid;
  blocked text[];
BEGIN
  IF me IS NULL OR NOT EXISTS (SELECT 1 FROM public.users u WHERE u.id = me AND u.status = 'active') THEN
    RAISE EXCEPTION 'no active user to delete' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The owners of every organization this user owns, locked in one order: a concurrent demotion or removal
  -- of the other owner waits, so "someone else is still an owner" stays true until this commits.
  PERFORM 1 FROM public.memberships o
  WHERE o.role = 'owner' AND o.tenant_id IN (
    SELECT m.tenant_id FROM public.memberships m WHERE m.user_id = me AND m.role = 'owner' AND m.status = 'active')
  ORDER BY o.tenant_id, o.user_id FOR UPDATE;
  SELECT pg_catalog.array_agg(t.name ORDER BY t.name) INTO blocked
  FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
  WHERE m.user_id = me AND m.role = 'owner' AND m.status = 'active'
    AND NOT EXISTS (
      SELECT 1 FROM public.memberships o JOIN public.users u ON u.id = o.user_id
      WHERE o.tenant_id = m.tenant_id AND o.user_id <> me AND o.role = 'owner' AND o.status = 'active'
        AND u.status = 'active');
  IF blocked IS NOT NULL THEN
    RETURN QUERY SELECT blocked;
    RETURN;
  END IF;
  -- The other organizations learn it from their own audit trail; the request's organization records it
  -- through the app's action, like every action.
  INSERT INTO public.audit_events (tenant_id, actor_user_id, actor_type, action, target_type, target_id, ip, user_agent)
  SELECT m.tenant_id, me, 'user', 'account.deleted', 'user', me::text, p_ip, p_user_agent
  FROM public.memberships m WHERE m.user_id = me AND m.status <> 'removed' AND m.tenant_id IS DISTINCT FROM here;
  UPDATE public.memberships m SET status = 'removed', version = m.version + 1, updated_at = pg_catalog.now()
  WHERE m.user_id = me AND m.status <> 'removed';
  -- A link already mailed (a reset, an email change) must not act on the erased account.
  UPDATE public.single_use_tokens s SET used_at = pg_catalog.now() WHERE s.user_id = me AND s.used_at IS NULL;
  UPDATE public.users u SET name = '', email = 'deleted-' || me::text || '@deleted.invalid',
    password_hash = '!deleted', email_verified_at = NULL, status = 'deleted',
    deleted_at = pg_catalog.now(), updated_at = pg_catalog.now()
  WHERE u.id = me;
  RETURN QUERY SELECT ARRAY[]::text[];
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.tenantry_delete_account(text, text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenantry_delete_account(text, text) TO "tenantry_app";--> statement-breakpoint
-- The same question without deleting anything, asked before the password (a refusal that needs no password
-- counts no failed attempt towards the account's lock).
CREATE FUNCTION public.tenantry_sole_owner_of() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(pg_catalog.array_agg(t.name ORDER BY t.name), ARRAY[]::text[])
  FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
  WHERE m.user_id = nullif(pg_catalog.current_setting('app.user_id', true), '')::uuid
    AND m.role = 'owner' AND m.status = 'active'
    AND NOT EXISTS (
      SELECT 1 FROM public.memberships o JOIN public.users u ON u.id = o.user_id
      WHERE o.tenant_id = m.tenant_id AND o.user_id <> m.user_id AND o.role = 'owner' AND o.status = 'active'
        AND u.status = 'active')
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.tenantry_sole_owner_of() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenantry_sole_owner_of() TO "tenantry_app";--> statement-breakpoint
-- A deleted account stays deleted: no role, whatever its grants, changes the row again (and so nobody can
-- give it back an email, a password or a name).
CREATE FUNCTION public.users_deleted_frozen() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF OLD.status = 'deleted' THEN
    RAISE EXCEPTION 'user % was deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.users_deleted_frozen() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "users_deleted_frozen" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION public.users_deleted_frozen();

-- An organization always keeps an active owner (lib/members). The application checks it too, but only the
-- database sees concurrent changes: two owners demoting each other at the same moment must leave one.
-- Before an active owner stops being one (demoted, deactivated, removed, deleted), the trigger takes a lock
-- keyed on the tenant, then looks for ANOTHER active owner. Under READ COMMITTED each statement of a volatile
-- function takes a fresh snapshot, so the look, made once the lock is held, sees every change committed by
-- whoever held it before; the second of two concurrent demotions therefore finds none and is refused.
-- REPEATABLE READ would keep the older snapshot and miss it: the trigger refuses to run under it. SERIALIZABLE
-- is safe (the conflict aborts one transaction). When the tenant row itself is gone (a tenant deletion that
-- cascades), there is nothing to protect. The SQLSTATE 'TN409' is what lib/members maps to a `conflict`.
-- SECURITY INVOKER: the app role, in the tenant's context, sees the tenant's memberships and its tenant row;
-- a cascade runs as the table owner, to whom forced RLS does not apply during referential actions.
CREATE FUNCTION "memberships_keep_an_owner"() RETURNS trigger LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF OLD.role <> 'owner' OR OLD.status <> 'active' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.role = 'owner' AND NEW.status = 'active' AND NEW.tenant_id = OLD.tenant_id THEN
    RETURN NEW;
  END IF;
  IF current_setting('transaction_isolation') = 'repeatable read' THEN
    RAISE EXCEPTION 'changing an owner''s membership needs READ COMMITTED or SERIALIZABLE isolation';
  END IF;
  -- 0x6f776e72 ('ownr'): this lock's own key space, apart from any other advisory lock.
  PERFORM pg_advisory_xact_lock(1870097010, hashtext(OLD.tenant_id::text));
  IF NOT EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = OLD.tenant_id) THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF EXISTS (
    SELECT 1 FROM public.memberships m
    WHERE m.tenant_id = OLD.tenant_id AND m.user_id <> OLD.user_id
      AND m.role = 'owner' AND m.status = 'active'
  ) THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  RAISE EXCEPTION USING
    ERRCODE = 'TN409',
    MESSAGE = 'an organization needs at least one active owner',
    DETAIL = format('tenant %s would have no active owner left', OLD.tenant_id);
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "memberships_keep_an_owner"() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER "memberships_keep_an_owner" BEFORE UPDATE OR DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "memberships_keep_an_owner"();--> statement-breakpoint
-- Whether each member has two-factor sign-in on, for the members page and for the sessions to drop when an
-- owner requires it. The runtime role sees only its own `user_two_factor` row (it holds the sealed secret):
-- this function, owned by the role that runs migrations, returns the ids of the current tenant's members who
-- have it on, and nothing else. That role reaches the rows it reads through the two policies below only; like
-- every SECURITY DEFINER function here, its search_path is pinned and every name qualified.
CREATE POLICY "memberships_definer_select" ON "memberships" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING ("memberships"."tenant_id" = (select nullif(current_setting('app.tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "user_two_factor_definer_select" ON "user_two_factor" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE FUNCTION "tenantry_members_with_two_factor"() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
  SELECT m.user_id FROM public.memberships m
  JOIN public.user_two_factor f ON f.user_id = m.user_id
  WHERE m.tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid)
    AND f.enabled_at IS NOT NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "tenantry_members_with_two_factor"() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "tenantry_members_with_two_factor"() TO "tenantry_app";

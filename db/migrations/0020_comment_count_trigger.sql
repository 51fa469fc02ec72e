-- A task's comment count and comments version (db/schema/tasks.ts) move with every comment added or deleted,
-- whoever writes it. The trigger runs as the role that wrote the comment, so the runtime role's RLS confines
-- its update to the comment's own tenant, like any statement of that role. The row lock it takes serializes
-- the comments of one task: each transaction reads the exact figures its commit leaves.
GRANT UPDATE ("comment_count", "comments_version") ON "tasks" TO "tenantry_app";--> statement-breakpoint
CREATE FUNCTION "tasks_count_comments"() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE public.tasks SET comment_count = comment_count + 1, comments_version = comments_version + 1
    WHERE tenant_id = NEW.tenant_id AND id = NEW.task_id;
  ELSE
    -- A comment deleted with its task (cascade) finds no task row left to update.
    UPDATE public.tasks SET comment_count = comment_count - 1, comments_version = comments_version + 1
    WHERE tenant_id = OLD.tenant_id AND id = OLD.task_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "task_comments_count" AFTER INSERT OR DELETE ON "task_comments" FOR EACH ROW EXECUTE FUNCTION "tasks_count_comments"();--> statement-breakpoint
-- Existing comments, counted once. RLS is forced on tasks for every role, its owner (this one) included, so it
-- is lifted for this statement only, inside the migration's transaction.
ALTER TABLE "tasks" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "task_comments" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "tasks" t SET "comment_count" = c.n, "comments_version" = c.n
FROM (SELECT "tenant_id", "task_id", count(*)::int AS n FROM "task_comments" GROUP BY 1, 2) c
WHERE t."tenant_id" = c."tenant_id" AND t."id" = c."task_id";--> statement-breakpoint
-- The update queued the tenant revision triggers (deferred to commit); a table with pending trigger events
-- cannot be altered, so they run now (constraints stay immediate for the rest of this migration run).
SET CONSTRAINTS ALL IMMEDIATE;--> statement-breakpoint
ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "task_comments" FORCE ROW LEVEL SECURITY;

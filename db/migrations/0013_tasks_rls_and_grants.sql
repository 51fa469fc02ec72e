-- Tasks and comments: forced RLS like every tenant table; the runtime role writes only the columns the
-- product changes (never a row's tenant, id, project or author).
ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "task_comments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "tasks" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("title", "description", "status", "position", "assignee_id", "due_date", "updated_by", "version", "updated_at") ON "tasks" TO "tenantry_app";--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "task_comments" TO "tenantry_app";--> statement-breakpoint
GRANT UPDATE ("body", "version", "updated_at") ON "task_comments" TO "tenantry_app";--> statement-breakpoint
-- The assignee is a member of the same tenant; removing the membership unassigns, and only the assignee
-- column is cleared (a plain composite SET NULL would also null tenant_id).
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_membership_fk" FOREIGN KEY ("tenant_id", "assignee_id") REFERENCES "memberships" ("tenant_id", "user_id") ON DELETE SET NULL ("assignee_id");--> statement-breakpoint
-- One position per card in a column. Deferrable, so renumbering a column in one statement does not trip
-- over its own intermediate states; its index is also the one the board is read by.
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_column_position_unique" UNIQUE ("tenant_id", "project_id", "status", "position") DEFERRABLE INITIALLY IMMEDIATE;

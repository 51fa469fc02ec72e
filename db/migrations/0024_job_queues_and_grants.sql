-- The queues the app uses (lib/jobs/queues.ts lists them with these settings). pg-boss 10 makes each queue a
-- partition of pgboss.job, so creating one is DDL: it happens here, as the owner, never at run time.
SELECT pgboss.create_queue('mail', '{"policy":"standard","retryLimit":5,"retryDelay":30,"retryBackoff":true,"expireInSeconds":60}');--> statement-breakpoint
SELECT pgboss.create_queue('cleanup', '{"policy":"standard","retryLimit":0,"retryDelay":0,"retryBackoff":false,"expireInSeconds":600}');--> statement-breakpoint
-- pg-boss's timekeeper sends each scheduled job through this queue; it would otherwise create it at start-up.
SELECT pgboss.create_queue('__pgboss__send-it', '{"policy":"standard"}');--> statement-breakpoint
-- Sending a job (the runtime role inside a request's transaction, the platform role at sign-up): an insert
-- into pgboss.job that copies the queue's settings (db/statements/jobs.ts). No RETURNING, so no SELECT on
-- jobs: neither role can read, change or delete a job, its own included.
GRANT USAGE ON SCHEMA pgboss TO tenantry_app, tenantry_platform, tenantry_worker;--> statement-breakpoint
GRANT INSERT ON pgboss.job TO tenantry_app, tenantry_platform;--> statement-breakpoint
GRANT SELECT (name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds, retention_minutes, dead_letter) ON pgboss.queue TO tenantry_app, tenantry_platform, tenantry_worker;--> statement-breakpoint
-- The worker runs pg-boss: it checks the schema version; claims, completes, fails and retries jobs (a failed
-- attempt is deleted and inserted again in its next state); its maintenance expires, archives and drops old
-- jobs, and stamps when it last ran, so that one worker of many does it per interval; its timekeeper reads
-- the schedules, registers the app's own (lib/jobs/schedules.ts) and sends their jobs.
GRANT SELECT ON pgboss.version TO tenantry_worker;--> statement-breakpoint
GRANT UPDATE (maintained_on, cron_on) ON pgboss.version TO tenantry_worker;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON pgboss.job TO tenantry_worker;--> statement-breakpoint
GRANT UPDATE (state, started_on, retry_count, retry_limit, completed_on, output) ON pgboss.job TO tenantry_worker;--> statement-breakpoint
GRANT INSERT, DELETE ON pgboss.archive TO tenantry_worker;--> statement-breakpoint
GRANT SELECT (archived_on) ON pgboss.archive TO tenantry_worker;--> statement-breakpoint
GRANT SELECT, INSERT ON pgboss.schedule TO tenantry_worker;--> statement-breakpoint
GRANT UPDATE (cron, timezone, data, options, updated_on) ON pgboss.schedule TO tenantry_worker;

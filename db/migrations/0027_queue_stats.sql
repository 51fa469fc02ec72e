-- Queue health for /api/ready and /api/metrics (lib/jobs/stats.ts), through the platform role, which may not
-- read jobs: this function, owned by the owner role, counts them and returns nothing but the counts. A
-- SECURITY DEFINER function runs with its owner's rights, so its search_path is pinned (pg_temp last) and
-- every name in it qualified, leaving a caller no way to substitute an object of their own.
--   queued: waiting to run (created, or a retry), due or not yet; active: claimed by a worker now;
--   failed: failed for good and not yet archived (pg-boss archives them with completed jobs, after 12 h);
--   oldest_queued_seconds: how long the longest-waiting due job has waited, 0 when none is due.
CREATE FUNCTION public.tenantry_queue_stats()
RETURNS TABLE (queue text, queued bigint, active bigint, failed bigint, oldest_queued_seconds double precision)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT q.name,
    count(j.id) FILTER (WHERE j.state < 'active'),
    count(j.id) FILTER (WHERE j.state = 'active'),
    count(j.id) FILTER (WHERE j.state = 'failed'),
    coalesce(extract(epoch FROM now() - min(j.start_after) FILTER (WHERE j.state < 'active' AND j.start_after <= now())), 0)::double precision
  FROM pgboss.queue q
  LEFT JOIN pgboss.job j ON j.name = q.name
  GROUP BY q.name
  ORDER BY q.name
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.tenantry_queue_stats() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenantry_queue_stats() TO tenantry_platform;

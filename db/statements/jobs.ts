import 'server-only';
import { sql } from 'drizzle-orm';

/**
 * pg-boss's job insert (its `insertJob` plan), reduced to what the app sends: a job of `queue` with the
 * queue's own retry, expiry and retention settings, as pg-boss's `send` applies them. It names its id
 * instead of returning one, so the roles that send jobs need INSERT on pgboss.job and no SELECT: they can
 * add a job and never read one. A queue that does not exist inserts nothing (the caller checks the count).
 */
export const insertJobSql = (job: { id: string; queue: string; data: unknown }) => sql`
  insert into pgboss.job (id, name, data, expire_in, keep_until, retry_limit, retry_delay, retry_backoff,
    dead_letter, policy)
  select ${job.id}::uuid, q.name, ${JSON.stringify(job.data)}::jsonb,
    coalesce(q.expire_seconds * interval '1s', interval '15 minutes'),
    now() + coalesce(q.retention_minutes * interval '1 minute', interval '14 days'),
    coalesce(q.retry_limit, 2),
    case when coalesce(q.retry_backoff, false) then greatest(coalesce(q.retry_delay, 0), 1)
      else coalesce(q.retry_delay, 0) end,
    coalesce(q.retry_backoff, false),
    q.dead_letter, q.policy
  from pgboss.queue q
  where q.name = ${job.queue}`;

/**
 * Makes the current attempt of an active job its last, so that failing it now fails it for good: what a
 * job whose data can never be handled needs (pg-boss retries a failure while retry_count < retry_limit).
 */
export const FINAL_ATTEMPT_SQL = `
  update pgboss.job set retry_limit = retry_count
  where name = $1 and id = $2 and state = 'active'`;

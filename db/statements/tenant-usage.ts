import 'server-only';
import { sql } from 'drizzle-orm';

/** One tenant's counts for one UTC day (`YYYY-MM-DD`), as one process accumulated them. */
export type UsageDelta = {
  tenantId: string;
  day: string;
  requests: number;
  writes: number;
  realtimeEvents: number;
};

/**
 * Adds a batch of counts in one statement, whatever its size (the rows travel as one JSON parameter, so the
 * statement text and its plan never change). Rows are locked in (tenant, day) order, the same in every
 * process, so two processes adding to the same rows queue rather than deadlock. A tenant deleted since it was
 * counted is skipped: its counts have nowhere to go, and they must not fail the rest.
 */
export const addUsageSql = (deltas: UsageDelta[]) => sql`
  insert into tenant_usage_daily as u (tenant_id, day, requests, writes, realtime_events)
  select v.tenant_id, v.day, v.requests, v.writes, v.realtime_events
  from jsonb_to_recordset(${JSON.stringify(
    deltas.map((d) => ({
      tenant_id: d.tenantId,
      day: d.day,
      requests: d.requests,
      writes: d.writes,
      realtime_events: d.realtimeEvents,
    })),
  )}::jsonb) as v(tenant_id uuid, day date, requests bigint, writes bigint, realtime_events bigint)
  where exists (select 1 from tenants t where t.id = v.tenant_id)
  order by v.tenant_id, v.day
  on conflict (tenant_id, day) do update set
    requests = u.requests + excluded.requests,
    writes = u.writes + excluded.writes,
    realtime_events = u.realtime_events + excluded.realtime_events`;

export type TopUsageRow = {
  slug: string;
  requests: number;
  writes: number;
  realtimeEvents: number;
  byRequests: number;
  byWrites: number;
  byEvents: number;
  tenants: number;
  totalRequests: number;
  totalWrites: number;
  totalEvents: number;
};

/**
 * Today's (UTC) busiest tenants: the top `limit` by each of requests, writes and realtime events (a tenant
 * with none of a kind is never in its top), with each one's rank per kind, and on every row the day's totals
 * and the number of tenants counted, so a top tenant's share is visible.
 */
export const topUsageTodaySql = (limit: number) => sql`
  with ranked as (
    select u.tenant_id, u.requests, u.writes, u.realtime_events,
      row_number() over (order by u.requests desc, u.tenant_id) as by_requests,
      row_number() over (order by u.writes desc, u.tenant_id) as by_writes,
      row_number() over (order by u.realtime_events desc, u.tenant_id) as by_events,
      count(*) over () as tenants,
      sum(u.requests) over () as total_requests,
      sum(u.writes) over () as total_writes,
      sum(u.realtime_events) over () as total_events
    from tenant_usage_daily u
    where u.day = (now() at time zone 'utc')::date
  )
  select t.slug,
    r.requests::float8 as "requests", r.writes::float8 as "writes",
    r.realtime_events::float8 as "realtimeEvents",
    r.by_requests::int as "byRequests", r.by_writes::int as "byWrites", r.by_events::int as "byEvents",
    r.tenants::int as "tenants", r.total_requests::float8 as "totalRequests",
    r.total_writes::float8 as "totalWrites", r.total_events::float8 as "totalEvents"
  from ranked r join tenants t on t.id = r.tenant_id
  where (r.by_requests <= ${limit} and r.requests > 0)
    or (r.by_writes <= ${limit} and r.writes > 0)
    or (r.by_events <= ${limit} and r.realtime_events > 0)
    or r.by_requests = 1`;

import 'server-only';
import { type TopUsageRow, topUsageTodaySql } from '@/db/statements/tenant-usage';
import { withPlatform } from '@/db/with-platform';
import { collectorGauge, registerCollector } from './metrics';

/**
 * Per-tenant figures reach Prometheus only as today's top tenants: one series per tenant would be a thousand
 * series per metric at a thousand tenants. What an operator asks of them is "who is loading the platform
 * right now, and how much of it is that": so, per kind, the ten busiest tenants by slug (requests cost app
 * servers, writes cost the database, realtime events cost the Pusher bill, and the busiest differ), beside
 * the day's totals over every tenant. The full history stays in `tenant_usage_daily` for anything else.
 */
export const TOP_TENANTS = 10;

export function registerUsageReport() {
  const byKind = {
    requests: collectorGauge({
      name: 'tenantry_tenant_requests_today',
      help: `Requests served today (UTC) on an organization's host, for the ${TOP_TENANTS} organizations with the most`,
      labelNames: ['tenant'],
    }),
    writes: collectorGauge({
      name: 'tenantry_tenant_writes_today',
      help: `Writes (committed tenant actions) today (UTC), for the ${TOP_TENANTS} organizations with the most`,
      labelNames: ['tenant'],
    }),
    realtimeEvents: collectorGauge({
      name: 'tenantry_tenant_realtime_events_today',
      help: `Realtime events sent today (UTC), for the ${TOP_TENANTS} organizations with the most`,
      labelNames: ['tenant'],
    }),
  };
  const totals = collectorGauge({
    name: 'tenantry_usage_today',
    help: 'Today (UTC) over every organization: requests, writes, realtime_events, and active_tenants counted',
    labelNames: ['kind'],
  });
  registerCollector('tenant-usage', {
    gauges: [...Object.values(byKind), totals],
    async collect() {
      const rows = (await withPlatform('usage-report', (tx) =>
        tx.execute(topUsageTodaySql(TOP_TENANTS)),
      )) as unknown as TopUsageRow[];
      for (const gauge of [...Object.values(byKind), totals]) gauge.reset();
      for (const row of rows) {
        if (row.byRequests <= TOP_TENANTS && row.requests > 0)
          byKind.requests.set({ tenant: row.slug }, row.requests);
        if (row.byWrites <= TOP_TENANTS && row.writes > 0)
          byKind.writes.set({ tenant: row.slug }, row.writes);
        if (row.byEvents <= TOP_TENANTS && row.realtimeEvents > 0)
          byKind.realtimeEvents.set({ tenant: row.slug }, row.realtimeEvents);
      }
      const first = rows[0];
      totals.set({ kind: 'requests' }, first?.totalRequests ?? 0);
      totals.set({ kind: 'writes' }, first?.totalWrites ?? 0);
      totals.set({ kind: 'realtime_events' }, first?.totalEvents ?? 0);
      totals.set({ kind: 'active_tenants' }, first?.tenants ?? 0);
    },
  });
}

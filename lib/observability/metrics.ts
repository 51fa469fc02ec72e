import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { logger } from '@/lib/log';
import { withTimeout } from './timeout';

/**
 * The process's Prometheus metrics, served at /api/metrics. One registry per process, on globalThis: the
 * server in front of Next.js times requests, Next.js's bundles (several copies of this module) count
 * publishes and database use, and the scrape must see them all.
 *
 * Labels are bounded by construction: routes are templates (lib/observability/routes.ts), statuses are
 * classes, and nothing carries a tenant. Per-tenant figures live in the database instead (tenant-usage.ts).
 */

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tenantry_' });
  const registers = [registry];
  return {
    registry,
    /** Figures computed when scraped (database, queue), by name: registering twice replaces. */
    collectors: new Map<string, Collector>(),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request reaching the server to its response finishing, by route template',
      labelNames: ['method', 'host', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    dbConnectionsInUse: new Gauge({
      name: 'tenantry_db_connections_in_use',
      help: 'Database connections held by a transaction right now (every pool of this process)',
      registers,
    }),
    dbPoolSize: new Gauge({
      name: 'tenantry_db_pool_size',
      help: 'Connections per process for the runtime role (DATABASE_POOL_SIZE)',
      registers,
    }),
    dbAcquireWait: new Histogram({
      name: 'tenantry_db_acquire_wait_seconds',
      help: 'Time a transaction waited for a pooled connection (a full pool shows here first)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    dbTransactionFailures: new Counter({
      name: 'tenantry_db_transaction_failures_total',
      help: 'Transactions that failed: no connection, no free connection in time, a database error, or an error of the code inside',
      labelNames: ['kind'],
      registers,
    }),
    realtimeEvents: new Counter({
      name: 'tenantry_realtime_publish_events_total',
      help: 'Events sent to the realtime server, by outcome (failed ones stay in the outbox for the sweeper)',
      labelNames: ['outcome'],
      registers,
    }),
    collectorUp: new Gauge({
      name: 'tenantry_metrics_collector_up',
      help: '1 when a figure computed at scrape time could be read this scrape, 0 when it failed or timed out',
      labelNames: ['collector'],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for('tenantry.metrics');
const holder = globalThis as { [KEY]?: Metrics };

export function metrics(): Metrics {
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}

export function observeHttpRequest(labels: {
  method: string | undefined;
  host: string;
  route: string;
  status: number | 'aborted';
  seconds: number;
}) {
  const method = labels.method && KNOWN_METHODS.has(labels.method) ? labels.method : 'other';
  const status = labels.status === 'aborted' ? 'aborted' : `${Math.floor(labels.status / 100)}xx`;
  metrics().httpDuration.observe(
    { method, host: labels.host, route: labels.route, status },
    labels.seconds,
  );
}

export function countRealtimeEvents(outcome: 'ok' | 'failed', count: number) {
  metrics().realtimeEvents.inc({ outcome }, count);
}

/**
 * A figure read when Prometheus scrapes (a database query, the queue's depth) rather than counted as things
 * happen. `collect` computes first and sets `gauges` last; they must have labels, so that clearing them on a
 * failed scrape removes their series instead of showing zeros.
 */
export type Collector = { gauges: Gauge[]; collect: () => Promise<void> };

/**
 * A collector's gauge, made once per process: each bundled copy of a collector module asks for it, and the
 * registry refuses a second metric of the same name.
 */
export function collectorGauge<L extends string>(config: {
  name: string;
  help: string;
  labelNames: L[];
}) {
  const { registry } = metrics();
  const existing = registry.getSingleMetric(config.name);
  return (existing as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [registry] });
}

export function registerCollector(name: string, collector: Collector) {
  metrics().collectors.set(name, collector);
}

/** A scrape waits this long for each collector: a slow database must not make the whole scrape time out. */
const COLLECT_TIMEOUT_MS = 1_000;

/**
 * The exposition text. Collectors run first, side by side; one that fails or is slow is reported as down
 * (`tenantry_metrics_collector_up` 0), logged, and its series left out of this scrape rather than shown
 * stale, while the rest still answer: an outage is exactly when they matter.
 */
export async function renderMetrics(): Promise<{ contentType: string; text: string }> {
  const m = metrics();
  await Promise.all(
    [...m.collectors].map(async ([name, { gauges, collect }]) => {
      const up = await withTimeout(collect(), COLLECT_TIMEOUT_MS).then(
        () => 1,
        (error: unknown) => {
          for (const gauge of gauges) gauge.reset();
          logger().warn({ collector: name, err: error }, 'a metrics collector failed');
          return 0;
        },
      );
      m.collectorUp.set({ collector: name }, up);
    }),
  );
  return { contentType: m.registry.contentType, text: await m.registry.metrics() };
}

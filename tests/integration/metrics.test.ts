import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asSuperuser, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';
import { pointAppAtRealtime, Realm } from './realtime/harness';

const TOKEN = `metrics-${randomUUID()}`;
process.env.METRICS_TOKEN = TOKEN;

const metricsRoute = await import('@/app/api/metrics/route');
const { configureDatabase, databaseConfig } = await import('@/db/client');
const { withTenant } = await import('@/db/with-tenant');
const { databaseMetricsObserver } = await import('@/lib/observability/database-metrics');
const { collectorGauge, registerCollector } = await import('@/lib/observability/metrics');
const { observeRequests } = await import('@/lib/observability/http-observer');
const { sendEvents } = await import('@/lib/realtime/outbox');

function scrape(authorization?: string) {
  return metricsRoute.GET(
    new Request('http://localhost:3000/api/metrics', {
      headers: authorization ? { Authorization: authorization } : {},
    }),
  );
}

async function scrapeText() {
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The samples of one metric: labels and value. */
function samples(text: string, name: string) {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labels = Object.fromEntries(
        [...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [
          m[1],
          m[2],
        ]),
      );
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

let app: Sql;
let platform: Sql;
let realm: Realm;
beforeAll(async () => {
  realm = await Realm.start();
  pointAppAtRealtime(realm.server.port);
  app = connect(urls().app);
  platform = connect(urls().platform);
});
afterAll(() => Promise.all([app.end(), platform.end(), realm.close()]));

describe('GET /api/metrics', () => {
  it('refuses a scrape without the token, with a wrong one, or another scheme: 401 in the error shape', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-of-some-length',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.json()).toEqual({
        error: { code: 'unauthenticated', message: expect.stringContaining('METRICS_TOKEN') },
      });
    }
  });

  it('does not exist while METRICS_TOKEN is unset', async () => {
    vi.resetModules();
    delete process.env.METRICS_TOKEN;
    try {
      const fresh = await import('@/app/api/metrics/route');
      const response = await fresh.GET(
        new Request('http://localhost:3000/api/metrics', {
          headers: { Authorization: `Bearer ${TOKEN}` },
        }),
      );
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
    }
  });

  it('serves the process figures with the token: Node defaults under a prefix, and no cache', async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const text = await response.text();
    for (const name of [
      'tenantry_process_cpu_seconds_total',
      'tenantry_process_resident_memory_bytes',
      'tenantry_nodejs_eventloop_lag_seconds',
      'tenantry_nodejs_heap_size_used_bytes',
      'http_request_duration_seconds',
      'tenantry_db_connections_in_use',
      'tenantry_db_acquire_wait_seconds',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(samples(text, 'tenantry_metrics_collector_up')).toContainEqual({
      labels: { collector: 'tenant-usage' },
      value: 1,
    });
    // The job queue's depth, read from pg-boss's tables when scraped, for every queue the migrations made.
    expect(samples(text, 'tenantry_metrics_collector_up')).toContainEqual({
      labels: { collector: 'queue' },
      value: 1,
    });
    for (const state of ['queued', 'active', 'failed'])
      expect(samples(text, 'tenantry_queue_jobs')).toContainEqual({
        labels: { queue: 'mail', state },
        value: expect.any(Number),
      });
    expect(samples(text, 'tenantry_queue_oldest_queued_seconds')).toContainEqual({
      labels: { queue: 'cleanup' },
      value: expect.any(Number),
    });
  });
});

describe('request latency', () => {
  it('is observed by route template, host kind and status class, never by URL or tenant', async () => {
    const server = createServer(
      observeRequests({ rootDomain: 'localhost:3000' }, (req, res) => {
        res.statusCode = req.url?.startsWith('/projects/') ? 200 : 404;
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (host: string, path: string) =>
      new Promise<void>((resolve, reject) =>
        httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end(),
      );
    const slug = `lat-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i++)
      await get(`${slug}.localhost:3000`, `/projects/${randomUUID()}?q=${i}`);
    await get('localhost:3000', `/nothing-${randomUUID()}`);
    server.close();
    const text = await scrapeText();
    const counts = samples(text, 'http_request_duration_seconds_count');
    expect(counts).toContainEqual({
      labels: { method: 'GET', host: 'tenant', route: '/projects/[id]', status: '2xx' },
      value: expect.any(Number),
    });
    expect(
      counts.find((c) => c.labels.route === '/projects/[id]' && c.labels.host === 'tenant')!.value,
    ).toBeGreaterThanOrEqual(3);
    expect(counts).toContainEqual({
      labels: { method: 'GET', host: 'root', route: 'unmatched', status: '4xx' },
      value: expect.any(Number),
    });
    expect(text).not.toContain(slug);
    expect(text).not.toContain('nothing-');
  });
});

describe('database pool use', () => {
  it('counts connections held and the wait for them, from the pool hooks', async () => {
    const config = databaseConfig();
    configureDatabase({ ...config, observer: databaseMetricsObserver(config.poolSize) });
    try {
      const tenant = await seedTenant(platform, app, 'pool');
      const before = samples(await scrapeText(), 'tenantry_db_acquire_wait_seconds_count')[0]!
        .value;
      let inUse = -1;
      await withTenant({ tenantId: tenant.tenantId, userId: null }, async () => {
        inUse = samples(await scrapeText(), 'tenantry_db_connections_in_use')[0]!.value;
      });
      const after = await scrapeText();
      expect(inUse).toBeGreaterThanOrEqual(1);
      expect(samples(after, 'tenantry_db_connections_in_use')[0]!.value).toBe(inUse - 1);
      expect(samples(after, 'tenantry_db_acquire_wait_seconds_count')[0]!.value).toBeGreaterThan(
        before,
      );
      expect(samples(after, 'tenantry_db_pool_size')[0]!.value).toBe(config.poolSize);
      await expect(
        withTenant({ tenantId: tenant.tenantId, userId: null }, async () => {
          throw new Error('the code inside failed');
        }),
      ).rejects.toThrow();
      expect(
        samples(await scrapeText(), 'tenantry_db_transaction_failures_total').find(
          (s) => s.labels.kind === 'application',
        )?.value,
      ).toBeGreaterThanOrEqual(1);
    } finally {
      configureDatabase(config);
    }
  });
});

describe('realtime publishes', () => {
  it('are counted by outcome, per event', async () => {
    const outcome = async (name: string) =>
      samples(await scrapeText(), 'tenantry_realtime_publish_events_total').find(
        (s) => s.labels.outcome === name,
      )?.value ?? 0;
    const ok = await outcome('ok');
    const tenantId = randomUUID();
    const events = Array.from({ length: 12 }, (_, i) => ({
      id: randomUUID(),
      name: 'probe',
      payload: { i },
    }));
    await sendEvents(tenantId, events);
    expect(await outcome('ok')).toBe(ok + 12);

    const failed = await outcome('failed');
    const port = realm.server.port;
    await realm.close();
    await expect(sendEvents(tenantId, events)).rejects.toBeTruthy();
    expect(await outcome('failed')).toBe(failed + 10);
    expect(await outcome('ok')).toBe(ok + 12);
    realm = await Realm.start({ port });
  });
});

describe("today's busiest tenants", () => {
  let tenants: SeededTenant[];
  beforeAll(async () => {
    tenants = await Promise.all(
      Array.from({ length: 13 }, (_, i) => seedTenant(platform, app, `top${i}`)),
    );
    // Far above anything the other tests count, so these are today's top whatever else ran.
    await asSuperuser(async (sql) => {
      for (const [i, t] of tenants.entries()) {
        await sql`
          insert into tenant_usage_daily (tenant_id, day, requests, writes, realtime_events)
          values (${t.tenantId}, (now() at time zone 'utc')::date, ${1e12 + i * 1000}, ${i % 2 === 0 ? 1e12 - i : 0}, ${i < 3 ? 1e12 + i : 0})
          on conflict (tenant_id, day) do update set requests = excluded.requests,
            writes = excluded.writes, realtime_events = excluded.realtime_events`;
      }
    });
  });

  it('are shown by slug, at most ten per kind, and only those with some of that kind', async () => {
    const text = await scrapeText();
    const slugs = (name: string) => samples(text, name).map((s) => s.labels.tenant);
    const requests = slugs('tenantry_tenant_requests_today');
    const writes = slugs('tenantry_tenant_writes_today');
    const events = slugs('tenantry_tenant_realtime_events_today');
    // Most requests: the last ten seeded.
    expect(requests.sort()).toEqual(
      tenants
        .slice(3)
        .map((t) => t.slug)
        .sort(),
    );
    // Most writes: the even ones (seven of them), then whatever other tenants wrote today, ten at most.
    expect(writes.length).toBeLessThanOrEqual(10);
    expect(writes).toEqual(
      expect.arrayContaining(tenants.filter((_, i) => i % 2 === 0).map((t) => t.slug)),
    );
    expect(writes).not.toEqual(expect.arrayContaining([tenants[1]!.slug]));
    expect(events.length).toBeLessThanOrEqual(10);
    expect(events).toEqual(expect.arrayContaining(tenants.slice(0, 3).map((t) => t.slug)));
    const top = samples(text, 'tenantry_tenant_requests_today').find(
      (s) => s.labels.tenant === tenants[12]!.slug,
    );
    expect(top?.value).toBe(1e12 + 12_000);
  });

  it("add the day's totals over every tenant", async () => {
    const text = await scrapeText();
    const [totals] = await asSuperuser(
      (sql) => sql`select sum(requests)::float8 as requests, count(*)::int as tenants
        from tenant_usage_daily where day = (now() at time zone 'utc')::date`,
    );
    const total = (kind: string) =>
      samples(text, 'tenantry_usage_today').find((s) => s.labels.kind === kind)?.value;
    expect(total('requests')).toBe(totals!.requests);
    expect(total('active_tenants')).toBe(totals!.tenants);
  });
});

describe('a figure that cannot be read when scraped', () => {
  it('is reported down and left out, and the rest of the scrape still answers', async () => {
    const broken = collectorGauge({
      name: 'tenantry_test_broken_figure',
      help: 'a figure whose source fails',
      labelNames: ['part'],
    });
    broken.set({ part: 'stale' }, 1);
    registerCollector('test-broken', {
      gauges: [broken],
      collect: () => Promise.reject(new Error('the source is down')),
    });
    const text = await scrapeText();
    expect(samples(text, 'tenantry_metrics_collector_up')).toContainEqual({
      labels: { collector: 'test-broken' },
      value: 0,
    });
    expect(samples(text, 'tenantry_test_broken_figure')).toEqual([]);
    expect(text).toContain('tenantry_tenant_requests_today{');
  });
});

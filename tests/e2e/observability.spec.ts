import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_METRICS_TOKEN } from '../../scripts/e2e-settings';
import { nodeRequest, PORT } from './helpers';

/**
 * The production build's logs and metrics: the server in front of Next.js and the bundles Next.js built share
 * one registry (a request timed by the one is served by the other) and one request context.
 */

const ROOT_HOST = `localhost:${PORT}`;
const scrape = (token = E2E_METRICS_TOKEN) =>
  nodeRequest(ROOT_HOST, '/api/metrics', { Authorization: `Bearer ${token}` });

test('every answer carries a request id: a safe one sent by a proxy, else a new one', async () => {
  const sent = `e2e-${randomUUID()}`;
  expect(
    (await nodeRequest(ROOT_HOST, '/api/health', { 'X-Request-Id': sent })).headers,
  ).toMatchObject({
    'x-request-id': sent,
  });
  const fresh = await nodeRequest(ROOT_HOST, '/signup', { 'X-Request-Id': 'not ok <id>' });
  expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('metrics need the token, and show what the server in front timed, by route template', async () => {
  expect((await nodeRequest(ROOT_HOST, '/api/metrics')).status).toBe(401);
  expect((await scrape('wrong-token-of-enough-length')).status).toBe(401);

  const id = randomUUID();
  await nodeRequest(`acme-${id.slice(0, 8)}.${ROOT_HOST}`, `/projects/${id}`);
  const scraped = await scrape();
  expect(scraped.status).toBe(200);
  expect(scraped.body).toMatch(
    /^http_request_duration_seconds_count\{method="GET",host="tenant",route="\/projects\/\[id\]",status="3xx"\} [1-9]/m,
  );
  expect(scraped.body).not.toContain(id);
  expect(scraped.body).toMatch(/^tenantry_nodejs_eventloop_lag_seconds [0-9.e-]+$/m);
  expect(scraped.body).toMatch(/^tenantry_db_pool_size 10$/m);
  expect(scraped.body).toMatch(/^tenantry_metrics_collector_up\{collector="tenant-usage"\} 1$/m);
});

test("a tenant's requests reach today's usage within seconds", async () => {
  const slug = `usage-${randomUUID().slice(0, 8)}`;
  const signup = await nodeRequest(
    ROOT_HOST,
    '/api/signup',
    { 'Content-Type': 'application/json' },
    'POST',
    JSON.stringify({
      organizationName: 'Usage',
      slug,
      name: 'Usage Owner',
      email: `${slug}@example.com`,
      password: 'violet-harbor-42',
    }),
  );
  expect(signup.status).toBe(200);
  const totalRequests = (body: string) =>
    Number(/^tenantry_usage_today\{kind="requests"\} (\d+)/m.exec(body)?.[1] ?? 0);
  const before = totalRequests((await scrape()).body);
  for (let i = 0; i < 3; i++) await nodeRequest(`${slug}.${ROOT_HOST}`, '/login');
  // Each process adds its counts every 5 seconds.
  await expect(async () => {
    expect(totalRequests((await scrape()).body)).toBeGreaterThanOrEqual(before + 3);
  }).toPass({ timeout: 15_000 });
});

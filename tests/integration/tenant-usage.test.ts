import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, configureDatabase, databaseConfig } from '@/db/client';
import { UsageCounter } from '@/lib/observability/tenant-usage';
import { asSuperuser, connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';

let app: Sql;
let platform: Sql;
let a: SeededTenant;
let b: SeededTenant;
beforeAll(async () => {
  app = connect(urls().app);
  platform = connect(urls().platform);
  [a, b] = await Promise.all([
    seedTenant(platform, app, 'usage-a'),
    seedTenant(platform, app, 'usage-b'),
  ]);
});
afterAll(() => Promise.all([app.end(), platform.end()]));

const today = () => new Date().toISOString().slice(0, 10);

async function usageOf(tenantId: string, day = today()) {
  return asSuperuser(async (sql) => {
    const [row] = await sql`
      select requests::int, writes::int, realtime_events::int as "realtimeEvents"
      from tenant_usage_daily where tenant_id = ${tenantId} and day = ${day}`;
    return row ?? null;
  });
}

describe('per-tenant usage counters', () => {
  it('add up across processes flushing the same rows at the same time, and lose no count', async () => {
    // Two processes' counters, each counting both tenants (in opposite orders) while flushing.
    const first = new UsageCounter();
    const second = new UsageCounter();
    const flushes: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5; i++) {
        first.add(a.tenantId, { requests: 1 });
        first.add(b.tenantId, { writes: 1, realtimeEvents: 2 });
        second.add(b.tenantId, { requests: 1 });
        second.add(a.tenantId, { writes: 1, realtimeEvents: 3 });
      }
      // Flushes overlap: each counter's own, and the two counters' with each other.
      flushes.push(first.flush(), second.flush(), first.flush());
    }
    await Promise.all(flushes);
    await Promise.all([first.flush(), second.flush()]);
    expect(await usageOf(a.tenantId)).toEqual({ requests: 100, writes: 100, realtimeEvents: 300 });
    expect(await usageOf(b.tenantId)).toEqual({ requests: 100, writes: 100, realtimeEvents: 200 });
  });

  it('keeps the counts of a flush that failed, and saves them with the next one', async () => {
    const tenant = await seedTenant(platform, app, 'usage-outage');
    const counter = new UsageCounter();
    counter.add(tenant.tenantId, { requests: 7 });
    const config = databaseConfig();
    await closeDatabase();
    configureDatabase({ ...config, platformUrl: 'postgres://nobody:pw@127.0.0.1:1/none' });
    try {
      await expect(counter.flush()).rejects.toBeTruthy();
      counter.add(tenant.tenantId, { requests: 1 });
    } finally {
      await closeDatabase();
      configureDatabase(config);
    }
    await counter.flush();
    expect(await usageOf(tenant.tenantId)).toEqual({ requests: 8, writes: 0, realtimeEvents: 0 });
    // Nothing is left to add twice.
    await counter.flush();
    expect((await usageOf(tenant.tenantId))?.requests).toBe(8);
  });

  it('drops counts of days the database no longer takes, instead of failing every flush after them', async () => {
    const tenant = await seedTenant(platform, app, 'usage-stale');
    const counter = new UsageCounter();
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    counter.add(tenant.tenantId, { requests: 5 }, longAgo);
    counter.add(tenant.tenantId, { requests: 2 });
    await counter.flush();
    expect((await usageOf(tenant.tenantId))?.requests).toBe(2);
    expect(await usageOf(tenant.tenantId, longAgo.toISOString().slice(0, 10))).toBeNull();
  });

  it('skips a tenant deleted since it was counted, and saves the others', async () => {
    const doomed = await seedTenant(platform, app, 'usage-doomed');
    const counter = new UsageCounter();
    counter.add(doomed.tenantId, { requests: 3 });
    counter.add(randomUUID(), { requests: 3 });
    counter.add(a.tenantId, { requests: 3 });
    const before = (await usageOf(a.tenantId))?.requests ?? 0;
    await asSuperuser((sql) => sql`delete from tenants where id = ${doomed.tenantId}`);
    await counter.flush();
    expect((await usageOf(a.tenantId))?.requests).toBe(before + 3);
    expect(await usageOf(doomed.tenantId)).toBeNull();
  });
});

describe('the platform role on tenant_usage_daily', () => {
  const lastWeek = () => new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);

  it('cannot write history: no insert or change for a day before yesterday, and no delete', async () => {
    await expect(
      platform`insert into tenant_usage_daily (tenant_id, day, requests) values (${a.tenantId}, ${lastWeek()}, 1)`,
    ).rejects.toThrow(/row-level security/);
    await asSuperuser(
      (sql) =>
        sql`insert into tenant_usage_daily (tenant_id, day, requests) values (${b.tenantId}, ${lastWeek()}, 5)`,
    );
    const updated =
      await platform`update tenant_usage_daily set requests = 0 where tenant_id = ${b.tenantId} and day = ${lastWeek()}`;
    expect(updated.count).toBe(0);
    await expect(
      platform`delete from tenant_usage_daily where tenant_id = ${b.tenantId}`,
    ).rejects.toThrow(/permission denied/);
    await expect(
      platform`update tenant_usage_daily set tenant_id = ${a.tenantId} where tenant_id = ${b.tenantId}`,
    ).rejects.toThrow(/permission denied/);
    expect((await usageOf(b.tenantId, lastWeek()))?.requests).toBe(5);
  });

  it('is the only runtime role that reaches it: the app role reads nothing, even its own tenant', async () => {
    await expect(
      app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
        return tx`select * from tenant_usage_daily`;
      }),
    ).rejects.toThrow(/permission denied/);
  });
});

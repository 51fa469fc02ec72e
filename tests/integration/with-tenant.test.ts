import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SeededTenant, type Sql, seedTenant, urls } from '../support/db';

// One pooled connection, so every transaction below reuses the one before it: a leak could not hide.
process.env.DATABASE_POOL_SIZE = '1';
const { queryWithTenant, withTenant } = await import('@/db/with-tenant');
const { withPlatform } = await import('@/db/with-platform');
const { appConnection } = await import('@/db/client');

let app: Sql;
let platform: Sql;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  app = connect(urls().app);
  platform = connect(urls().platform);
  a = await seedTenant(platform, app, 'wt-a');
  b = await seedTenant(platform, app, 'wt-b');
});
afterAll(async () => {
  await Promise.all([app.end(), platform.end()]);
});

/** Drizzle wraps the database's error; its cause is PostgreSQL's own message. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: Error) => (e.cause instanceof Error ? e.cause.message : e.message),
  );
const projectNames = (rows: Record<string, unknown>[]) => rows.map((r) => r.name);
const outsideAnyTransaction = () =>
  appConnection()
    .sql`select current_setting('app.tenant_id', true) as tenant, (select count(*)::int from projects) as visible`;

describe('withTenant (the settings are pipelined with the first statement)', () => {
  it('has the tenant in place for its very first statement', async () => {
    const [row] = await withTenant({ tenantId: a.tenantId, userId: a.userId }, (tx) =>
      tx.execute(
        sql`select current_setting('app.tenant_id') as tenant, current_setting('app.user_id') as user_id`,
      ),
    );
    expect(row).toEqual({ tenant: a.tenantId, user_id: a.userId });
  });

  it('leaves nothing behind on the pooled connection, after a commit or a failure', async () => {
    const seen = await withTenant({ tenantId: a.tenantId, userId: a.userId }, (tx) =>
      tx.execute(sql`select name from projects`),
    );
    expect(projectNames(seen)).toEqual([a.canary]);
    expect(await outsideAnyTransaction()).toEqual([{ tenant: '', visible: 0 }]);

    expect(
      await failure(
        withTenant({ tenantId: a.tenantId, userId: a.userId }, async (tx) => {
          await tx.execute(
            sql`insert into projects (tenant_id, name) values (${a.tenantId}, 'doomed')`,
          );
          await tx.execute(sql`select 1 / 0`);
        }),
      ),
    ).toMatch(/division by zero/);
    expect(await outsideAnyTransaction()).toEqual([{ tenant: '', visible: 0 }]);
    const after = await withTenant({ tenantId: a.tenantId, userId: null }, (tx) =>
      tx.execute(sql`select name from projects`),
    );
    expect(projectNames(after)).toEqual([a.canary]);
  });

  it('rolls back when the callback throws before running any statement', async () => {
    await expect(
      withTenant({ tenantId: a.tenantId, userId: null }, async () => {
        throw new Error('refused before any statement');
      }),
    ).rejects.toThrow('refused before any statement');
    expect(await outsideAnyTransaction()).toEqual([{ tenant: '', visible: 0 }]);
  });

  it('keeps 200 interleaved A/B transactions, with pipelined statements, to their own rows', async () => {
    const runs = Array.from({ length: 200 }, (_, i) => {
      const t = i % 2 === 0 ? a : b;
      return withTenant({ tenantId: t.tenantId, userId: t.userId }, async (tx) => {
        const [projects, tenants] = await Promise.all([
          tx.execute(sql`select tenant_id, name from projects`),
          tx.execute(sql`select id from tenants`),
        ]);
        return {
          expected: t.tenantId,
          seen: [...new Set([...projects.map((r) => r.tenant_id), ...tenants.map((r) => r.id)])],
        };
      });
    });
    for (const r of await Promise.all(runs)) expect(r.seen).toEqual([r.expected]);
  });

  it('refuses a tenant id that is not a UUID before touching the database', async () => {
    await expect(
      withTenant({ tenantId: "x', true); --", userId: null }, async () => 1),
    ).rejects.toThrow(/UUID/);
  });
});

describe('queryWithTenant (one statement, with its BEGIN and COMMIT in one write)', () => {
  it('runs under the tenant, commits its writes, and leaves nothing behind', async () => {
    const seen = await queryWithTenant<{ name: string; tenant: string }>(
      { tenantId: b.tenantId, userId: b.userId },
      sql`select name, current_setting('app.tenant_id') as tenant from projects`,
    );
    expect(seen).toEqual([{ name: b.canary, tenant: b.tenantId }]);
    await queryWithTenant(
      { tenantId: b.tenantId, userId: b.userId },
      sql`update projects set version = 1000 where tenant_id = ${b.tenantId}`,
    );
    const [row] = await queryWithTenant<{ version: number }>(
      { tenantId: b.tenantId, userId: null },
      sql`select version from projects`,
    );
    expect(row!.version).toBe(1000);
    expect(await outsideAnyTransaction()).toEqual([{ tenant: '', visible: 0 }]);
  });

  it('rolls a failed statement back, keeps the connection usable, and refuses a bad context', async () => {
    expect(
      await failure(
        queryWithTenant(
          { tenantId: a.tenantId, userId: null },
          sql`with doomed as (insert into projects (tenant_id, name) values (${a.tenantId}, 'doomed') returning 1)
            select 1 / 0 from doomed`,
        ),
      ),
    ).toMatch(/division by zero/);
    expect(await outsideAnyTransaction()).toEqual([{ tenant: '', visible: 0 }]);
    const after = await queryWithTenant<{ name: string }>(
      { tenantId: a.tenantId, userId: null },
      sql`select name from projects`,
    );
    expect(after.map((r) => r.name)).toEqual([a.canary]);
    await expect(
      queryWithTenant({ tenantId: 'not-a-uuid', userId: null }, sql`select 1`),
    ).rejects.toThrow(/UUID/);
  });

  it('keeps 100 interleaved A/B statements to their own rows', async () => {
    const runs = Array.from({ length: 100 }, async (_, i) => {
      const t = i % 2 === 0 ? a : b;
      const rows = await queryWithTenant<{ tenant_id: string }>(
        { tenantId: t.tenantId, userId: t.userId },
        sql`select tenant_id from projects`,
      );
      return { expected: t.tenantId, seen: [...new Set(rows.map((r) => r.tenant_id))] };
    });
    for (const r of await Promise.all(runs)) expect(r.seen).toEqual([r.expected]);
  });
});

describe('withPlatform', () => {
  it('reaches only what the platform role may', async () => {
    const [tenant] = await withPlatform('resolve-tenant-host', (tx) =>
      tx.execute(sql`select slug from tenants where id = ${a.tenantId}`),
    );
    expect(tenant?.slug).toBe(a.slug);
    expect(
      await failure(
        withPlatform('resolve-tenant-host', (tx) => tx.execute(sql`select * from projects`)),
      ),
    ).toMatch(/permission denied/);
  });
});

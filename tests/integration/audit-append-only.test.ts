import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTenant, connect, type SeededTenant, type Sql, seedTenant } from '../support/db';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';

// The purge deletes across every tenant and its counts are asserted: a database of its own.
const own = await createOwnDatabase('audit_append_only');
await pointAtOwnDatabase(own);

const { purgeExpiredAuditEvents, auditRetentionJob } = await import('@/lib/jobs/audit-retention');

let superuser: Sql;
let owner: Sql;
let app: Sql;
let platform: Sql;
let worker: Sql;
let a: SeededTenant;

const REFUSED = /permission denied/;

/** Inserts an entry `age` old (an interval) into `tenantId`'s trail, as the superuser, and returns its id. */
async function entry(tenantId: string, age: string, action = 'test.entry') {
  const [row] = await superuser`
    insert into audit_events (tenant_id, action, created_at)
    values (${tenantId}, ${action}, now() - ${age}::interval) returning id`;
  return row!.id as string;
}

const count = async (tenantId: string) =>
  (await superuser`select count(*)::int as n from audit_events where tenant_id = ${tenantId}`)[0]!
    .n as number;

const setRetention = (tenantId: string, days: number | null) =>
  superuser`update tenants set audit_retention_days = ${days} where id = ${tenantId}`;

beforeAll(async () => {
  superuser = connect(own.superuser, 1);
  owner = connect(own.owner, 1);
  app = connect(own.app, 1);
  platform = connect(own.platform, 1);
  worker = connect(own.worker, 1);
  a = await seedTenant(platform, app, 'append-only');
  await entry(a.tenantId, '1 minute');
});

afterAll(() =>
  Promise.all([superuser.end(), owner.end(), app.end(), platform.end(), worker.end()]),
);

describe('the audit trail is append-only for every role', () => {
  type Runner = Pick<Sql, 'unsafe'>;
  const STATEMENTS = [
    "update audit_events set action = 'tampered'",
    'delete from audit_events',
    'truncate audit_events',
  ];
  const changes = (sql: Runner) => STATEMENTS.map((statement) => () => sql.unsafe(statement));

  it('refuses the runtime role in its tenant context', async () => {
    for (const statement of STATEMENTS) {
      await expect(
        asTenant(app, a.tenantId, a.userId, (tx) => tx.unsafe(statement)),
      ).rejects.toThrow(REFUSED);
    }
  });

  it('refuses the platform and worker roles', async () => {
    for (const sql of [platform, worker]) {
      for (const change of changes(sql)) await expect(change()).rejects.toThrow(REFUSED);
    }
  });

  it('refuses the table owner, whose privileges the trigger overrides', async () => {
    for (const change of changes(owner)) await expect(change()).rejects.toThrow(REFUSED);
  });

  it('refuses even a superuser, which bypasses RLS and every grant', async () => {
    for (const change of changes(superuser)) await expect(change()).rejects.toThrow(/append-only/);
    expect(await count(a.tenantId)).toBeGreaterThan(0);
  });

  it('gains nothing from setting the purge flag by hand, for any role', async () => {
    const withFlag = (sql: Sql) =>
      sql.begin(async (tx) => {
        await tx`select set_config('tenantry.audit_purge', 'on', true)`;
        return tx`delete from audit_events where tenant_id = ${a.tenantId}`;
      });
    const before = await count(a.tenantId);
    // The superuser is neither the owner nor a worker session; the owner is not a worker session; the worker
    // and the runtime role are not the owner.
    await expect(withFlag(superuser)).rejects.toThrow(/append-only/);
    await expect(withFlag(owner)).rejects.toThrow(/append-only/);
    await expect(withFlag(worker)).rejects.toThrow(REFUSED);
    await expect(
      asTenant(app, a.tenantId, a.userId, async (tx) => {
        await tx`select set_config('tenantry.audit_purge', 'on', true)`;
        return tx`delete from audit_events`;
      }),
    ).rejects.toThrow(REFUSED);
    expect(await count(a.tenantId)).toBe(before);
  });

  it('lets only the worker role run the purge function', async () => {
    for (const sql of [app, platform]) {
      await expect(sql`select purge_expired_audit_events(10)`).rejects.toThrow(REFUSED);
    }
    await expect(
      asTenant(app, a.tenantId, a.userId, (tx) => tx`select purge_expired_audit_events(10)`),
    ).rejects.toThrow(REFUSED);
    const [row] = await worker`select purge_expired_audit_events(10) as n`;
    expect(typeof row!.n).toBe('number');
  });

  it('shows the owner role nothing, even with the flag set, outside the purge', async () => {
    const rows = await owner.begin(async (tx) => {
      await tx`select set_config('tenantry.audit_purge', 'on', true)`;
      return tx`select id from audit_events`;
    });
    expect(rows).toEqual([]);
  });
});

describe('the retention purge', () => {
  it('deletes, per organization, the entries older than its retention, and nothing else', async () => {
    const short = await seedTenant(platform, app, 'retention-90');
    const long = await seedTenant(platform, app, 'retention-365');
    const forever = await seedTenant(platform, app, 'retention-forever');
    await setRetention(short.tenantId, 90);
    await setRetention(long.tenantId, 365);
    await setRetention(forever.tenantId, null);
    const doomed = [
      await entry(short.tenantId, '91 days'),
      await entry(short.tenantId, '400 days'),
      await entry(long.tenantId, '366 days'),
    ];
    // Five more past 90 days, so that a small batch size takes several batches.
    for (let i = 0; i < 5; i++) doomed.push(await entry(short.tenantId, `${100 + i} days`));
    const kept = [
      await entry(short.tenantId, '89 days'),
      await entry(long.tenantId, '91 days'),
      await entry(long.tenantId, '364 days'),
      await entry(forever.tenantId, '5000 days'),
    ];

    expect(await purgeExpiredAuditEvents({ batchRows: 3 })).toBe(doomed.length);
    const left = await superuser`
      select id from audit_events where tenant_id in ${superuser([short.tenantId, long.tenantId, forever.tenantId])}`;
    const ids = left.map((r) => r.id as string);
    for (const id of kept) expect(ids).toContain(id);
    for (const id of doomed) expect(ids).not.toContain(id);

    // Idempotent: a second run (the job retried, two workers) finds nothing more.
    expect(await purgeExpiredAuditEvents({ batchRows: 3 })).toBe(0);
    await auditRetentionJob.run(undefined, { id: 'test', retryCount: 0, retryLimit: 0 });
    expect(await count(forever.tenantId)).toBe(1);
  });

  it('stops after its batch bound and carries on in the next run', async () => {
    const t = await seedTenant(platform, app, 'retention-bound');
    await setRetention(t.tenantId, 90);
    for (let i = 0; i < 7; i++) await entry(t.tenantId, `${200 + i} days`);
    expect(await purgeExpiredAuditEvents({ batchRows: 2, maxBatches: 2 })).toBe(4);
    expect(await count(t.tenantId)).toBe(3);
    expect(await purgeExpiredAuditEvents({ batchRows: 2 })).toBe(3);
    expect(await count(t.tenantId)).toBe(0);
  });

  it('refuses a batch size out of bounds', async () => {
    await expect(worker`select purge_expired_audit_events(0)`).rejects.toThrow(/batch_rows/);
    await expect(worker`select purge_expired_audit_events(100000)`).rejects.toThrow(/batch_rows/);
  });
});

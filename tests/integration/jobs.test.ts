import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { connect, type SeededTenant, type Sql, seedTenant } from '../support/db';
import { runPendingJobs, stopPendingJobs } from '../support/jobs';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';

// Its jobs to itself: another file's helper would otherwise run this file's jobs in its own process.
const own = await createOwnDatabase('jobs');
await pointAtOwnDatabase(own);

const { withTenant } = await import('@/db/with-tenant');
const { projects } = await import('@/db/schema');
const { enqueue } = await import('@/lib/jobs/enqueue');
const { tenantJob } = await import('@/lib/jobs/tenant-job');
const { mailJob } = await import('@/lib/mail/mail-job');
const { queueMail } = await import('@/lib/mail/queue-mail');
const { logger } = await import('@/lib/log');

let app: Sql;
let platform: Sql;
let superuser: Sql;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  app = connect(own.app, 2);
  platform = connect(own.platform, 2);
  superuser = connect(own.superuser, 1);
  a = await seedTenant(platform, app, 'jobs-a');
  b = await seedTenant(platform, app, 'jobs-b');
});
afterAll(() => Promise.all([app.end(), platform.end(), superuser.end(), stopPendingJobs()]));

const jobRow = async (id: string) =>
  (
    await superuser`
      select name, data, state, retry_count, retry_limit, retry_delay, retry_backoff,
        extract(epoch from expire_in)::int as expire_seconds, output
      from pgboss.job where id = ${id}`
  )[0];

const rolledBack = new Error('roll back');

describe('sending a job in the transaction of the change', () => {
  it('sends nothing when the change rolls back, and always a job when it commits', async () => {
    let messageId = '';
    const visibleBeforeCommit: number[] = [];
    const name = `project-${randomUUID()}`;
    const change = (fail: boolean) =>
      withTenant({ tenantId: a.tenantId, userId: a.userId }, async (tx) => {
        await tx.insert(projects).values({ tenantId: a.tenantId, name, createdBy: a.userId });
        messageId = await queueMail(tx, a.tenantId, {
          to: 'owner@example.test',
          subject: name,
          text: 'A project was created.',
        });
        visibleBeforeCommit.push(
          (await superuser`select 1 from pgboss.job where data->>'messageId' = ${messageId}`)
            .length,
        );
        if (fail) throw rolledBack;
      });

    await expect(change(true)).rejects.toBe(rolledBack);
    expect(
      await superuser`select 1 from pgboss.job where data->>'messageId' = ${messageId}`,
    ).toEqual([]);
    expect(await superuser`select 1 from outgoing_mail where id = ${messageId}`).toEqual([]);
    expect(await superuser`select 1 from projects where name = ${name}`).toEqual([]);

    await change(false);
    // No worker could see either job before its transaction ended.
    expect(visibleBeforeCommit).toEqual([0, 0]);
    const [job] =
      await superuser`select id, name, data from pgboss.job where data->>'messageId' = ${messageId}`;
    expect(job).toMatchObject({ name: 'mail', data: { tenantId: a.tenantId, messageId } });
    expect(await superuser`select status from outgoing_mail where id = ${messageId}`).toEqual([
      { status: 'queued' },
    ]);
  });

  it("gives each job its queue's retry and expiry settings", async () => {
    const id = await withTenant({ tenantId: a.tenantId, userId: null }, (tx) =>
      enqueue(tx, 'cleanup', {}),
    );
    expect(await jobRow(id)).toMatchObject({
      name: 'cleanup',
      state: 'created',
      retry_limit: 0,
      retry_delay: 0,
      retry_backoff: false,
      expire_seconds: 600,
    });
    await superuser`delete from pgboss.job where id = ${id}`;
  });

  it('refuses a queue that no migration created', async () => {
    await expect(
      withTenant({ tenantId: a.tenantId, userId: null }, (tx) =>
        enqueue(tx, 'made-up' as never, {}),
      ),
    ).rejects.toThrow('No queue "made-up"');
  });
});

describe('tenantJob', () => {
  const attempt = (retryCount = 0, retryLimit = 2) => ({
    id: randomUUID(),
    retryCount,
    retryLimit,
  });

  it('refuses to send data with fields beyond its own, or without a tenant', async () => {
    for (const data of [
      { tenantId: a.tenantId, messageId: randomUUID(), token: 'a live reset token' },
      { tenantId: 'acme', messageId: randomUUID() },
      { messageId: randomUUID() },
    ]) {
      await expect(
        withTenant({ tenantId: a.tenantId, userId: null }, (tx) =>
          mailJob.enqueue(tx, data as never),
        ),
      ).rejects.toThrow(z.ZodError);
    }
  });

  it('fails a job whose data does not parse for good, at once, with a clear logged error', async () => {
    const errors = vi.spyOn(logger(), 'error');
    const id = randomUUID();
    await superuser`
      insert into pgboss.job (id, name, data, retry_limit)
      values (${id}, 'mail', ${superuser.json({ tenantId: 'not-a-uuid', messageId: 42 })}, 5)`;
    await runPendingJobs({ queue: 'mail' });
    const job = await jobRow(id);
    expect(job).toMatchObject({ state: 'failed', retry_count: 0 });
    expect(job!.output.message).toMatch(/The data of this mail job is invalid.*tenantId/s);
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ queue: 'mail', jobId: id }),
      'job failed for good: it cannot succeed',
    );
    errors.mockRestore();
  });

  it("runs its handler in the named tenant's context only: another tenant's rows stay invisible", async () => {
    const seen: { names: string[]; tenant: string; user: string }[] = [];
    const probe = tenantJob('mail', z.object({}), async (_data, tx) => {
      const rows = await tx.select({ name: projects.name }).from(projects);
      const [context] = await tx.execute<{ tenant: string; user: string }>(
        sql`select current_setting('app.tenant_id') as tenant, current_setting('app.user_id') as user`,
      );
      seen.push({ names: rows.map((r) => r.name), tenant: context!.tenant, user: context!.user });
    });
    await probe.run({ tenantId: a.tenantId }, attempt());
    await probe.run({ tenantId: b.tenantId }, attempt());
    expect(seen.map(({ tenant, user }) => ({ tenant, user }))).toEqual([
      { tenant: a.tenantId, user: '' },
      { tenant: b.tenantId, user: '' },
    ]);
    expect(seen[0]!.names).toContain(a.canary);
    expect(seen[0]!.names).not.toContain(b.canary);
    expect(seen[1]!.names).toEqual([b.canary]);
  });

  it('rolls a failed handler back and notes the attempt apart, saying whether it was the last', async () => {
    const name = `written-then-failed-${randomUUID()}`;
    const failures: { final: boolean; tenant: string; message: string }[] = [];
    const failing = tenantJob(
      'mail',
      z.object({}),
      async (data, tx) => {
        await tx.insert(projects).values({ tenantId: data.tenantId, name });
        throw new Error('the handler failed');
      },
      {
        onFailure: async (_data, tx, { error, final }) => {
          const [context] = await tx.execute<{ tenant: string }>(
            sql`select current_setting('app.tenant_id') as tenant`,
          );
          failures.push({ final, tenant: context!.tenant, message: (error as Error).message });
        },
      },
    );
    await expect(failing.run({ tenantId: a.tenantId }, attempt(0, 2))).rejects.toThrow(
      'the handler failed',
    );
    await expect(failing.run({ tenantId: a.tenantId }, attempt(2, 2))).rejects.toThrow(
      'the handler failed',
    );
    expect(failures).toEqual([
      { final: false, tenant: a.tenantId, message: 'the handler failed' },
      { final: true, tenant: a.tenantId, message: 'the handler failed' },
    ]);
    expect(await superuser`select 1 from projects where name = ${name}`).toEqual([]);
  });
});

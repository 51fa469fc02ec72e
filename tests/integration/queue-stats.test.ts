import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../support/db';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';

// Counts every job of every queue: its own database, where no other file sends any.
const own = await createOwnDatabase('queue_stats');
await pointAtOwnDatabase(own);

const { getQueueStats } = await import('@/lib/jobs/stats');

let superuser: Sql;
beforeAll(() => {
  superuser = connect(own.superuser, 1);
});
afterAll(() => superuser.end());

const zero = { queued: 0, active: 0, failed: 0, oldestQueuedSeconds: 0 };

describe('queue health (getQueueStats)', () => {
  it('lists every queue, idle ones with zeros', async () => {
    expect(await getQueueStats()).toEqual([
      { queue: '__pgboss__send-it', ...zero },
      { queue: 'audit-retention', ...zero },
      { queue: 'cleanup', ...zero },
      { queue: 'mail', ...zero },
    ]);
  });

  it('counts waiting, running and failed jobs, and how long the oldest due one has waited', async () => {
    await superuser`
      insert into pgboss.job (name, state, start_after) values
        ('mail', 'created', now() - interval '90 seconds'),
        ('mail', 'created', now()),
        ('mail', 'retry', now() + interval '5 minutes'),
        ('mail', 'active', now() - interval '1 hour'),
        ('mail', 'failed', now() - interval '1 hour'),
        ('mail', 'completed', now() - interval '1 hour'),
        ('cleanup', 'retry', now() + interval '1 minute')`;
    const stats = await getQueueStats();
    expect(stats.find((s) => s.queue === 'mail')).toEqual({
      queue: 'mail',
      queued: 3,
      active: 1,
      failed: 1,
      oldestQueuedSeconds: expect.closeTo(90, -1),
    });
    // A retry that is not due yet waits, but nobody is late for it.
    expect(stats.find((s) => s.queue === 'cleanup')).toEqual({
      queue: 'cleanup',
      ...zero,
      queued: 1,
    });
  });

  it('is open to the platform role only, through a definer function with a pinned search path', async () => {
    for (const url of [own.app, own.worker]) {
      const sql = connect(url, 1);
      await expect(sql`select * from tenantry_queue_stats()`).rejects.toThrow(
        /permission denied for function/,
      );
      await sql.end();
    }
    const [fn] = await superuser`
      select p.prosecdef, pg_get_userbyid(p.proowner) as owner, p.proconfig
      from pg_proc p where p.proname = 'tenantry_queue_stats'`;
    expect(fn).toEqual({
      prosecdef: true,
      owner: 'tenantry_owner',
      proconfig: ['search_path=pg_catalog, pg_temp'],
    });
  });
});

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, SCHEDULE_QUEUE } from '@/lib/jobs/queues';
import { asSuperuser, connect, type Sql, urls } from '../support/db';
import { createOwnDatabase } from '../support/own-database';

let app: Sql;
let platform: Sql;
let worker: Sql;

beforeAll(() => {
  app = connect(urls().app, 1);
  platform = connect(urls().platform, 1);
  worker = connect(urls().worker, 1);
});
afterAll(() => Promise.all([app.end(), platform.end(), worker.end()]));

const DENIED = /permission denied/;

/** Statements of a SQL text, split on `;` outside dollar quotes, without comments, whitespace collapsed. */
function statements(text: string) {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  const body = text.replace(/--> statement-breakpoint/g, '').replace(/^\s*--.*$/gm, '');
  for (let i = 0; i < body.length; i++) {
    if (body.startsWith('$$', i)) {
      quoted = !quoted;
      current += '$$';
      i++;
    } else if (body[i] === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += body[i];
  }
  out.push(current);
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

describe("pg-boss's schema, made by migrations", () => {
  it("is the installed pg-boss's own construction plan, without its transaction and lock", () => {
    const plan = statements(PgBoss.getConstructionPlans('pgboss')).filter(
      (s) => !/^(BEGIN|COMMIT|SET LOCAL|SELECT pg_advisory_xact_lock)\b/.test(s),
    );
    const migration = statements(
      readFileSync(new URL('../../db/migrations/0023_pgboss.sql', import.meta.url), 'utf8'),
    );
    expect(plan.length).toBeGreaterThan(10);
    expect(migration.slice(0, plan.length)).toEqual(plan);
  });

  it('has every queue the app uses, with the settings lib/jobs/queues.ts states', async () => {
    const rows = await asSuperuser(
      (sql) => sql`
        select name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds from pgboss.queue`,
    );
    for (const queue of Object.values(QUEUES)) {
      expect(rows.find((r) => r.name === queue.name)).toEqual({
        name: queue.name,
        policy: queue.policy,
        retry_limit: queue.retryLimit,
        retry_delay: queue.retryDelay,
        retry_backoff: queue.retryBackoff,
        expire_seconds: queue.expireInSeconds,
      });
    }
    expect(rows.map((r) => r.name).sort()).toEqual(
      [...Object.values(QUEUES).map((q) => q.name), SCHEDULE_QUEUE].sort(),
    );
  });

  it('lets pg-boss start as the worker role without migrating, scheduling and maintaining', async () => {
    const boss = new PgBoss({ connectionString: urls().worker, migrate: false, max: 2 });
    const errors: Error[] = [];
    boss.on('error', (error) => errors.push(error));
    await boss.start();
    try {
      // What the worker does at start-up besides fetching: register a schedule (an upsert, twice).
      await boss.schedule(QUEUES.cleanup.name, '0 4 * * *');
      await boss.schedule(QUEUES.cleanup.name, '0 4 * * *');
      expect(await boss.getSchedules()).toContainEqual(
        expect.objectContaining({ name: QUEUES.cleanup.name, cron: '0 4 * * *' }),
      );
      // Maintenance: expire jobs of dead workers, archive finished ones, drop old archives.
      await boss.maintain();
      expect(errors).toEqual([]);
    } finally {
      // The worker never removes a schedule, so it may not: the superuser does.
      await asSuperuser(
        (sql) => sql`delete from pgboss.schedule where name = ${QUEUES.cleanup.name}`,
      );
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it('refuses to start pg-boss on a schema of another version', async () => {
    // In a database of its own: every other file's pg-boss would refuse to start meanwhile.
    const own = await createOwnDatabase('pgboss_version');
    const superuser = connect(own.superuser, 1);
    try {
      await superuser`update pgboss.version set version = version - 1`;
      const boss = new PgBoss({ connectionString: own.worker, migrate: false, max: 1 });
      await expect(boss.start()).rejects.toThrow('pg-boss database requires migrations');
      expect(await superuser`select count(*)::int as n from pgboss.version`).toEqual([{ n: 1 }]);
    } finally {
      await superuser.end();
    }
  });
});

describe('what each role may do with jobs', () => {
  const job = () => ({
    id: randomUUID(),
    data: { tenantId: randomUUID(), messageId: randomUUID() },
  });
  const insert = (sql: Sql, j: ReturnType<typeof job>) =>
    sql`insert into pgboss.job (id, name, data) values (${j.id}, 'mail', ${sql.json(j.data)})`;

  it('the runtime and platform roles insert jobs and can neither read, change nor delete one', async () => {
    for (const sql of [app, platform]) {
      const j = job();
      await insert(sql, j);
      await expect(sql`select id from pgboss.job`).rejects.toThrow(DENIED);
      await expect(sql`select data from pgboss.archive`).rejects.toThrow(DENIED);
      await expect(
        sql`update pgboss.job set state = 'completed' where id = ${j.id}`,
      ).rejects.toThrow(DENIED);
      await expect(sql`delete from pgboss.job where id = ${j.id}`).rejects.toThrow(DENIED);
      await expect(
        sql`insert into pgboss.job (name, data) values ('mail', '{}') returning id`,
      ).rejects.toThrow(DENIED);
      await expect(sql`select * from pgboss.schedule`).rejects.toThrow(DENIED);
      const [row] = await asSuperuser(
        (su) => su`select state, data from pgboss.job where id = ${j.id}`,
      );
      expect(row).toEqual({ state: 'created', data: j.data });
      await asSuperuser((su) => su`delete from pgboss.job where id = ${j.id}`);
    }
  });

  it('no runtime role creates or drops a queue, or any table of pg-boss', async () => {
    for (const sql of [app, platform, worker]) {
      await expect(sql`select pgboss.create_queue('made-at-run-time', '{}')`).rejects.toThrow(
        DENIED,
      );
      await expect(sql`select pgboss.delete_queue('mail')`).rejects.toThrow(DENIED);
      await expect(sql`create table pgboss.made_at_run_time (id int)`).rejects.toThrow(DENIED);
      await expect(
        sql`insert into pgboss.queue (name, policy) values ('made-at-run-time', 'standard')`,
      ).rejects.toThrow(DENIED);
    }
  });

  it('the worker role reads and settles jobs but reaches no tenant data beyond dead rows', async () => {
    const j = job();
    await insert(app, j);
    const [claimed] = await worker`
      update pgboss.job set state = 'active', started_on = now() where name = 'mail' and id = ${j.id}
      returning data`;
    expect(claimed).toEqual({ data: j.data });
    await worker`delete from pgboss.job where name = 'mail' and id = ${j.id}`;
    await expect(worker`select * from projects`).rejects.toThrow(DENIED);
    await expect(worker`select token_hash, user_id from single_use_tokens`).rejects.toThrow(DENIED);
    await expect(worker`select sealed_body from outgoing_mail`).rejects.toThrow(DENIED);
  });
});

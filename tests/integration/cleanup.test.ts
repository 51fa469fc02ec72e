import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SeededTenant, type Sql, seedTenant } from '../support/db';
import { runPendingJobs, stopPendingJobs } from '../support/jobs';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';

// Counts rows of whole tables: its own database, where no other file adds any.
const own = await createOwnDatabase('cleanup');
await pointAtOwnDatabase(own);

const { CLEANUP_TABLES, deleteDeadRows, runCleanups } = await import('@/lib/jobs/cleanup');

let superuser: Sql;
let worker: Sql;
let t: SeededTenant;

/** Each table's rows, by what they are: `dead` ones are past their retention, `live` ones are not. */
const seeded: Record<string, { dead: string[]; live: string[] }> = {};

const note = (table: string, kind: 'dead' | 'live', key: string) => {
  seeded[table] ??= { dead: [], live: [] };
  seeded[table][kind].push(key);
};

/** Tokens of every kind live in one table: a few of different kinds, each past or within its retention. */
async function seedTokens() {
  const rows: [kind: 'dead' | 'live', purpose: string, expires: string, used: string | null][] = [
    ['dead', 'reset_password', '-2 days', null],
    ['dead', 'handoff', '+1 hour', '-2 days'],
    // Dead, but within the day a dead token is kept.
    ['live', 'two_factor_challenge', '-1 hour', null],
    ['live', 'verify_email', '+1 hour', '-1 hour'],
    ['live', 'reset_password', '+1 hour', null],
  ];
  for (const [kind, purpose, expires, used] of rows) {
    const hash = randomUUID();
    await superuser`
      insert into single_use_tokens (tenant_id, token_hash, purpose, user_id, expires_at, used_at)
      values (${t.tenantId}, ${hash}, ${purpose}, ${t.userId}, now() + ${expires}::interval,
              now() + ${used}::interval)`;
    note('single_use_tokens', kind, hash);
  }
}

beforeAll(async () => {
  superuser = connect(own.superuser, 1);
  worker = connect(own.worker, 1);
  const app = connect(own.app, 1);
  const platform = connect(own.platform, 1);
  t = await seedTenant(platform, app, 'cleanup');
  await Promise.all([app.end(), platform.end()]);

  await seedTokens();

  const sessions: [kind: 'dead' | 'live', expires: string, revoked: string | null][] = [
    ['dead', '-8 days', null],
    ['dead', '+20 days', '-8 days'],
    ['live', '-6 days', null],
    ['live', '+20 days', '-1 day'],
    ['live', '+20 days', null],
  ];
  for (const [kind, expires, revoked] of sessions) {
    const [row] = await superuser`
      insert into sessions (tenant_id, user_id, expires_at, revoked_at)
      values (${t.tenantId}, ${t.userId}, now() + ${expires}::interval, now() + ${revoked}::interval)
      returning id`;
    note('sessions', kind, row!.id);
  }

  for (const [kind, expires] of [
    ['dead', '-1 second'],
    ['live', '+1 minute'],
  ] as const) {
    const key = `cleanup-test:${randomUUID()}`;
    await superuser`insert into rate_limits (key, points, expires_at) values (${key}, 1, now() + ${expires}::interval)`;
    note('rate_limits', kind, key);
  }

  const events: [kind: 'dead' | 'live', created: string, published: string | null][] = [
    ['dead', '-2 days', '-2 days'],
    // Never published: the sweeper still owes it, whatever its age.
    ['live', '-2 days', null],
    ['live', '-1 hour', '-1 hour'],
  ];
  for (const [kind, created, published] of events) {
    const [row] = await superuser`
      insert into outbox_events (tenant_id, name, payload, created_at, published_at)
      values (${t.tenantId}, 'test.event', '{}', now() + ${created}::interval, now() + ${published}::interval)
      returning id`;
    note('outbox_events', kind, row!.id);
  }

  for (const [kind, created, status] of [
    ['dead', '-31 days', 'sent'],
    ['dead', '-31 days', 'failed'],
    ['live', '-29 days', 'sent'],
  ] as const) {
    const [row] = await superuser`
      insert into outgoing_mail (tenant_id, to_address, subject, status, created_at)
      values (${t.tenantId}, 'someone@example.test', 'Hello', ${status}, now() + ${created}::interval)
      returning id`;
    note('outgoing_mail', kind, row!.id);
  }

  // A former subdomain is dead, and free, once its 30 days of redirecting are over.
  for (const [kind, expires] of [
    ['dead', '-1 minute'],
    ['live', '+1 day'],
  ] as const) {
    const slug = `former-${randomUUID().slice(0, 8)}`;
    await superuser`
      insert into tenant_slug_redirects (slug, target_tenant_id, expires_at)
      values (${slug}, ${t.tenantId}, now() + ${expires}::interval)`;
    note('tenant_slug_redirects', kind, slug);
  }

  // Invitation sends count towards a daily cap and a resend limit: two days on, towards nothing.
  const [invitation] = await superuser`
    insert into invitations (tenant_id, email, role, invited_by, expires_at)
    values (${t.tenantId}, 'invited@example.test', 'member', ${t.userId}, now() + interval '7 days')
    returning id`;
  for (const [kind, sent] of [
    ['dead', '-3 days'],
    ['live', '-1 day'],
  ] as const) {
    const [row] = await superuser`
      insert into invitation_sends (tenant_id, invitation_id, sent_at)
      values (${t.tenantId}, ${invitation!.id}, now() + ${sent}::interval)
      returning id`;
    note('invitation_sends', kind, row!.id);
  }
});
afterAll(() => Promise.all([superuser.end(), worker.end(), stopPendingJobs()]));

/** The key column the test identifies each table's rows by. */
const KEY: Record<string, string> = {
  single_use_tokens: 'token_hash',
  sessions: 'id',
  rate_limits: 'key',
  outbox_events: 'id',
  outgoing_mail: 'id',
  tenant_slug_redirects: 'slug',
  invitation_sends: 'id',
};

const remaining = async (table: string) =>
  (await superuser.unsafe(`select ${KEY[table]}::text as key from ${table}`)).map((r) => r.key);

describe('the scheduled clean-ups', () => {
  it('cover every table the test seeds', () => {
    expect(Object.keys(seeded).sort()).toEqual(Object.keys(KEY).sort());
    expect(CLEANUP_TABLES).toHaveLength(Object.keys(KEY).length);
  });

  it('run as a role that sees only dead rows, and only their keys', async () => {
    for (const [table, { dead }] of Object.entries(seeded)) {
      const visible = (await worker.unsafe(`select ${KEY[table]}::text as key from ${table}`)).map(
        (r) => r.key,
      );
      expect({ table, visible: visible.sort() }).toEqual({ table, visible: [...dead].sort() });
    }
    await expect(worker`select user_id from sessions`).rejects.toThrow(/permission denied/);
    await expect(worker`select payload from outbox_events`).rejects.toThrow(/permission denied/);
    await expect(worker`select sealed_body, to_address from outgoing_mail`).rejects.toThrow(
      /permission denied/,
    );
    await expect(worker`select points from rate_limits`).rejects.toThrow(/permission denied/);
  });

  it('can never delete a live row, even when asked for it by its key', async () => {
    for (const [table, { live }] of Object.entries(seeded)) {
      const deleted = await worker.unsafe(
        `delete from ${table} where ${KEY[table]}::text = any($1::text[])`,
        [live],
      );
      expect({ table, deleted: deleted.count }).toEqual({ table, deleted: 0 });
    }
    await expect(worker`update sessions set revoked_at = now()`).rejects.toThrow(
      /permission denied/,
    );
  });

  it('delete every dead row and keep every live one, and the next run finds nothing', async () => {
    const deleted = await runCleanups();
    for (const [table, { dead, live }] of Object.entries(seeded)) {
      expect({ table, deleted: deleted[table] }).toEqual({ table, deleted: dead.length });
      expect({ table, left: (await remaining(table)).sort() }).toEqual({
        table,
        left: [...live].sort(),
      });
    }
    expect(Object.values(await runCleanups()).every((n) => n === 0)).toBe(true);
  });

  it('delete in bounded batches, leaving a backlog to the next run', async () => {
    const keys = Array.from({ length: 5 }, () => `cleanup-batch:${randomUUID()}`);
    for (const key of keys)
      await superuser`insert into rate_limits (key, points, expires_at) values (${key}, 1, now() - interval '1 minute')`;
    const rateLimits = CLEANUP_TABLES.find((c) => c.key[0]!.name === 'key')!;
    expect(await deleteDeadRows(rateLimits, { batchRows: 2, maxBatches: 2 })).toBe(4);
    expect(await deleteDeadRows(rateLimits, { batchRows: 2, maxBatches: 2 })).toBe(1);
    expect((await remaining('rate_limits')).filter((k) => keys.includes(k))).toEqual([]);
  });

  it('run from their scheduled job', async () => {
    const key = `cleanup-job:${randomUUID()}`;
    await superuser`insert into rate_limits (key, points, expires_at) values (${key}, 1, now() - interval '1 minute')`;
    // What pg-boss's cron sends every ten minutes.
    await superuser`insert into pgboss.job (name) values ('cleanup')`;
    expect(await runPendingJobs({ queue: 'cleanup' })).toBe(1);
    expect(await remaining('rate_limits')).not.toContain(key);
    expect(await superuser`select state from pgboss.job where name = 'cleanup'`).toEqual([
      { state: 'completed' },
    ]);
  });
});

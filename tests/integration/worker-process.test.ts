import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SeededTenant, type Sql, seedTenant } from '../support/db';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';

// The worker runs cron, maintenance and every due job: its own database keeps it off other files' jobs.
const own = await createOwnDatabase('worker_process');
await pointAtOwnDatabase(own);

const { withTenant } = await import('@/db/with-tenant');
const { queueMail } = await import('@/lib/mail/queue-mail');
const { createBoss } = await import('@/lib/jobs/boss');

const WORKER = fileURLToPath(new URL('../../scripts/worker.ts', import.meta.url));

type Worker = {
  child: ChildProcess;
  logs: { level: string; msg: string; [key: string]: unknown }[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * The worker from source (`tsx scripts/worker.ts`, what `npm run worker` runs once compiled: the end-to-end
 * pooler spec runs the compiled one), with this file's database and `env` on top.
 */
function startWorker(env: Record<string, string | undefined> = {}): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: Worker = {
    child,
    logs: [],
    stderr: [],
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    ),
  };
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) worker.logs.push(JSON.parse(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => worker.stderr.push(chunk.toString('utf8')));
  return worker;
}

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
async function until<T>(label: string, check: () => Promise<T> | T, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await sleep(100);
  }
}

const ready = (worker: Worker) =>
  until('the worker to be ready', () => worker.logs.some((l) => l.msg === 'worker ready'));

let superuser: Sql;
let t: SeededTenant;
const running: Worker[] = [];

beforeAll(async () => {
  superuser = connect(own.superuser, 2);
  const app = connect(own.app, 1);
  const platform = connect(own.platform, 1);
  t = await seedTenant(platform, app, 'worker');
  await Promise.all([app.end(), platform.end()]);
});
afterAll(async () => {
  for (const worker of running) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await superuser.end();
});

const queueMessage = (subject: string) =>
  withTenant({ tenantId: t.tenantId, userId: null }, (tx) =>
    queueMail(tx, t.tenantId, {
      to: 'owner@example.test',
      subject,
      text: 'Reset: http://worker.localhost:3000/reset-password?token=secret',
    }),
  );

const message = async (id: string) =>
  (
    await superuser`
      select m.status, m.attempts, (select count(*)::int from mail_messages c where c.message_id = m.id) as delivered
      from outgoing_mail m where m.id = ${id}`
  )[0];

/**
 * Holds `table` in `mode` until the returned function is called: a job that needs a conflicting lock stops
 * mid-way, inside its transaction, and waits. Only the test holds it; the worker runs as it always does.
 */
async function holdLock(table: 'mail_messages' | 'outgoing_mail', mode: 'exclusive' | 'share') {
  const holder = connect(own.superuser, 1);
  const held = await holder.reserve();
  await held`begin`;
  await held.unsafe(`lock table ${table} in ${mode} mode`);
  return async () => {
    await held`rollback`;
    held.release();
    await holder.end();
  };
}

/** Whether a statement of the worker that starts with `prefix` is waiting for a lock. */
const waitingOnLock = (prefix: string) => async () =>
  (
    await superuser`
      select 1 from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike ${`${prefix}%`}`
  ).length > 0;

const capturing = waitingOnLock('insert into "mail_messages"');
const marking = waitingOnLock('update "outgoing_mail"');

describe('the worker process', () => {
  it('refuses to start without DATABASE_WORKER_URL, saying what is missing', async () => {
    const worker = startWorker({ DATABASE_WORKER_URL: undefined });
    running.push(worker);
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.logs.find((l) => l.level === 'fatal')).toMatchObject({
      msg: 'Invalid configuration',
      problems: [expect.stringMatching(/^DATABASE_WORKER_URL is missing/)],
    });
  });

  it('refuses a worker role that could read past Row-Level Security', async () => {
    const worker = startWorker({ DATABASE_WORKER_URL: own.owner });
    running.push(worker);
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.logs.find((l) => l.level === 'fatal')).toMatchObject({
      err: {
        message: expect.stringMatching(
          /Refusing to start: the worker database role "tenantry_owner" owns/,
        ),
      },
    });
  });

  it('delivers queued mail, and on SIGTERM lets the job in hand finish before it exits 0', async () => {
    const worker = startWorker();
    running.push(worker);
    await ready(worker);
    const release = await holdLock('mail_messages', 'exclusive');
    const id = await queueMessage('Finished on SIGTERM');
    await until('the delivery to start', capturing);
    worker.child.kill('SIGTERM');
    await sleep(300);
    // Still running: it waits for the job in hand.
    expect(worker.child.exitCode).toBeNull();
    await release();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await message(id)).toEqual({ status: 'sent', attempts: 1, delivered: 1 });
  });

  it('delivers a message once when the worker is killed mid-job and another one takes over', async () => {
    const first = startWorker();
    running.push(first);
    await ready(first);
    const id = await queueMessage('Killed mid-way');
    // Stop the job at its worst moment: the message is in the mailbox, its mark "sent" not yet written.
    const releaseMailbox = await holdLock('mail_messages', 'exclusive');
    await until('the delivery to start', capturing);
    const releaseMark = await holdLock('outgoing_mail', 'share');
    await releaseMailbox();
    await until('the delivery to be marked', marking);
    expect(await message(id)).toEqual({ status: 'queued', attempts: 0, delivered: 1 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await releaseMark();
    const [job] = await superuser`
      select id, state from pgboss.job where name = 'mail' and data->>'messageId' = ${id}`;
    expect(job!.state).toBe('active');
    expect(await message(id)).toEqual({ status: 'queued', attempts: 0, delivered: 1 });

    const second = startWorker();
    running.push(second);
    await ready(second);
    // What the mail queue's 60 s and the next maintenance run do for a job whose worker died: time passes
    // (the job's start moves back an hour), maintenance expires it into a retry, whose backoff then ends.
    await superuser`update pgboss.job set started_on = started_on - interval '1 hour' where id = ${job!.id}`;
    const boss = createBoss(own.worker, { schedule: false, supervise: false });
    await boss.start();
    await boss.expire();
    await boss.stop({ graceful: false, wait: true });
    await superuser`update pgboss.job set start_after = now() where id = ${job!.id} and state = 'retry'`;

    await until('the retry to run', async () => (await message(id))?.status === 'sent');
    expect(await message(id)).toEqual({ status: 'sent', attempts: 1, delivered: 1 });
    const [done] = await superuser`select state, retry_count from pgboss.job where id = ${job!.id}`;
    expect(done).toEqual({ state: 'completed', retry_count: 1 });

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/db/embedded';
import { connect, type Sql } from '../support/db';
import { request } from '../support/fake-request';
import { runPendingJobs, stopPendingJobs } from '../support/jobs';
import { createOwnDatabase, pointAtOwnDatabase } from '../support/own-database';
import { startSmtpSink } from '../support/smtp-sink';

vi.mock('next/headers', () => import('../support/fake-request'));
vi.mock('@/lib/auth/auth', () => import('../support/fake-request'));
request.ip = '198.18.44.1';

// Its jobs to itself: a transport made to fail here must not be another file's, nor theirs ours.
const own = await createOwnDatabase('mail_jobs');
await pointAtOwnDatabase(own);

const resetRoute = await import('@/app/api/password-reset/route');
const orgs = await import('../support/orgs');

let platform: Sql;
let superuser: Sql;
let org: Awaited<ReturnType<typeof orgs.signUpOrg>>;

beforeAll(async () => {
  platform = connect(own.platform, 2);
  superuser = connect(own.superuser, 1);
  org = await orgs.signUpOrg(platform, 'mail');
  request.host = `${org.slug}.localhost:3000`;
});
afterAll(() => Promise.all([platform.end(), superuser.end(), stopPendingJobs()]));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** Asks for a reset link for the org's owner, as the form does; returns the queued message's id. */
async function requestReset(): Promise<string> {
  const before = new Date();
  const response = await resetRoute.POST(
    new Request('http://localhost:3000/api/password-reset', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: org.email }),
    }),
  );
  expect(await response.json()).toEqual({ done: true });
  const [message] = await superuser`
    select id from outgoing_mail where to_address = ${org.email} and subject = 'Reset your password'
      and created_at >= ${before} order by created_at desc limit 1`;
  return message!.id;
}

const outgoing = async (id: string) =>
  (
    await superuser`
      select status, attempts, last_error, sealed_body is not null as has_body, sent_at is not null as sent
      from outgoing_mail where id = ${id}`
  )[0];

const mailJobOf = async (messageId: string) =>
  (
    await superuser`
      select id, state, retry_count, start_after, output from pgboss.job
      where name = 'mail' and data->>'messageId' = ${messageId}`
  )[0];

const captured = (messageId: string) =>
  superuser`select text from mail_messages where message_id = ${messageId}`;

/** The token of the reset link in a message's text. */
const tokenIn = (text: string) => /[?&]token=([^&\s]+)/.exec(text)![1]!;

describe('mail through the queue', () => {
  it('delivers a queued message once, marks it sent and erases its body', async () => {
    const id = await requestReset();
    expect(await outgoing(id)).toEqual({
      status: 'queued',
      attempts: 0,
      last_error: null,
      has_body: true,
      sent: false,
    });
    expect(await captured(id)).toEqual([]);
    await runPendingJobs();
    expect(await captured(id)).toHaveLength(1);
    expect(await outgoing(id)).toEqual({
      status: 'sent',
      attempts: 1,
      last_error: null,
      has_body: false,
      sent: true,
    });
    expect(await mailJobOf(id)).toMatchObject({ state: 'completed', retry_count: 0 });
  });

  it('keeps no live link anywhere but the mailbox: not in the job, its archive, nor the message', async () => {
    const id = await requestReset();
    const everything = async () => [
      ...(await superuser`select row_to_json(j)::text as row from pgboss.job j`),
      ...(await superuser`select row_to_json(a)::text as row from pgboss.archive a`),
      ...(await superuser`select row_to_json(m)::text as row from outgoing_mail m`),
    ];
    // Sealed while it waits: the body is in the database, the link is not readable there.
    const waiting = await everything();
    await runPendingJobs();
    const [mail] = await captured(id);
    const token = tokenIn(mail!.text);
    expect(token.length).toBeGreaterThan(20);
    expect(waiting.filter((r) => r.row.includes(token))).toEqual([]);
    // Archived the way pg-boss's maintenance archives a finished job (after 12 hours).
    await superuser`update pgboss.job set completed_on = now() - interval '13 hours' where data->>'messageId' = ${id}`;
    const { createBoss } = await import('@/lib/jobs/boss');
    const boss = createBoss(own.worker, { schedule: false, supervise: false });
    await boss.start();
    await boss.archive();
    await boss.stop({ graceful: false, wait: true });
    expect(
      await superuser`select 1 from pgboss.archive where data->>'messageId' = ${id}`,
    ).toHaveLength(1);
    expect((await everything()).filter((r) => r.row.includes(token))).toEqual([]);
  });

  it('delivers once when a run is repeated, after it delivered or even after it was marked sent', async () => {
    const id = await requestReset();
    // A run cut off between the delivery and its mark: the mailbox already has it.
    const { deliverMail } = await import('@/lib/mail/transport');
    const [row] = await superuser`select to_address, subject from outgoing_mail where id = ${id}`;
    await deliverMail({ id, to: row!.to_address, subject: row!.subject, text: 'first delivery' });
    await runPendingJobs();
    expect(await captured(id)).toEqual([{ text: 'first delivery' }]);
    expect(await outgoing(id)).toMatchObject({ status: 'sent', attempts: 1 });
    // The same job again (its worker died after the commit, before pg-boss heard of it).
    await superuser`
      insert into pgboss.job (name, data) values ('mail', ${superuser.json({ tenantId: org.tenantId, messageId: id })})`;
    await runPendingJobs();
    expect(await captured(id)).toHaveLength(1);
    expect(await outgoing(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('abandons an attempt that outlives its time, and its retry finds the message delivered once', async () => {
    const id = await requestReset();
    // A job allowed one second, whose delivery is held up longer: the mailbox is locked.
    await superuser`update pgboss.job set expire_in = interval '1 second' where data->>'messageId' = ${id}`;
    const holder = connect(own.superuser, 1);
    const held = await holder.reserve();
    await held`begin`;
    await held`lock table mail_messages in exclusive mode`;
    try {
      await runPendingJobs();
      expect(await mailJobOf(id)).toMatchObject({
        state: 'retry',
        output: { message: 'The job ran longer than its 1 s.' },
      });
    } finally {
      await held`rollback`;
      held.release();
      await holder.end();
    }
    // The abandoned attempt goes on once the mailbox is free; the retry, run early, finds it done.
    for (let i = 0; i < 100 && (await outgoing(id))?.status !== 'sent'; i++)
      await new Promise((r) => setTimeout(r, 50));
    await runPendingJobs({ ignoreDelay: true });
    expect(await mailJobOf(id)).toMatchObject({ state: 'completed', retry_count: 1 });
    expect(await outgoing(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await captured(id)).toHaveLength(1);
  });

  it('sends over SMTP with a Message-ID that stays the same, and never twice once sent', async () => {
    const sink = await startSmtpSink();
    try {
      vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${sink.port}`);
      vi.resetModules();
      const id = await requestReset();
      await runPendingJobs();
      expect(sink.received).toHaveLength(1);
      const [mail] = sink.received;
      expect(mail!.to).toEqual([`<${org.email}>`]);
      expect(mail!.data).toMatch(new RegExp(`^Message-ID: <${id}@localhost>$`, 'mi'));
      expect(mail!.data).toMatch(/^Subject: Reset your password$/m);
      expect(await outgoing(id)).toMatchObject({ status: 'sent', has_body: false });
      expect(await captured(id)).toEqual([]);
      await superuser`
        insert into pgboss.job (name, data) values ('mail', ${superuser.json({ tenantId: org.tenantId, messageId: id })})`;
      await runPendingJobs();
      expect(sink.received).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it('retries a failing transport with backoff, then keeps the message failed with its last error', async () => {
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${await freePort()}`);
    vi.resetModules();
    const id = await requestReset();
    await runPendingJobs();
    const first = await mailJobOf(id);
    expect(first).toMatchObject({ state: 'retry', retry_count: 0 });
    // 30 s doubled with jitter: the first retry waits 30 to 60 s.
    const wait = (first!.start_after.getTime() - Date.now()) / 1000;
    expect(wait).toBeGreaterThan(25);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await outgoing(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: expect.stringMatching(/ECONNREFUSED/),
      has_body: true,
    });
    // The remaining five attempts, without waiting for their backoff.
    await runPendingJobs({ ignoreDelay: true });
    expect(await mailJobOf(id)).toMatchObject({ state: 'failed', retry_count: 5 });
    expect(await outgoing(id)).toEqual({
      status: 'failed',
      attempts: 6,
      last_error: expect.stringMatching(/ECONNREFUSED/),
      has_body: false,
      sent: false,
    });
    expect(await captured(id)).toEqual([]);
  });
});

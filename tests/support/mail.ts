import { asSuperuser } from './db';

export type DeliveredMail = {
  message_id: string;
  tenant_id: string;
  to_address: string;
  subject: string;
  text: string;
  /** '' for a message without an HTML part. */
  html: string;
};

/**
 * The mail queued to `to` (one address or several, in any case; only in `tenantId` when given), as its
 * recipients get it, oldest first: each message is delivered by its mail job's handler, as the worker runs
 * it, and read back from the development mailbox, where tests deliver (they run without SMTP_URL).
 *
 * Neither the body sealed in outgoing_mail nor `runPendingJobs` followed by a look in the mailbox would do:
 * test files share their database, and any file's `runPendingJobs` runs every due job of it, other files'
 * mail included (./jobs.ts). So a message may be delivered, and its sealed body erased, at any moment; or be
 * in the middle of its delivery in another file's process, where our own `runPendingJobs` finds no due job
 * and returns before the message reaches the mailbox. The handler settles both: it holds the message's row
 * lock for the whole attempt, so it waits for an attempt in progress and then finds the message sent, or
 * delivers it itself, and either way the message is in the mailbox when it returns. The message's job,
 * still queued, finds it sent whenever it runs.
 */
export async function deliveredMail({
  to,
  tenantId,
}: {
  to: string | string[];
  tenantId?: string;
}): Promise<DeliveredMail[]> {
  const { mailJob } = await import('@/lib/mail/mail-job');
  const { QUEUES } = await import('@/lib/jobs/queues');
  const addresses = (Array.isArray(to) ? to : [to]).map((a) => a.toLowerCase());
  const queued = await asSuperuser(
    (sql) => sql<{ tenant_id: string; id: string }[]>`
      select tenant_id, id from outgoing_mail
      where lower(to_address) in ${sql(addresses)} ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}
      order by created_at, id`,
  );
  if (queued.length === 0) return [];
  for (const message of queued) {
    // A first attempt: a failure is recorded on the message and retried later, as in the worker.
    await mailJob.run(
      { tenantId: message.tenant_id, messageId: message.id },
      { id: `test-${message.id}`, retryCount: 0, retryLimit: QUEUES.mail.retryLimit },
    );
  }
  const captured = await asSuperuser(
    (sql) => sql<Omit<DeliveredMail, 'tenant_id'>[]>`
      select message_id, to_address, subject, text, html from mail_messages
      where message_id in ${sql(queued.map((m) => m.id))}`,
  );
  const byId = new Map(captured.map((m) => [m.message_id, m]));
  return queued.map((message) => {
    const mail = byId.get(message.id);
    if (!mail) throw new Error(`Message ${message.id} was delivered but is not in the mailbox.`);
    return { ...mail, tenant_id: message.tenant_id };
  });
}

import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Transaction } from '@/db/client';
import { outgoingMail } from '@/db/schema';
import { mailJob } from './mail-job';
import { sealMailBody } from './sealed-body';
import type { MailMessage } from './templates';

/**
 * Queues a message in the caller's transaction, the one of the change it reports: rolled back with it, or
 * committed with its delivery job, which the worker runs (lib/mail/mail-job.ts). The job carries the
 * message's id; the body, with its links, waits sealed in `outgoing_mail`. Returns the message's id.
 */
export async function queueMail(
  tx: Transaction,
  tenantId: string,
  message: MailMessage,
): Promise<string> {
  const id = randomUUID();
  await tx.insert(outgoingMail).values({
    tenantId,
    id,
    toAddress: message.to,
    subject: message.subject,
    sealedBody: sealMailBody(
      { tenantId, messageId: id },
      { text: message.text, html: message.html },
    ),
  });
  await mailJob.enqueue(tx, { tenantId, messageId: id });
  return id;
}

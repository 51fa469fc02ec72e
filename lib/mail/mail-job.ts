import 'server-only';
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Transaction } from '@/db/client';
import { outgoingMail } from '@/db/schema';
import { PermanentJobError } from '@/lib/jobs/definition';
import { tenantJob } from '@/lib/jobs/tenant-job';
import { openMailBody } from './sealed-body';
import { deliverMail } from './transport';

type MessageRef = { tenantId: string; messageId: string };

/** The last error kept on a message: enough to tell a refused address from an unreachable server. */
const ERROR_LENGTH = 500;

const thisMessage = (ref: MessageRef) =>
  and(eq(outgoingMail.tenantId, ref.tenantId), eq(outgoingMail.id, ref.messageId));

/**
 * Delivers one queued message (lib/mail/queue-mail.ts), idempotently: the message's row is locked for the
 * whole attempt, so two attempts of one message (a retry beside one that overran its time) take turns, and
 * the second finds it sent. The mark, which erases the body, follows delivery in that same transaction, and
 * delivery itself is repeatable (see `deliverMail`): a run cut off anywhere delivers once in the end.
 */
async function deliverQueuedMessage(ref: MessageRef, tx: Transaction) {
  const [message] = await tx
    .select({
      toAddress: outgoingMail.toAddress,
      subject: outgoingMail.subject,
      sealedBody: outgoingMail.sealedBody,
      status: outgoingMail.status,
    })
    .from(outgoingMail)
    .where(thisMessage(ref))
    .for('update');
  if (!message) throw new PermanentJobError('The message no longer exists.');
  if (message.status === 'sent') return;
  const body = message.sealedBody && openMailBody(ref, message.sealedBody);
  if (!body) {
    throw new PermanentJobError(
      'The message has no body that opens (given up on earlier, or sealed under another AUTH_SECRET).',
    );
  }
  await deliverMail({
    id: ref.messageId,
    to: message.toAddress,
    subject: message.subject,
    ...body,
  });
  await tx
    .update(outgoingMail)
    .set({
      status: 'sent',
      sealedBody: null,
      attempts: sql`${outgoingMail.attempts} + 1`,
      lastError: null,
      sentAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(thisMessage(ref));
}

/**
 * Counts the failed attempt and keeps its error. After the last one the message is `failed`, kept with that
 * error (never dropped), and its body is erased: its links should not outlive the attempt to deliver them.
 */
async function recordFailedAttempt(
  ref: MessageRef,
  tx: Transaction,
  { error, final }: { error: unknown; final: boolean },
) {
  const reason = error instanceof Error ? error.message : String(error);
  await tx
    .update(outgoingMail)
    .set({
      attempts: sql`${outgoingMail.attempts} + 1`,
      lastError: reason.slice(0, ERROR_LENGTH),
      updatedAt: sql`now()`,
      ...(final ? { status: 'failed' as const, sealedBody: null } : {}),
    })
    .where(and(thisMessage(ref), ne(outgoingMail.status, 'sent')));
}

export const mailJob = tenantJob('mail', z.object({ messageId: z.uuid() }), deliverQueuedMessage, {
  onFailure: recordFailedAttempt,
});

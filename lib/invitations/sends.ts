import 'server-only';
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { invitationSends } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';

/** Invitation mails an organization may send in 24 hours, first sends and resends alike. */
export const DAILY_INVITATION_CAP = 200;
/** One invitation is mailed at most this often ... */
export const RESEND_INTERVAL_SECONDS = 60;
/** ... and at most this many times in 24 hours, its first send included. */
export const SENDS_PER_INVITATION_PER_DAY = 5;

const lastDay = sql`now() - interval '1 day'`;

/**
 * Serializes one organization's sends for the rest of the transaction, so that two batches at once cannot
 * both fit under the daily cap, and two invitations of one address cannot both pass the pending check.
 */
export async function lockInvitationSends(tx: Transaction, tenantId: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`invitation-sends:${tenantId}`}, 0))`,
  );
}

/**
 * Refuses `sending` more mails when they would pass the organization's daily cap (after the lock); a form's
 * refusal shows next to `field`, its list of people.
 */
export async function checkDailyCap(
  tx: Transaction,
  tenantId: string,
  sending: number,
  field?: string,
) {
  const [row] = await tx
    .select({ n: count() })
    .from(invitationSends)
    .where(and(eq(invitationSends.tenantId, tenantId), gt(invitationSends.sentAt, lastDay)));
  const left = Math.max(0, DAILY_INVITATION_CAP - (row?.n ?? 0));
  if (sending <= left) return;
  const message =
    left === 0
      ? `Your organization has sent its ${DAILY_INVITATION_CAP} invitations for today. Try again tomorrow.`
      : `Your organization can send ${left} more invitation${left === 1 ? '' : 's'} today (${DAILY_INVITATION_CAP} a day). Invite fewer people, or the rest tomorrow.`;
  throw new AppError('quota_exceeded', message, field ? { fieldErrors: { [field]: message } } : {});
}

/** Refuses a resend that comes too soon after the last send, or one too many in a day. */
export async function checkResendLimit(tx: Transaction, tenantId: string, invitationId: string) {
  const [row] = await tx
    .select({
      today: count(),
      sinceLast: sql<number>`coalesce(extract(epoch from now() - max(${invitationSends.sentAt})), 1e9)::int`,
      untilOldestExpires: sql<number>`coalesce(extract(epoch from min(${invitationSends.sentAt}) + interval '1 day' - now()), 0)::int`,
    })
    .from(invitationSends)
    .where(
      and(
        eq(invitationSends.tenantId, tenantId),
        eq(invitationSends.invitationId, invitationId),
        gt(invitationSends.sentAt, lastDay),
      ),
    );
  if (!row) return;
  if (row.sinceLast < RESEND_INTERVAL_SECONDS) {
    const wait = RESEND_INTERVAL_SECONDS - row.sinceLast;
    throw new AppError(
      'rate_limited',
      `This invitation was just sent. You can resend it in ${wait} second${wait === 1 ? '' : 's'}.`,
      { retryAfterSeconds: wait },
    );
  }
  if (row.today >= SENDS_PER_INVITATION_PER_DAY) {
    const hours = Math.max(1, Math.ceil(row.untilOldestExpires / 3600));
    throw new AppError(
      'rate_limited',
      `This invitation was already sent ${SENDS_PER_INVITATION_PER_DAY} times today. You can resend it in about ${hours} hour${hours === 1 ? '' : 's'}.`,
      { retryAfterSeconds: Math.max(1, row.untilOldestExpires) },
    );
  }
}

/** Counts sends (after the checks, in the transaction that sends them). */
export async function recordSends(tx: Transaction, tenantId: string, invitationIds: string[]) {
  if (invitationIds.length === 0) return;
  await tx
    .insert(invitationSends)
    .values(invitationIds.map((invitationId) => ({ tenantId, invitationId })));
}

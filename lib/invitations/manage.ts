import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type Invitation, invitations } from '@/db/schema';
import type { CurrentMember } from '@/lib/auth/session';
import { canAssignRole } from '@/lib/authz/rules';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { retireTokens } from '@/lib/tokens/single-use';
import { invitationExpiry } from './invite';
import { mailInvitation } from './mail';
import type { InvitationRef } from './schemas';
import { checkDailyCap, checkResendLimit, lockInvitationSends, recordSends } from './sends';

const OUTCOME: Record<Exclude<Invitation['status'], 'pending'>, string> = {
  accepted: 'This invitation was already accepted.',
  revoked: 'This invitation was revoked.',
  expired: 'This invitation expired and was replaced by a newer one.',
};

/**
 * The pending invitation `ref` names, locked for the change, if the actor may act on it: an admin cannot
 * resend or revoke an owner's invitation, as they could not have sent it. A stale version is a 409 with
 * the invitation as it is now.
 */
async function getPendingForUpdate(tx: Transaction, actor: CurrentMember, ref: InvitationRef) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, actor.tenant.id), eq(invitations.id, ref.id)))
    .for('update');
  if (!row) throw notFoundError('This invitation');
  if (!canAssignRole(actor, row.role)) {
    throw new AppError('forbidden', 'Only owners can manage invitations to become an owner.');
  }
  if (row.status !== 'pending') {
    throw new AppError('conflict', OUTCOME[row.status], { current: summarize(row) });
  }
  if (row.version !== ref.version) {
    throw new AppError('conflict', 'Someone changed this invitation meanwhile. Reload the list.', {
      current: summarize(row),
    });
  }
  return row;
}

const summarize = (row: Invitation) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: row.status,
  version: row.version,
});

/**
 * Mails the invitation again with a new link (the old one stops working) and a new 7-day expiry, within
 * the resend limit and the organization's daily cap. An expired pending invitation can be resent too.
 */
export async function resendPending(tx: Transaction, actor: CurrentMember, ref: InvitationRef) {
  const tenantId = actor.tenant.id;
  await lockInvitationSends(tx, tenantId);
  const row = await getPendingForUpdate(tx, actor, ref);
  await checkResendLimit(tx, tenantId, row.id);
  await checkDailyCap(tx, tenantId, 1);
  const [updated] = await tx
    .update(invitations)
    .set({
      expiresAt: invitationExpiry,
      lastSentAt: sql`now()`,
      sendCount: sql`${invitations.sendCount} + 1`,
      version: sql`${invitations.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, row.id)))
    .returning();
  await recordSends(tx, tenantId, [row.id]);
  await mailInvitation(tx, { tenant: actor.tenant, inviterName: actor.name, invitation: row });
  return { before: row, after: updated! };
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokePending(tx: Transaction, actor: CurrentMember, ref: InvitationRef) {
  const tenantId = actor.tenant.id;
  const row = await getPendingForUpdate(tx, actor, ref);
  const [updated] = await tx
    .update(invitations)
    .set({
      status: 'revoked',
      revokedBy: actor.userId,
      revokedAt: sql`now()`,
      version: sql`${invitations.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, row.id)))
    .returning();
  await retireTokens(tx, { tenantId, purpose: 'invitation', subjectId: row.id });
  return { before: row, after: updated! };
}

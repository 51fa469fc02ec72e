import 'server-only';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { type Invitation, invitations, type Tenant } from '@/db/schema';
import { auditChanges } from '@/lib/audit/record';
import { AppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';
import { redeemToken } from '@/lib/tokens/single-use';
import { checkJoiner } from './joiner';
import {
  type Joined,
  joinOrganization,
  memberJoinedEvent,
  refuseOtherSignedInAccount,
} from './joining';
import { describeInvitationLink } from './links';
import { invitationEvent } from './mail';
import type { JoinInput } from './schemas';

/** What the accept and join forms receive: where to go, signed in, or the second step to show. */
export type JoinAnswer = { redirectTo: string } | { secondFactor: true };

/**
 * Spends the invitation's link and locks the invitation, if both are still good: the link must be the
 * invitation's latest, for the address it was sent to, and the invitation pending and unexpired.
 */
async function claimInvitation(
  tx: Transaction,
  tenantId: string,
  token: string,
  email: string,
): Promise<Invitation | null> {
  const live = await redeemToken(tx, { tenantId, purpose: 'invitation', token });
  if (!live?.subjectId || live.email !== email) return null;
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.id, live.subjectId),
        eq(invitations.status, 'pending'),
        gt(invitations.expiresAt, sql`now()`),
      ),
    )
    .for('update');
  return invitation ?? null;
}

async function recordAcceptance(tx: Transaction, joined: Joined, invitation: Invitation) {
  const [accepted] = await tx
    .update(invitations)
    .set({
      status: 'accepted',
      acceptedBy: joined.userId,
      acceptedAt: sql`now()`,
      version: sql`${invitations.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(invitations.tenantId, invitation.tenantId), eq(invitations.id, invitation.id)))
    .returning();
  const becameMember = joined.previousStatus !== 'active';
  return {
    audit: {
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: invitation.id,
      metadata: {
        email: invitation.email,
        role: joined.role,
        invitedBy: invitation.invitedBy,
        newAccount: joined.newAccount,
        // A removed member invited back, or someone who had joined meanwhile (their role stays).
        previousMembership: joined.previousStatus,
      },
      ...auditChanges({ status: invitation.status }, { status: accepted!.status }),
    },
    events: [
      invitationEvent('invitation.accepted', accepted!),
      ...(becameMember ? [memberJoinedEvent(joined)] : []),
    ],
  };
}

/**
 * POST /api/invitations/accept on the organization's host: the invited address's account signs in (its
 * password, then its second factor if it has one) or a new person chooses a name and password, and joins
 * with the invitation's role; the link is spent in the same transaction, and the session opens here.
 */
export async function acceptInvitation(input: JoinInput): Promise<JoinAnswer> {
  const tenant: Tenant = await getHostTenantOrThrow();
  const meta = await getRequestMeta();
  const link = await describeInvitationLink(tenant, input.token);
  if (link.state !== 'live') throw new AppError('not_found', link.message);
  await refuseOtherSignedInAccount(link.email);
  const joiner = await checkJoiner({
    tenant,
    email: link.email,
    input,
    reason: 'join-by-invitation',
    ip: meta.ip,
  });
  if ('secondFactor' in joiner) return joiner;
  await joinOrganization({
    tenant,
    email: link.email,
    joiner,
    reason: 'join-by-invitation',
    meta,
    claim: (tx) => claimInvitation(tx, tenant.id, input.token, link.email),
    goneMessage: 'This invitation was revoked, accepted or replaced meanwhile. Reload the page.',
    rejoin: 'reactivate',
    record: recordAcceptance,
  });
  return { redirectTo: '/' };
}

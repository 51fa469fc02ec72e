'use server';

import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { createInvitations } from './invite';
import { invitationEvent } from './mail';
import { resendPending, revokePending } from './manage';
import { invitationRefSchema, inviteSchema } from './schemas';

/** Where the invitations are listed: each action here answers with that page re-rendered. */
const INVITATIONS_PAGE = '/settings/invitations';

/**
 * Invites up to 50 people, each with their own role. Each invitation has its own audit entry (its address
 * and role, found by its id like its later resends and revocation) and its own event for the admins.
 */
export const inviteMembers = tenantAction(
  { schema: inviteSchema, permission: 'invitation:manage', rerenders: INVITATIONS_PAGE },
  async (input, { tx, member }) => {
    const created = await createInvitations(tx, member, input);
    const [first, ...rest] = created.map(({ id, email, role }) => ({
      action: 'invitation.created',
      targetType: 'invitation',
      targetId: id,
      metadata: { email, role, batchSize: created.length },
    }));
    return {
      data: { invited: created.map(({ id, email, role }) => ({ id, email, role })) },
      // A parsed request has at least one invitee, so at least one invitation was created.
      audit: [first!, ...rest],
      events: created.map((invitation) => invitationEvent('invitation.created', invitation)),
    };
  },
);

/** Mails a pending invitation again with a new link; the old link stops working. */
export const resendInvitation = tenantAction(
  { schema: invitationRefSchema, permission: 'invitation:manage', rerenders: INVITATIONS_PAGE },
  async (ref, { tx, member }) => {
    const { before, after } = await resendPending(tx, member, ref);
    return {
      data: { id: after.id, version: after.version },
      audit: {
        action: 'invitation.resent',
        targetType: 'invitation',
        targetId: after.id,
        metadata: { email: after.email, sendCount: after.sendCount },
        ...auditChanges(
          { expiresAt: before.expiresAt.toISOString() },
          { expiresAt: after.expiresAt.toISOString() },
        ),
      },
      events: [invitationEvent('invitation.resent', after)],
    };
  },
);

/** Revokes a pending invitation: its link stops working at once. */
export const revokeInvitation = tenantAction(
  { schema: invitationRefSchema, permission: 'invitation:manage', rerenders: INVITATIONS_PAGE },
  async (ref, { tx, member }) => {
    const { before, after } = await revokePending(tx, member, ref);
    return {
      data: { id: after.id, version: after.version },
      audit: {
        action: 'invitation.revoked',
        targetType: 'invitation',
        targetId: after.id,
        metadata: { email: after.email, role: after.role },
        ...auditChanges({ status: before.status }, { status: after.status }),
      },
      events: [invitationEvent('invitation.revoked', after)],
    };
  },
);

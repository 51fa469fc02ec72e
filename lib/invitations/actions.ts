'use server';

import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { createInvitations } from './invite';
import { invitationEvent } from './mail';
import { resendPending, revokePending } from './manage';
import { invitationRefSchema, inviteSchema } from './schemas';

/**
 * Invites up to 50 addresses with one role. One audit entry lists them all (each invitation's id, address
 * and role), since they are one decision of one admin.
 */
export const inviteMembers = tenantAction(
  { schema: inviteSchema, permission: 'invitation:manage' },
  async (input, { tx, member }) => {
    const created = await createInvitations(tx, member, input);
    return {
      data: { invited: created.map(({ id, email }) => ({ id, email })) },
      audit: {
        action: 'invitation.created',
        targetType: 'invitation',
        targetId: created.length === 1 ? created[0]!.id : undefined,
        metadata: {
          role: input.role,
          count: created.length,
          invitations: created.map(({ id, email }) => ({ id, email })),
        },
      },
      events: created.map((invitation) => invitationEvent('invitation.created', invitation)),
    };
  },
);

/** Mails a pending invitation again with a new link; the old link stops working. */
export const resendInvitation = tenantAction(
  { schema: invitationRefSchema, permission: 'invitation:manage' },
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
  { schema: invitationRefSchema, permission: 'invitation:manage' },
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

'use server';

import { assertCurrentPassword } from '@/lib/account/current-password';
import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { canAssignRole } from '@/lib/authz/rules';
import { AppError } from '@/lib/errors/app-error';
import { disconnectSessions } from '@/lib/realtime/pusher';
import { membershipEvents } from './events';
import { actorOf, keepingAnOwner, lockManagedMembership, requireVersion } from './guards';
import { lockMembershipOrThrow, type MembershipRow, updateMembership } from './queries';
import {
  changeRoleSchema,
  leaveSchema,
  memberTargetSchema,
  transferOwnershipSchema,
} from './schemas';
import { revokeMemberSessions } from './sessions';

/** Where members are managed: the actions sent from it answer with that page re-rendered. */
const MEMBERS_PAGE = '/settings/members';

const stateOf = (m: Pick<MembershipRow, 'role' | 'status'>) => ({ role: m.role, status: m.status });

/**
 * Changes another member's role. Their sessions stay: the per-request session check reads the role, so
 * their permissions change on their next request, and their open pages refresh on `member.changed`.
 * Making someone an owner asks for the password: that is `transferOwnership`.
 */
export const changeMemberRole = tenantAction(
  { schema: changeRoleSchema, permission: 'member:manage', rerenders: MEMBERS_PAGE },
  async ({ userId, version, role }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const target = await lockManagedMembership(tx, member, { userId, version });
    if (role === 'owner') {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: {
          role: 'Making someone an owner needs your password: use “Transfer ownership”.',
        },
      });
    }
    if (!canAssignRole(actorOf(member), role)) {
      throw new AppError('forbidden', 'Your role does not allow giving this role.');
    }
    if (target.role === role) {
      throw new AppError('invalid', 'Please correct the highlighted fields.', {
        fieldErrors: { role: `${target.name} already has this role.` },
      });
    }
    const changed = await keepingAnOwner(() =>
      updateMembership(tx, { tenantId, userId }, { role }),
    );
    return {
      data: changed,
      events: membershipEvents([changed]),
      audit: {
        action: 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        ...auditChanges(stateOf(target), { role }),
      },
    };
  },
);

/**
 * Deactivating or removing someone ends their sessions in this organization in the same transaction (their
 * next request is signed out) and, once committed, drops their realtime connections. Removal is a status:
 * what they created stays, under their name, shown as a former member.
 */
function endMembership(status: 'deactivated' | 'removed', action: string) {
  return tenantAction(
    { schema: memberTargetSchema, permission: 'member:manage', rerenders: MEMBERS_PAGE },
    async ({ userId, version }, { tx, member }) => {
      const tenantId = member.tenant.id;
      const target = await lockManagedMembership(tx, member, { userId, version });
      if (target.status === status) {
        throw new AppError('conflict', `${target.name} is already ${status}.`);
      }
      const changed = await keepingAnOwner(() =>
        updateMembership(tx, { tenantId, userId }, { status }),
      );
      const sessionIds = await revokeMemberSessions(tx, { tenantId, userId });
      return {
        data: changed,
        events: membershipEvents([changed]),
        afterCommit: () => disconnectSessions(sessionIds),
        audit: {
          action,
          targetType: 'user',
          targetId: userId,
          metadata: { sessionsRevoked: sessionIds.length },
          ...auditChanges(stateOf(target), { status }),
        },
      };
    },
  );
}

export const deactivateMember = endMembership('deactivated', 'member.deactivated');
export const removeMember = endMembership('removed', 'member.removed');

/** Lets a deactivated member sign in again; the sessions that deactivation ended stay ended. */
export const reactivateMember = tenantAction(
  { schema: memberTargetSchema, permission: 'member:manage', rerenders: MEMBERS_PAGE },
  async ({ userId, version }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const target = await lockManagedMembership(tx, member, { userId, version });
    if (target.status === 'active') {
      throw new AppError('conflict', `${target.name} is already active.`);
    }
    const changed = await updateMembership(tx, { tenantId, userId }, { status: 'active' });
    return {
      data: changed,
      events: membershipEvents([changed]),
      audit: {
        action: 'member.reactivated',
        targetType: 'user',
        targetId: userId,
        ...auditChanges(stateOf(target), { status: 'active' as const }),
      },
    };
  },
);

/**
 * Leaves the organization: the membership becomes `removed` and every session of it here ends, this one
 * included. The last active owner cannot leave (the database refuses it).
 */
export const leaveOrganization = tenantAction(
  { schema: leaveSchema, permission: 'account:manage' },
  async (_input, { tx, member }) => {
    const tenantId = member.tenant.id;
    const self = await lockMembershipOrThrow(tx, { tenantId, userId: member.userId });
    const changed = await keepingAnOwner(() =>
      updateMembership(tx, { tenantId, userId: member.userId }, { status: 'removed' }),
    );
    const sessionIds = await revokeMemberSessions(tx, { tenantId, userId: member.userId });
    return {
      data: { left: true as const },
      events: membershipEvents([changed]),
      afterCommit: () => disconnectSessions(sessionIds),
      audit: {
        action: 'member.left',
        targetType: 'user',
        targetId: member.userId,
        ...auditChanges(stateOf(self), { status: 'removed' as const }),
      },
    };
  },
);

/**
 * An owner makes another active member an owner, with their password. Unless they keep ownership too, they
 * become an admin in the same transaction. Both rows are locked in one order (by user id), so two owners
 * handing over to each other at once queue instead of deadlocking.
 */
export const transferOwnership = tenantAction(
  { schema: transferOwnershipSchema, permission: 'ownership:manage', rerenders: MEMBERS_PAGE },
  async ({ userId, version, password, keepOwnership }, { tx, member }) => {
    const tenantId = member.tenant.id;
    if (userId === member.userId) {
      throw new AppError('invalid', 'Choose another member to hand the organization over to.');
    }
    const [first, second] = [userId, member.userId].sort();
    const locked = new Map<string, MembershipRow>();
    for (const id of [first!, second!]) {
      locked.set(id, await lockMembershipOrThrow(tx, { tenantId, userId: id }));
    }
    const target = locked.get(userId)!;
    requireVersion(target, version);
    if (target.status !== 'active') {
      throw new AppError(
        'conflict',
        `${target.name} is not an active member: reactivate them first.`,
      );
    }
    if (target.role === 'owner') {
      throw new AppError('conflict', `${target.name} is already an owner.`);
    }
    await assertCurrentPassword(tx, member, password, { purpose: 'transfer_ownership' });
    const promoted = await updateMembership(tx, { tenantId, userId }, { role: 'owner' });
    const changed = [promoted];
    if (!keepOwnership) {
      changed.push(
        await keepingAnOwner(() =>
          updateMembership(tx, { tenantId, userId: member.userId }, { role: 'admin' }),
        ),
      );
    }
    return {
      data: { promoted, steppedDown: !keepOwnership },
      events: membershipEvents(changed),
      audit: {
        action: 'ownership.transferred',
        targetType: 'user',
        targetId: userId,
        metadata: { steppedDown: !keepOwnership },
        ...auditChanges(stateOf(target), { role: 'owner' as const }),
      },
    };
  },
);

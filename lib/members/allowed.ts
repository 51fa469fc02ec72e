import type { MembershipStatus, Role } from '@/db/schema/memberships';
import { can } from '@/lib/authz/permissions';
import { type Actor, assignableRoles, canManageMember } from '@/lib/authz/rules';

export type MemberActionsAllowed = {
  /** The roles the actor may change the member to (never owner: that is a transfer, with a password). */
  roles: Role[];
  deactivate: boolean;
  reactivate: boolean;
  remove: boolean;
  transfer: boolean;
};

/**
 * What the members page offers `actor` on one row, from the named rules the server actions enforce. The page
 * hides what would be refused; the actions refuse it anyway.
 */
export function memberActionsAllowed(
  actor: Actor,
  target: { userId: string; role: Role; status: MembershipStatus },
): MemberActionsAllowed {
  const manage = canManageMember(actor, target) && target.status !== 'removed';
  return {
    roles: manage ? assignableRoles(actor).filter((r) => r !== 'owner' && r !== target.role) : [],
    deactivate: manage && target.status === 'active',
    reactivate: manage && target.status === 'deactivated',
    remove: manage,
    transfer:
      can(actor.role, 'ownership:manage') &&
      actor.userId !== target.userId &&
      target.status === 'active' &&
      target.role !== 'owner',
  };
}

export const anyMemberAction = (a: MemberActionsAllowed) =>
  a.roles.length > 0 || a.deactivate || a.reactivate || a.remove || a.transfer;

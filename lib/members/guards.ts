import 'server-only';
import type { Transaction } from '@/db/client';
import type { CurrentMember } from '@/lib/auth/session';
import { type Actor, canManageMember } from '@/lib/authz/rules';
import { AppError } from '@/lib/errors/app-error';
import { raisedSqlState } from '@/lib/errors/postgres';
import { lockMembershipOrThrow, type MembershipRow } from './queries';

/** What the members trigger raises when a change would leave the organization without an active owner. */
const NO_OWNER_LEFT = 'TN409';

export const LAST_OWNER_MESSAGE =
  'An organization needs at least one owner. Make someone else an owner first.';

export const actorOf = (member: CurrentMember): Actor => ({
  userId: member.userId,
  role: member.role,
});

/** The version the admin saw must still be the row's; otherwise they decide again on what it is now. */
export function requireVersion(target: MembershipRow, version: number) {
  if (target.version !== version) {
    throw new AppError(
      'conflict',
      `${target.name}’s membership changed while you were looking at it. Review it and try again.`,
      {
        current: {
          userId: target.userId,
          role: target.role,
          status: target.status,
          version: target.version,
        },
      },
    );
  }
}

/** `canManageMember`, refused with the reason a person can act on. */
export function requireManageable(actor: Actor, target: MembershipRow) {
  if (canManageMember(actor, target)) return;
  if (actor.userId === target.userId) {
    throw new AppError(
      'forbidden',
      'You cannot change your own membership here. To leave the organization, use “Leave organization”.',
    );
  }
  throw new AppError(
    'forbidden',
    target.role === 'owner'
      ? 'Only an owner can change another owner’s membership.'
      : 'Your role does not allow this. Ask an admin of your organization.',
  );
}

export function requireNotRemoved(target: MembershipRow) {
  if (target.status === 'removed') {
    throw new AppError(
      'conflict',
      `${target.name} was removed from the organization. Invite them again to bring them back.`,
    );
  }
}

/**
 * Runs a membership write; the database refuses one that would leave no active owner (migration 0041), which
 * becomes the `conflict` a person can act on. The transaction rolls back with it, so nothing is written.
 */
export async function keepingAnOwner<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (raisedSqlState(error, NO_OWNER_LEFT)) throw new AppError('conflict', LAST_OWNER_MESSAGE);
    throw error;
  }
}

/**
 * The membership an admin is about to change, locked for this transaction: still at the version they saw,
 * one they may manage, and not removed. Every change to another member starts here.
 */
export async function lockManagedMembership(
  tx: Transaction,
  member: CurrentMember,
  { userId, version }: { userId: string; version: number },
): Promise<MembershipRow> {
  const target = await lockMembershipOrThrow(tx, { tenantId: member.tenant.id, userId });
  requireVersion(target, version);
  requireManageable(actorOf(member), target);
  requireNotRemoved(target);
  return target;
}

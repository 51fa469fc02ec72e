import type { Role } from '@/db/schema/memberships';
import { can } from './permissions';

/**
 * Checks that depend on the row as well as the role, named once and used by the server (which refuses) and
 * the components (which hide what would be refused). Each takes the acting member as `{ userId, role }`.
 */
export type Actor = { userId: string; role: Role };

/** Own task, or any task with `task:delete_any`. */
export function canDeleteTask(actor: Actor, task: { createdBy: string | null }): boolean {
  if (can(actor.role, 'task:delete_any')) return true;
  return can(actor.role, 'task:delete_own') && task.createdBy === actor.userId;
}

/** Own comment (with `comment:write`), or any comment with `comment:delete_any`. */
export function canDeleteComment(actor: Actor, comment: { authorId: string | null }): boolean {
  if (can(actor.role, 'comment:delete_any')) return true;
  return can(actor.role, 'comment:write') && comment.authorId === actor.userId;
}

/** Only the author edits a comment, and only while they may still write comments. */
export function canEditComment(actor: Actor, comment: { authorId: string | null }): boolean {
  return can(actor.role, 'comment:write') && comment.authorId === actor.userId;
}

/**
 * Whether `actor` may manage (change the role of, deactivate, reactivate, remove) `target`: owners anyone
 * but themselves through these controls, admins anyone below owner. Leaving is `canLeave`, for oneself.
 */
export function canManageMember(actor: Actor, target: { userId: string; role: Role }): boolean {
  if (actor.userId === target.userId) return false;
  if (!can(actor.role, 'member:manage')) return false;
  return target.role !== 'owner' || can(actor.role, 'ownership:manage');
}

/** The roles `actor` may give, by invitation or by a role change: owner only by an owner. */
export function assignableRoles(actor: Pick<Actor, 'role'>): Role[] {
  if (can(actor.role, 'ownership:manage')) return ['owner', 'admin', 'member', 'viewer'];
  if (can(actor.role, 'member:manage')) return ['admin', 'member', 'viewer'];
  return [];
}

export function canAssignRole(actor: Pick<Actor, 'role'>, role: Role): boolean {
  return assignableRoles(actor).includes(role);
}

/** Changing `target` to `role`: both the target and the new role must be within the actor's reach. */
export function canChangeRole(actor: Actor, target: { userId: string; role: Role }, role: Role) {
  return canManageMember(actor, target) && canAssignRole(actor, role);
}

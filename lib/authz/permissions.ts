import type { Role } from '@/db/schema/memberships';

/**
 * What each role may do: the one table every action, route handler and page consults. Roles are ordered
 * owner > admin > member > viewer and each includes what the roles below it may do.
 */
const viewer = ['account:manage', 'project:read'] as const;
// Members also delete the tasks they created and their own comments; the action checks authorship.
const member = [
  ...viewer,
  'project:create',
  'project:update',
  'task:write',
  'task:delete_own',
  'comment:write',
] as const;
const admin = [
  ...member,
  'project:delete',
  'task:delete_any',
  'comment:delete_any',
  'audit:read',
  'member:read',
] as const;
const owner = [...admin, 'organization:manage'] as const;

export type Permission = (typeof owner)[number];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  member: new Set(member),
  viewer: new Set(viewer),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

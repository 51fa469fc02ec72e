import type { Role } from '@/db/schema/memberships';

/**
 * What each role may do: the one table every action, route handler and page consults. Roles are ordered
 * owner > admin > member > viewer and each includes what the roles below it may do. Checks that also depend
 * on the row (whose task, which member) are named functions in ./rules.ts, built on this table.
 */
// Everyone in the organization sees who else is in it (read-only below admin).
const viewer = ['account:manage', 'project:read', 'member:read'] as const;
// Members also delete the tasks they created and their own comments (./rules.ts checks authorship).
const member = [
  ...viewer,
  'project:create',
  'project:update',
  'task:write',
  'task:delete_own',
  'comment:write',
] as const;
// Admins run the team: members, viewers and other admins, never owners (./rules.ts).
const admin = [
  ...member,
  'project:delete',
  'task:delete_any',
  'comment:delete_any',
  'audit:read',
  'member:manage',
  'invitation:manage',
] as const;
// Owners also change the organization itself, make other owners and set the audit retention.
const owner = [...admin, 'organization:manage', 'ownership:manage'] as const;

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

import type { Role } from '@/db/schema/memberships';
import { can, type Permission } from '@/lib/authz/permissions';

/**
 * The settings dashboard's sections, in order, with the permission a section needs to appear at all. A
 * section a role may see but not change (members, for a viewer) shows read-only; the server refuses every
 * write it does not allow, whatever a page shows.
 */
export const SETTINGS_SECTIONS = [
  { href: '/settings/organization', label: 'Organization', permission: 'organization:manage' },
  { href: '/settings/members', label: 'Members', permission: 'member:read' },
  { href: '/settings/invitations', label: 'Invitations', permission: 'invitation:manage' },
  { href: '/settings/audit-log', label: 'Audit log', permission: 'audit:read' },
  { href: '/settings/security', label: 'Security', permission: 'account:manage' },
  { href: '/settings/account', label: 'Your account', permission: 'account:manage' },
  { href: '/settings/sessions', label: 'Sessions', permission: 'account:manage' },
] as const satisfies readonly { href: string; label: string; permission: Permission }[];

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export function visibleSettingsSections(role: Role) {
  return SETTINGS_SECTIONS.filter((section) => can(role, section.permission));
}

/**
 * Where "Settings" leads: the first section the role may see. The menu links here directly, so a click lands
 * on the page without passing the `/settings` redirect (which stays for typed and old links).
 */
export function firstSettingsHref(role: Role): string {
  return visibleSettingsSections(role)[0]?.href ?? '/settings/account';
}

/**
 * The tenant's channels. Names are matched exactly (lowercase UUIDs, nothing before or after), so a suffix,
 * a case variant or another prefix can never be authorized as if it were the tenant's channel.
 *
 * - `private-tenant-<tenantId>`: the tenant's data events.
 * - `private-tenant-<tenantId>-admins`: events for owners and admins only (members and invitations, which
 *   carry email addresses); authorized with `member:manage`.
 * - `presence-tenant-<tenantId>`: who of the organization is online.
 * - `presence-tenant-<tenantId>-project-<projectId>`: who is on a board (the fallback when the organization
 *   has more people online than a presence channel holds).
 * - `presence-tenant-<tenantId>-task-<taskId>`: who has a task open.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CHANNEL = new RegExp(
  `^(?:private-tenant-(${UUID})(-admins)?|presence-tenant-(${UUID})(?:-(project|task)-(${UUID}))?)$`,
);

export type TenantChannel =
  | { kind: 'private'; tenantId: string }
  | { kind: 'admins'; tenantId: string }
  | { kind: 'presence'; tenantId: string; scope: null }
  | { kind: 'presence'; tenantId: string; scope: { type: 'project' | 'task'; id: string } };

export const tenantDataChannel = (tenantId: string) => `private-tenant-${tenantId}`;
export const tenantAdminChannel = (tenantId: string) => `private-tenant-${tenantId}-admins`;
export const tenantPresenceChannel = (tenantId: string) => `presence-tenant-${tenantId}`;
export const projectPresenceChannel = (tenantId: string, projectId: string) =>
  `presence-tenant-${tenantId}-project-${projectId}`;
export const taskPresenceChannel = (tenantId: string, taskId: string) =>
  `presence-tenant-${tenantId}-task-${taskId}`;

export function parseTenantChannel(name: string): TenantChannel | null {
  const match = CHANNEL.exec(name);
  if (!match) return null;
  const [, privateTenant, admins, presenceTenant, scopeType, scopeId] = match;
  if (privateTenant) return { kind: admins ? 'admins' : 'private', tenantId: privateTenant };
  const scope = scopeType ? { type: scopeType as 'project' | 'task', id: scopeId as string } : null;
  return { kind: 'presence', tenantId: presenceTenant as string, scope } as TenantChannel;
}

/** Pusher socket ids look like "1234.5678"; anything else is not a real connection. */
export const isSocketId = (value: string) => /^\d{1,20}\.\d{1,20}$/.test(value);

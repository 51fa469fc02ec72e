/**
 * The tenant's channels. Names are matched exactly (lowercase UUID, nothing before or after), so a suffix,
 * a case variant or another prefix can never be authorized as if it were the tenant's channel.
 */
const CHANNEL =
  /^(private|presence)-tenant-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export type TenantChannel = { kind: 'private' | 'presence'; tenantId: string };

export const tenantDataChannel = (tenantId: string) => `private-tenant-${tenantId}`;
export const tenantPresenceChannel = (tenantId: string) => `presence-tenant-${tenantId}`;

export function parseTenantChannel(name: string): TenantChannel | null {
  const match = CHANNEL.exec(name);
  return match ? { kind: match[1] as TenantChannel['kind'], tenantId: match[2]! } : null;
}

/** Pusher socket ids look like "1234.5678"; anything else is not a real connection. */
export const isSocketId = (value: string) => /^\d{1,20}\.\d{1,20}$/.test(value);

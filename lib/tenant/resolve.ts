import 'server-only';
import { eq } from 'drizzle-orm';
import { cache } from 'react';
import { type Tenant, tenants } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { RefreshingCache } from '@/lib/cache/refreshing-cache';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestHost } from '@/lib/http/request-meta';
import { noteRequestTenant } from '@/lib/observability/request-context';
import { parseHost } from './host';
import { getHostMove, hostMovedError } from './moved';

/**
 * Every request on a tenant host starts with this lookup, so active tenants are kept for a few seconds per
 * process: a suspended or deleted organization stops resolving within TENANT_TTL_MS. Misses are not kept, so
 * an organization resolves on the request right after its sign-up. A busy host is looked up again in the
 * background shortly before it expires, once however many requests are in flight (see RefreshingCache).
 */
const TENANT_TTL_MS = 5_000;
/**
 * One cache per process, on globalThis: Next.js bundles this module more than once (pages, and the server
 * actions that client components import), and an owner's change must reach the copy that serves pages.
 */
const KEY = Symbol.for('tenantry.tenantHosts');
const holder = globalThis as { [KEY]?: RefreshingCache<Tenant> };
holder[KEY] ??= new RefreshingCache<Tenant>({
  ttlMs: TENANT_TTL_MS,
  refreshAheadMs: 1_000,
  maxEntries: 10_000,
  load: async (slug) => {
    const [tenant] = await withPlatform('resolve-tenant-host', (tx) =>
      tx.select().from(tenants).where(eq(tenants.slug, slug)).limit(1),
    );
    return tenant && tenant.status === 'active' ? tenant : null;
  },
});
const hosts = holder[KEY];

export const findTenantBySlug = cache((slug: string): Promise<Tenant | null> => hosts.get(slug));

/**
 * After an organization changes its settings or its address, this process serves the change at once; other
 * processes within TENANT_TTL_MS.
 */
export function forgetTenantHost(slug: string) {
  hosts.forget(slug);
}

/**
 * The tenant of the current request, from its host and nothing else: never from the path, query, body or a
 * client-chosen header. Null on the root host, on unknown or reserved subdomains, and for suspended tenants.
 */
export const getHostTenant = cache(async (): Promise<Tenant | null> => {
  const parsed = parseHost(await getRequestHost(), getEnv().rootDomain);
  const tenant = parsed.kind === 'tenant' ? await findTenantBySlug(parsed.slug) : null;
  // The request counts towards this organization's usage (lib/observability/tenant-usage.ts).
  if (tenant) noteRequestTenant(tenant.id);
  return tenant;
});

/** For handlers that only make sense on an organization's host. */
export async function getHostTenantOrThrow(): Promise<Tenant> {
  const tenant = await getHostTenant();
  if (tenant) return tenant;
  const move = await getHostMove();
  if (move) throw hostMovedError(move);
  throw new AppError('not_found', 'There is no organization at this address.');
}

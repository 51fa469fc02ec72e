import 'server-only';
import { eq } from 'drizzle-orm';
import { cache } from 'react';
import { type Tenant, tenants } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestHost } from '@/lib/http/request-meta';
import { parseHost } from './host';

export const findTenantBySlug = cache(async (slug: string): Promise<Tenant | null> => {
  const [tenant] = await withPlatform('resolve-tenant-host', (tx) =>
    tx.select().from(tenants).where(eq(tenants.slug, slug)).limit(1),
  );
  return tenant && tenant.status === 'active' ? tenant : null;
});

/**
 * The tenant of the current request, from its host and nothing else: never from the path, query, body or a
 * client-chosen header. Null on the root host, on unknown or reserved subdomains, and for suspended tenants.
 */
export const getHostTenant = cache(async (): Promise<Tenant | null> => {
  const parsed = parseHost(await getRequestHost(), getEnv().rootDomain);
  return parsed.kind === 'tenant' ? findTenantBySlug(parsed.slug) : null;
});

/** For handlers that only make sense on an organization's host. */
export async function getHostTenantOrThrow(): Promise<Tenant> {
  const tenant = await getHostTenant();
  if (!tenant) throw new AppError('not_found', 'There is no organization at this address.');
  return tenant;
}

import 'server-only';
import { cache } from 'react';
import type { Tenant } from '@/db/schema';
import { AppError } from '@/lib/errors/app-error';
import { getRequestHost } from '@/lib/http/request-meta';
import { lookupTenant, tenantForHost } from './lookup';
import { getHostMove, hostMovedError } from './moved';

export { forgetTenantHost, tenantForHost } from './lookup';

/** The active organization at `slug` (see ./lookup.ts), looked up once per request. */
export const findTenantBySlug = cache(lookupTenant);

/**
 * The tenant of the current request, from its host and nothing else: never from the path, query, body or a
 * client-chosen header.
 */
export const getHostTenant = cache(
  async (): Promise<Tenant | null> => tenantForHost(await getRequestHost()),
);

/** For handlers that only make sense on an organization's host. */
export async function getHostTenantOrThrow(): Promise<Tenant> {
  const tenant = await getHostTenant();
  if (tenant) return tenant;
  const move = await getHostMove();
  if (move) throw hostMovedError(move);
  throw new AppError('not_found', 'There is no organization at this address.');
}

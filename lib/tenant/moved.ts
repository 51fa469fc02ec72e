import 'server-only';
import { and, eq, gt, sql } from 'drizzle-orm';
import { cache } from 'react';
import { tenantSlugRedirects, tenants } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { RefreshingCache } from '@/lib/cache/refreshing-cache';
import { getEnv } from '@/lib/config/env';
import { AppError } from '@/lib/errors/app-error';
import { getRequestHost } from '@/lib/http/request-meta';
import { parseHost, tenantOrigin } from './host';
// A cycle (./resolve.ts names this module's error), harmless: each uses the other only inside functions.
import { findTenantBySlug } from './resolve';

/** An organization's former subdomain, while it still redirects: where it went. */
export type HostMove = { tenantId: string; slug: string; name: string };

/** Like the host lookup (./resolve.ts): kept a few seconds, once per process, misses not kept. */
const KEY = Symbol.for('tenantry.hostMoves');
const holder = globalThis as { [KEY]?: RefreshingCache<HostMove> };
holder[KEY] ??= new RefreshingCache<HostMove>({
  ttlMs: 5_000,
  refreshAheadMs: 1_000,
  maxEntries: 10_000,
  load: async (formerSlug) => {
    const [row] = await withPlatform('resolve-tenant-host', (tx) =>
      tx
        .select({
          tenantId: tenants.id,
          slug: tenants.slug,
          name: tenants.name,
          status: tenants.status,
        })
        .from(tenantSlugRedirects)
        .innerJoin(tenants, eq(tenants.id, tenantSlugRedirects.targetTenantId))
        .where(
          and(
            eq(tenantSlugRedirects.slug, formerSlug),
            gt(tenantSlugRedirects.expiresAt, sql`now()`),
          ),
        )
        .limit(1),
    );
    return row && row.status === 'active'
      ? { tenantId: row.tenantId, slug: row.slug, name: row.name }
      : null;
  },
});
const moves = holder[KEY];

/** Where a former subdomain now leads, or null if it is not one (or no longer redirects). */
export const findHostMove = cache((formerSlug: string) => moves.get(formerSlug));

/**
 * Whether the current request's host is an organization's former address, and where it moved. Asked only
 * where a host names no organization (a cheap cache hit for every live host), so the request path of every
 * current organization pays nothing for it.
 */
export const getHostMove = cache(async (): Promise<HostMove | null> => {
  const parsed = parseHost(await getRequestHost(), getEnv().rootDomain);
  if (parsed.kind !== 'tenant') return null;
  if (await findTenantBySlug(parsed.slug)) return null;
  return findHostMove(parsed.slug);
});

/** The same path and query on the organization's current host, built from configuration. */
export function movedUrl(move: Pick<HostMove, 'slug'>, pathAndQuery: string) {
  const env = getEnv();
  const origin = tenantOrigin(move.slug, env.rootDomain, env.protocol);
  const url = new URL(origin);
  const target = new URL(pathAndQuery.startsWith('/') ? pathAndQuery : '/', origin);
  // Only the path and query travel: never another origin, whatever the path held.
  url.pathname = target.pathname;
  url.search = target.search;
  return url.toString();
}

/** What an action or handler that cannot answer with a redirect says on a former address. */
export const hostMovedError = (move: HostMove) =>
  new AppError(
    'not_found',
    `${move.name} has moved to ${new URL(movedUrl(move, '/')).host}. Reload the page to continue there.`,
  );

/**
 * For route handlers: a 308 to the same path on the new address, signed in or not (an API client follows
 * it; cookies are host-only, so no session crosses anyway), or null on any other host.
 */
export async function movedHostResponse(request: Request): Promise<Response | null> {
  const move = await getHostMove();
  if (!move) return null;
  const url = new URL(request.url);
  return new Response(null, {
    status: 308,
    headers: { Location: movedUrl(move, url.pathname + url.search), 'Cache-Control': 'no-store' },
  });
}

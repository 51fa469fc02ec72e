import 'server-only';
import { and, eq, gt, sql } from 'drizzle-orm';
import { type Tenant, tenantSlugRedirects, tenants } from '@/db/schema';
import { withPlatform } from '@/db/with-platform';
import { RefreshingCache } from '@/lib/cache/refreshing-cache';
import { getEnv } from '@/lib/config/env';
import { noteRequestTenant } from '@/lib/observability/request-context';
import { parseHost, tenantOrigin } from './host';

/**
 * Which organization a host names, and where a former address leads, from the host alone. Nothing here reads
 * the request from Next.js: ./resolve.ts and ./moved.ts ask with the current request's host, and the
 * project's server asks for the routes it answers itself (lib/http/direct-routes.ts).
 */

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
const HOSTS = Symbol.for('tenantry.tenantHosts');
const hostHolder = globalThis as { [HOSTS]?: RefreshingCache<Tenant> };
hostHolder[HOSTS] ??= new RefreshingCache<Tenant>({
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
const hosts = hostHolder[HOSTS];

/** The active organization at `slug`, or null. */
export const lookupTenant = (slug: string): Promise<Tenant | null> => hosts.get(slug);

/**
 * After an organization changes its settings or its address, this process serves the change at once; other
 * processes within TENANT_TTL_MS.
 */
export function forgetTenantHost(slug: string) {
  hosts.forget(slug);
}

/**
 * The tenant a host names: null on the root host, on unknown or reserved subdomains, and for suspended
 * tenants. The request counts towards that organization's usage (lib/observability/tenant-usage.ts).
 */
export async function tenantForHost(host: string | null): Promise<Tenant | null> {
  const parsed = parseHost(host, getEnv().rootDomain);
  const tenant = parsed.kind === 'tenant' ? await lookupTenant(parsed.slug) : null;
  if (tenant) noteRequestTenant(tenant.id);
  return tenant;
}

/** An organization's former subdomain, while it still redirects: where it went. */
export type HostMove = { tenantId: string; slug: string; name: string };

/** Like the host lookup (above): kept a few seconds, once per process, misses not kept. */
const MOVES = Symbol.for('tenantry.hostMoves');
const moveHolder = globalThis as { [MOVES]?: RefreshingCache<HostMove> };
moveHolder[MOVES] ??= new RefreshingCache<HostMove>({
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
const moves = moveHolder[MOVES];

/** Where a former subdomain now leads, or null if it is not one (or no longer redirects). */
export const lookupHostMove = (formerSlug: string): Promise<HostMove | null> =>
  moves.get(formerSlug);

/**
 * Whether a host is an organization's former address, and where it moved. Asked only where a host names no
 * organization (a cheap cache hit for every live host), so the request path of every current organization
 * pays nothing for it.
 */
export async function hostMoveFor(host: string | null): Promise<HostMove | null> {
  const parsed = parseHost(host, getEnv().rootDomain);
  if (parsed.kind !== 'tenant') return null;
  if (await lookupTenant(parsed.slug)) return null;
  return lookupHostMove(parsed.slug);
}

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

/** The 308 of `movedHostResponse` for a host already looked up; `url` may be a path with its query. */
export function movedResponse(move: HostMove | null, url: string): Response | null {
  if (!move) return null;
  const { pathname, search } = new URL(url, 'http://path.invalid');
  return new Response(null, {
    status: 308,
    headers: { Location: movedUrl(move, pathname + search), 'Cache-Control': 'no-store' },
  });
}

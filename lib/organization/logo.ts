import 'server-only';
import { eq } from 'drizzle-orm';
import { tenantLogos } from '@/db/schema';
import { withTenant } from '@/db/with-tenant';
import { notFoundError, toErrorResponse } from '@/lib/errors/app-error';
import { movedHostResponse } from '@/lib/tenant/moved';
import { getHostTenantOrThrow } from '@/lib/tenant/resolve';

/** A versioned URL names one logo for good; any other is answered with the current logo, revalidated. */
const FOREVER = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * GET /api/logo?v=<version> on an organization's host: the stored bytes with the type their signature gave
 * at upload (never one a client declared), `nosniff` so no browser reads them as anything else, and cached
 * for good when `v` names the current logo (its URL changes with every upload, lib/organization/queries.ts).
 */
export async function serveLogo(request: Request): Promise<Response> {
  try {
    const moved = await movedHostResponse(request);
    if (moved) return moved;
    const tenant = await getHostTenantOrThrow();
    const [logo] = await withTenant({ tenantId: tenant.id, userId: null }, (tx) =>
      tx
        .select({
          contentType: tenantLogos.contentType,
          bytes: tenantLogos.bytes,
          updatedAt: tenantLogos.updatedAt,
        })
        .from(tenantLogos)
        .where(eq(tenantLogos.tenantId, tenant.id)),
    );
    if (!logo) throw notFoundError('This logo');
    const version = new URL(request.url).searchParams.get('v');
    const current = version === String(logo.updatedAt.getTime());
    return new Response(new Uint8Array(logo.bytes), {
      headers: {
        'Content-Type': logo.contentType,
        'Content-Length': String(logo.bytes.length),
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': 'inline',
        'Cache-Control': current ? FOREVER : REVALIDATE,
      },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}

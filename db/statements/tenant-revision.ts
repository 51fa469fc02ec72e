import 'server-only';
import { sql } from 'drizzle-orm';
import { ALL_TENANTS_REVISION_ID } from '../schema';

/**
 * Where the tenant's shared content stands (db/schema/tenant-revisions.ts): its own counter plus the one all
 * tenants share, as text (a bigint). Both only move forward, so the sum moves whenever either does.
 */
export const tenantRevisionSql = (tenantId: string) =>
  sql<string>`(select coalesce(sum(r.revision), 0)::text from tenant_revisions r
    where r.tenant_id in (${tenantId}, ${ALL_TENANTS_REVISION_ID}))`;

import 'server-only';
import { type SQL, sql } from 'drizzle-orm';
import { tenantRevisionSql } from '@/db/statements/tenant-revision';
import { queryWithTenant } from '@/db/with-tenant';
import type { RevisionCache } from './revision-cache';

/** Who reads: the member's tenant and the revision their own session check read, in this request. */
export type RevisionReader = { tenant: { id: string }; userId: string; revision: string };

/**
 * A read of the tenant's shared content (the text `valueSql()` selects, or null; built only on a miss), kept in `cache` under the
 * tenant revision it was read at and served from there while the reader's revision is the same: every
 * committed change to tasks, comments, projects, memberships or member names moves it, in any process (see
 * db/schema/tenant-revisions.ts), so what is served is what the database would answer now. A hit costs no
 * database round trip beyond the request's session check; a miss reads the value and the revision in one
 * statement, so from one snapshot.
 */
export async function readAtRevision(
  cache: RevisionCache,
  reader: RevisionReader,
  key: string,
  valueSql: () => SQL,
): Promise<string | null> {
  const hit = cache.get(key, reader.revision);
  if (hit !== undefined) return hit;
  const [row] = await queryWithTenant<{ revision: string; value: string | null }>(
    { tenantId: reader.tenant.id, userId: reader.userId },
    sql`select ${tenantRevisionSql(reader.tenant.id)} as revision, (${valueSql()}) as value`,
  );
  const { revision, value } = row!;
  if (cache.maxBytes === 0) return value;
  if (value === null) cache.delete(key);
  else cache.set(key, revision, value);
  return value;
}

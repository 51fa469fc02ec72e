import { sql } from 'drizzle-orm';
import { bigint, pgPolicy, pgTable, uuid } from 'drizzle-orm/pg-core';
import { appRole, currentTenantId } from './roles';

/**
 * Where a tenant's shared content currently stands: a counter that every committed change to what the board
 * shows moves forward (tasks, comment counts, projects, memberships, and member names). Triggers move it, in
 * the custom migration, so no write path can forget; a read cached under one revision is still current while
 * the counter has not moved, whichever process wrote since. Member names live in `users`, outside any tenant:
 * a name change moves the row of `ALL_TENANTS_REVISION_ID`, which every tenant's revision includes.
 *
 * No foreign key to `tenants`: a counter that outlives its tenant is never read, and the triggers firing at
 * the commit of a tenant's deletion would otherwise trip over it.
 */
export const tenantRevisions = pgTable(
  'tenant_revisions',
  {
    tenantId: uuid('tenant_id').primaryKey(),
    revision: bigint('revision', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    // The runtime role reads its tenant's counter and the one shared by all tenants; only the triggers write.
    pgPolicy('tenant_revisions_tenant_read', {
      for: 'select',
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId} or ${t.tenantId} = '00000000-0000-0000-0000-000000000000'::uuid`,
    }),
  ],
).enableRLS();

/** The row that member-name changes move: part of every tenant's revision. */
export const ALL_TENANTS_REVISION_ID = '00000000-0000-0000-0000-000000000000';

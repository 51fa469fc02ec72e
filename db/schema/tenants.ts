import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { appRole, currentTenantId, currentUserId, platformRole } from './roles';

export const tenantStatuses = ['active', 'suspended'] as const;

export const tenants = pgTable(
  'tenants',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: tenantStatuses }).notNull().default('active'),
    // Owners can require every member to sign in with a second factor (lib/auth/session.ts enforces it).
    requireTwoFactor: boolean('require_two_factor').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    uniqueIndex('tenants_slug_key').on(t.slug),
    check('tenants_slug_lowercase', sql`${t.slug} = lower(${t.slug})`),
    check('tenants_status_valid', sql`${t.status} in ('active', 'suspended')`),
    // A tenant sees only its own row.
    pgPolicy('tenants_app_own', {
      for: 'select',
      to: appRole,
      using: sql`${t.id} = ${currentTenantId}`,
    }),
    // Its own settings; column grants limit this to what owners may change (migration 0015).
    pgPolicy('tenants_app_update', {
      for: 'update',
      to: appRole,
      using: sql`${t.id} = ${currentTenantId}`,
      withCheck: sql`${t.id} = ${currentTenantId}`,
    }),
    // The organizations the current user belongs to, by name, for the same pages.
    pgPolicy('tenants_app_own_memberships', {
      for: 'select',
      to: appRole,
      using: sql`exists (select 1 from memberships m where m.tenant_id = ${t.id} and m.user_id = ${currentUserId})`,
    }),
    // Sign-up and the host → tenant lookup span tenants by nature.
    pgPolicy('tenants_platform_select', { for: 'select', to: platformRole, using: sql`true` }),
    pgPolicy('tenants_platform_insert', { for: 'insert', to: platformRole, withCheck: sql`true` }),
  ],
);

export type Tenant = typeof tenants.$inferSelect;

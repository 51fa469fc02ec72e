import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, updatedAt } from './columns';
import { deadRowsForWorker } from './retention';
import {
  appRole,
  currentTenantId,
  currentUserId,
  platformRole,
  tenantIsolationPolicy,
} from './roles';

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
    // Organization settings (lib/organization): an accent colour for the shell, '#rrggbb'.
    accentColor: text('accent_color'),
    // The role of people who join without an invitation, and the one the invitation form proposes.
    defaultRole: text('default_role', { enum: ['admin', 'member', 'viewer'] })
      .notNull()
      .default('member'),
    // Verified addresses at these domains may join without an invitation (lowercase, no public providers).
    allowedEmailDomains: text('allowed_email_domains').array().notNull().default(sql`'{}'::text[]`),
    // A session unused for this many days ends (db/statements/session-check.ts).
    sessionIdleDays: integer('session_idle_days').notNull().default(7),
    // Audit events older than this are purged daily by the worker; null keeps them forever.
    auditRetentionDays: integer('audit_retention_days').default(365),
    // Changes when the logo does, so its URL can be cached for good (tenant_logos).
    logoUpdatedAt: timestamp('logo_updated_at', { withTimezone: true }),
    // Optimistic concurrency for the settings form.
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    uniqueIndex('tenants_slug_key').on(t.slug),
    check('tenants_slug_lowercase', sql`${t.slug} = lower(${t.slug})`),
    check('tenants_status_valid', sql`${t.status} in ('active', 'suspended')`),
    check('tenants_accent_color_valid', sql`${t.accentColor} ~ '^#[0-9a-f]{6}$'`),
    check('tenants_default_role_valid', sql`${t.defaultRole} in ('admin', 'member', 'viewer')`),
    check('tenants_session_idle_days_valid', sql`${t.sessionIdleDays} between 1 and 30`),
    check('tenants_audit_retention_valid', sql`${t.auditRetentionDays} in (90, 365)`),
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

/**
 * An organization's logo (PNG, JPEG or WebP, at most 256 KB), apart from `tenants` so that the host lookup,
 * which every request makes, never reads its bytes.
 */
export const tenantLogos = pgTable(
  'tenant_logos',
  {
    tenantId: uuid('tenant_id').notNull(),
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check(
      'tenant_logos_content_type_valid',
      sql`${t.contentType} in ('image/png', 'image/jpeg', 'image/webp')`,
    ),
    check('tenant_logos_size_valid', sql`octet_length(${t.bytes}) between 1 and 262144`),
    tenantIsolationPolicy('tenant_logos', t.tenantId),
  ],
);

/**
 * An organization's former subdomain, which redirects to its current one for 30 days and is then free again.
 * Global by nature (a slug names at most one organization across the platform): the host lookup reads it on
 * the platform path; the organization itself records its own old slug when it renames.
 */
export const tenantSlugRedirects = pgTable(
  'tenant_slug_redirects',
  {
    slug: text('slug').notNull(),
    // Named for what it is, the redirect's target: this is a global table, not one of a tenant's tables.
    targetTenantId: uuid('target_tenant_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.slug] }),
    index('tenant_slug_redirects_target_idx').on(t.targetTenantId),
    foreignKey({ columns: [t.targetTenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check('tenant_slug_redirects_slug_lowercase', sql`${t.slug} = lower(${t.slug})`),
    pgPolicy('tenant_slug_redirects_app_own', {
      for: 'all',
      to: appRole,
      using: sql`${t.targetTenantId} = ${currentTenantId}`,
      withCheck: sql`${t.targetTenantId} = ${currentTenantId}`,
    }),
    pgPolicy('tenant_slug_redirects_platform_select', {
      for: 'select',
      to: platformRole,
      using: sql`true`,
    }),
    // An expired redirect frees its slug at once (the slug claim trigger, migration of lib/organization);
    // the worker's clean-up deletes the rows nobody claimed.
    ...deadRowsForWorker('tenant_slug_redirects', sql`${t.expiresAt} < now()`),
  ],
);

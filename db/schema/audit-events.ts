import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns';
import { platformRole, tenantCreatedInThisTransaction, tenantIsolationPolicy } from './roles';
import { tenants } from './tenants';

export const auditActorTypes = ['user', 'api_key', 'operator', 'system'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

/**
 * Append-only: no role may change or delete an entry (a trigger refuses both for every role, the owner
 * included); only the worker's retention purge, a function of its own, removes old ones. The foreign key to
 * `tenants` does not cascade, so deleting an organization cannot silently take its trail with it.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    tenantId: tenantId(),
    // No foreign key: the trail outlives the people in it.
    actorUserId: uuid('actor_user_id'),
    actorType: text('actor_type', { enum: auditActorTypes }).notNull().default('user'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    // For changes: the fields that changed, as they were and as they became.
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Keyset pagination, newest first, whole trail or filtered by action, actor or target.
    index('audit_events_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('audit_events_tenant_action_idx').on(
      t.tenantId,
      t.action,
      t.createdAt.desc(),
      t.id.desc(),
    ),
    index('audit_events_tenant_actor_idx').on(
      t.tenantId,
      t.actorUserId,
      t.createdAt.desc(),
      t.id.desc(),
    ),
    index('audit_events_tenant_target_idx').on(
      t.tenantId,
      t.targetType,
      t.targetId,
      t.createdAt.desc(),
    ),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('no action'),
    check(
      'audit_events_actor_type_valid',
      sql`${t.actorType} in ('user', 'api_key', 'operator', 'system')`,
    ),
    tenantIsolationPolicy('audit_events', t.tenantId),
    // Sign-up records the creation of a tenant before any tenant context exists.
    pgPolicy('audit_events_platform_insert', {
      for: 'insert',
      to: platformRole,
      withCheck: tenantCreatedInThisTransaction(t.tenantId),
    }),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;

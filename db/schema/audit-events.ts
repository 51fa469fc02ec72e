import {
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

/** Append-only: the runtime role may insert, never change or delete; nothing reads it yet, so neither may it. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    tenantId: tenantId(),
    // No foreign key: the trail outlives the people in it.
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_events_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
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

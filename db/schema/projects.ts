import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  integer,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns';
import { appRole, currentTenantId } from './roles';
import { tenants } from './tenants';
import { users } from './users';

export const projects = pgTable(
  'projects',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('projects_tenant_created_idx').on(t.tenantId, t.createdAt),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.createdBy], foreignColumns: [users.id] }).onDelete('set null'),
    pgPolicy('projects_tenant_isolation', {
      for: 'all',
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
);

export type Project = typeof projects.$inferSelect;

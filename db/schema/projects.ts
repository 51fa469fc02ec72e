import { foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns';
import { tenantIsolationPolicy } from './roles';
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
    tenantIsolationPolicy('projects', t.tenantId),
  ],
);

export type Project = typeof projects.$inferSelect;

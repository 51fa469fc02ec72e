import 'server-only';
import { and, desc, eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { projects, users } from '@/db/schema';
import { notFoundError } from '@/lib/errors/app-error';

export type ProjectSummary = {
  id: string;
  name: string;
  description: string;
  version: number;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
};

const summary = {
  id: projects.id,
  name: projects.name,
  description: projects.description,
  version: projects.version,
  createdByName: users.name,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
};

const serialize = (
  row: { createdAt: Date; updatedAt: Date } & Omit<ProjectSummary, 'createdAt' | 'updatedAt'>,
) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Runs inside `withTenant`: RLS already confines the rows; the tenant filter states intent and uses the index. */
export async function listProjects(tx: Transaction, tenantId: string): Promise<ProjectSummary[]> {
  const rows = await tx
    .select(summary)
    .from(projects)
    .leftJoin(users, eq(users.id, projects.createdBy))
    .where(eq(projects.tenantId, tenantId))
    .orderBy(desc(projects.createdAt));
  return rows.map(serialize);
}

export async function getProjectOrThrow(
  tx: Transaction,
  { tenantId, id }: { tenantId: string; id: string },
) {
  const [row] = await tx
    .select(summary)
    .from(projects)
    .leftJoin(users, eq(users.id, projects.createdBy))
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, id)));
  if (!row) throw notFoundError('This project');
  return serialize(row);
}

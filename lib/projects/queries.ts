import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { projects, users } from '@/db/schema';
import { type RevisionReader, readAtRevision } from '@/lib/cache/revision-read';
import { notFoundError } from '@/lib/errors/app-error';
import { boardCache } from '@/lib/tasks/board-cache';

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

/**
 * How many projects the member's organization has, for the dashboard: kept under the tenant revision with
 * the boards (lib/cache/revision-read.ts), so a dashboard load costs no query beyond its session check
 * until a project (or anything else of the tenant's) changes.
 */
export async function countProjects(member: RevisionReader): Promise<number> {
  const text = await readAtRevision(
    boardCache(),
    member,
    `${member.tenant.id}/project-count`,
    () => sql`select count(*)::text from projects where tenant_id = ${member.tenant.id}`,
  );
  return Number(text ?? 0);
}

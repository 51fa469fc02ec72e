'use server';

import { and, eq, sql } from 'drizzle-orm';
import { projects } from '@/db/schema';
import { tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { getProjectOrThrow } from './queries';
import { createProjectSchema, deleteProjectSchema, renameProjectSchema } from './schemas';

export const createProject = tenantAction(
  { schema: createProjectSchema, permission: 'project:create' },
  async (input, { tx, member }) => {
    const [row] = await tx
      .insert(projects)
      .values({
        tenantId: member.tenant.id,
        name: input.name,
        description: input.description,
        createdBy: member.userId,
      })
      .returning({ id: projects.id });
    const project = await getProjectOrThrow(tx, { tenantId: member.tenant.id, id: row!.id });
    return {
      data: project,
      events: [{ name: 'project.created', payload: { project } }],
      audit: {
        action: 'project.created',
        targetType: 'project',
        targetId: project.id,
        metadata: { name: project.name },
      },
    };
  },
);

/** Optimistic concurrency: the update applies only to the version the user saw; otherwise a conflict with the current row. */
export const renameProject = tenantAction(
  { schema: renameProjectSchema, permission: 'project:update' },
  async (input, { tx, member }) => {
    // The name as it was, for the audit entry: read in the transaction that changes it.
    const [previous] = await tx
      .select({ name: projects.name })
      .from(projects)
      .where(and(eq(projects.tenantId, member.tenant.id), eq(projects.id, input.id)));
    const [updated] = await tx
      .update(projects)
      .set({ name: input.name, version: sql`${projects.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(projects.tenantId, member.tenant.id),
          eq(projects.id, input.id),
          eq(projects.version, input.version),
        ),
      )
      .returning({ id: projects.id });
    if (!updated) {
      const current = await getProjectOrThrow(tx, { tenantId: member.tenant.id, id: input.id });
      throw new AppError(
        'conflict',
        'Someone else changed this project in the meantime. Review the current name and try again.',
        {
          current,
        },
      );
    }
    const project = await getProjectOrThrow(tx, { tenantId: member.tenant.id, id: input.id });
    return {
      data: project,
      events: [{ name: 'project.updated', payload: { project } }],
      audit: {
        action: 'project.renamed',
        targetType: 'project',
        targetId: project.id,
        metadata: { name: project.name },
        ...auditChanges({ name: previous?.name ?? null }, { name: project.name }),
      },
    };
  },
);

export const deleteProject = tenantAction(
  { schema: deleteProjectSchema, permission: 'project:delete' },
  async (input, { tx, member }) => {
    const [deleted] = await tx
      .delete(projects)
      .where(and(eq(projects.tenantId, member.tenant.id), eq(projects.id, input.id)))
      .returning({ id: projects.id, name: projects.name });
    if (!deleted) throw notFoundError('This project');
    return {
      data: { id: deleted.id },
      events: [{ name: 'project.deleted', payload: { projectId: deleted.id } }],
      audit: {
        action: 'project.deleted',
        targetType: 'project',
        targetId: deleted.id,
        metadata: { name: deleted.name },
      },
    };
  },
);

'use server';

import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships, taskComments, tasks } from '@/db/schema';
import { type TenantActionContext, tenantAction } from '@/lib/actions/tenant-action';
import { auditChanges } from '@/lib/audit/record';
import { canDeleteComment, canDeleteTask, canEditComment } from '@/lib/authz/rules';
import { AppError, notFoundError } from '@/lib/errors/app-error';
import { lockProjectOrThrow, placeInColumn } from './positions';
import { getCommentCounts, getCommentOrThrow, getTaskCardOrThrow, type TaskCard } from './queries';
import {
  addCommentSchema,
  createTaskSchema,
  deleteCommentSchema,
  deleteTaskSchema,
  editCommentSchema,
  moveTaskSchema,
  updateTaskSchema,
} from './schemas';

async function requireActiveAssignee(tx: Transaction, tenantId: string, userId: string | null) {
  if (!userId) return;
  const [row] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.userId, userId),
        eq(memberships.status, 'active'),
      ),
    );
  if (!row) {
    throw new AppError('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: { assigneeId: 'Choose a current member of this organization.' },
    });
  }
}

/** A stale version: the conflict names who changed the task and carries it as it is now. */
async function taskConflictOrNotFound(
  tx: Transaction,
  tenantId: string,
  id: string,
): Promise<never> {
  const current = await getTaskCardOrThrow(tx, { tenantId, id });
  const who = current.updatedByName ?? 'Someone';
  throw new AppError('conflict', `${who} changed this task while you were editing it.`, {
    current,
  });
}

const taskEvent = (name: string, task: TaskCard) => ({ name, payload: { task } });

export const createTask = tenantAction(
  { schema: createTaskSchema, permission: 'task:write' },
  async (input, { tx, member }) => {
    const tenantId = member.tenant.id;
    await lockProjectOrThrow(tx, { tenantId, projectId: input.projectId });
    await requireActiveAssignee(tx, tenantId, input.assigneeId);
    const { position } = await placeInColumn(
      tx,
      {
        tenantId,
        projectId: input.projectId,
        status: input.status,
      },
      {},
    );
    const [row] = await tx
      .insert(tasks)
      .values({
        ...input,
        tenantId,
        position,
        createdBy: member.userId,
        updatedBy: member.userId,
      })
      .returning({ id: tasks.id });
    const task = await getTaskCardOrThrow(tx, { tenantId, id: row!.id });
    return {
      data: task,
      events: [taskEvent('task.created', task)],
      audit: {
        action: 'task.created',
        targetType: 'task',
        targetId: task.id,
        metadata: { projectId: task.projectId, title: task.title },
      },
    };
  },
);

/**
 * A task edit's before and after: the changed fields, the description aside (it can be pages long; the entry
 * says it changed, in `fields`).
 */
function taskChanges(
  previous: Record<string, unknown> | undefined,
  changes: Record<string, unknown>,
) {
  const { description: _description, ...fields } = changes;
  return auditChanges(previous ?? {}, fields);
}

export const updateTask = tenantAction(
  { schema: updateTaskSchema, permission: 'task:write' },
  async ({ id, version, ...changes }, { tx, member }) => {
    const tenantId = member.tenant.id;
    if (changes.assigneeId !== undefined)
      await requireActiveAssignee(tx, tenantId, changes.assigneeId);
    // The fields as they were, for the audit entry's before and after.
    const [previous] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
    const [updated] = await tx
      .update(tasks)
      .set({
        ...changes,
        version: sql`${tasks.version} + 1`,
        updatedBy: member.userId,
        updatedAt: sql`now()`,
      })
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id), eq(tasks.version, version)))
      .returning({ id: tasks.id });
    if (!updated) await taskConflictOrNotFound(tx, tenantId, id);
    const task = await getTaskCardOrThrow(tx, { tenantId, id });
    return {
      data: task,
      events: [
        {
          name: 'task.updated',
          // Descriptions can be long: the event says it changed, and open panels refetch it.
          payload: { task, descriptionChanged: changes.description !== undefined },
        },
      ],
      audit: {
        action: 'task.updated',
        targetType: 'task',
        targetId: id,
        metadata: { fields: Object.keys(changes) },
        ...taskChanges(previous, changes),
      },
    };
  },
);

export const moveTask = tenantAction(
  { schema: moveTaskSchema, permission: 'task:write' },
  async (input, { tx, member }) => {
    const tenantId = member.tenant.id;
    const [task] = await tx
      .select({ projectId: tasks.projectId, version: tasks.version, status: tasks.status })
      .from(tasks)
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, input.id)));
    if (!task) throw notFoundError('This task');
    await lockProjectOrThrow(tx, { tenantId, projectId: task.projectId });
    // Checked again under the lock: a move that committed meanwhile makes this one a conflict.
    const [locked] = await tx
      .select({ version: tasks.version })
      .from(tasks)
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, input.id)));
    if (!locked) throw notFoundError('This task');
    if (locked.version !== input.version) await taskConflictOrNotFound(tx, tenantId, input.id);
    const column = { tenantId, projectId: task.projectId, status: input.status };
    const { position, renumbered } = await placeInColumn(tx, column, {
      afterId: input.afterId,
      beforeId: input.beforeId,
      excludeId: input.id,
    });
    await tx
      .update(tasks)
      .set({
        status: input.status,
        position,
        version: sql`${tasks.version} + 1`,
        updatedBy: member.userId,
        updatedAt: sql`now()`,
      })
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, input.id)));
    const moved = await getTaskCardOrThrow(tx, { tenantId, id: input.id });
    return {
      data: moved,
      events: [
        taskEvent('task.moved', moved),
        // Rare: the column ran out of room between two cards and was respread; boards refetch it.
        ...(renumbered
          ? [{ name: 'board.renumbered', payload: { projectId: task.projectId } }]
          : []),
      ],
      audit: {
        action: 'task.moved',
        targetType: 'task',
        targetId: input.id,
        metadata: { from: task.status, to: input.status },
        ...auditChanges({ status: task.status }, { status: input.status }),
      },
    };
  },
);

const actorOf = (member: TenantActionContext['member']) => ({
  userId: member.userId,
  role: member.role,
});

export const deleteTask = tenantAction(
  { schema: deleteTaskSchema, permission: 'task:delete_own' },
  async ({ id }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const task = await getTaskCardOrThrow(tx, { tenantId, id });
    if (!canDeleteTask(actorOf(member), task)) {
      throw new AppError('forbidden', 'You can delete only tasks you created.');
    }
    await tx.delete(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
    return {
      data: { id },
      events: [{ name: 'task.deleted', payload: { taskId: id, projectId: task.projectId } }],
      audit: {
        action: 'task.deleted',
        targetType: 'task',
        targetId: id,
        metadata: { projectId: task.projectId, title: task.title },
      },
    };
  },
);

export const addComment = tenantAction(
  { schema: addCommentSchema, permission: 'comment:write' },
  async (input, { tx, member }) => {
    const tenantId = member.tenant.id;
    const task = await getTaskCardOrThrow(tx, { tenantId, id: input.taskId });
    const [row] = await tx
      .insert(taskComments)
      .values({ tenantId, taskId: task.id, authorId: member.userId, body: input.body })
      .returning({ id: taskComments.id });
    const comment = await getCommentOrThrow(tx, { tenantId, id: row!.id });
    // Read after the insert, so they include it (a trigger keeps them; see db/schema/tasks.ts).
    const counts = await getCommentCounts(tx, { tenantId, taskId: task.id });
    return {
      data: { comment, counts },
      events: [{ name: 'comment.created', payload: { comment, counts } }],
      audit: {
        action: 'comment.created',
        targetType: 'task',
        targetId: task.id,
        metadata: { commentId: comment.id },
      },
    };
  },
);

export const editComment = tenantAction(
  { schema: editCommentSchema, permission: 'comment:write' },
  async (input, { tx, member }) => {
    const tenantId = member.tenant.id;
    const existing = await getCommentOrThrow(tx, { tenantId, id: input.id });
    if (!canEditComment(actorOf(member), existing)) {
      throw new AppError('forbidden', 'You can edit only your own comments.');
    }
    const [updated] = await tx
      .update(taskComments)
      .set({ body: input.body, version: sql`${taskComments.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(taskComments.tenantId, tenantId),
          eq(taskComments.id, input.id),
          eq(taskComments.version, input.version),
        ),
      )
      .returning({ id: taskComments.id });
    if (!updated) {
      throw new AppError(
        'conflict',
        'This comment changed in another window. Review it and try again.',
        {
          current: existing,
        },
      );
    }
    const comment = await getCommentOrThrow(tx, { tenantId, id: input.id });
    return {
      data: comment,
      events: [{ name: 'comment.updated', payload: { comment } }],
      audit: {
        action: 'comment.updated',
        targetType: 'task',
        targetId: comment.taskId,
        metadata: { commentId: comment.id },
      },
    };
  },
);

export const deleteComment = tenantAction(
  { schema: deleteCommentSchema, permission: 'comment:write' },
  async ({ id }, { tx, member }) => {
    const tenantId = member.tenant.id;
    const comment = await getCommentOrThrow(tx, { tenantId, id });
    if (!canDeleteComment(actorOf(member), comment)) {
      throw new AppError('forbidden', 'You can delete only your own comments.');
    }
    await tx
      .delete(taskComments)
      .where(and(eq(taskComments.tenantId, tenantId), eq(taskComments.id, id)));
    const counts = await getCommentCounts(tx, { tenantId, taskId: comment.taskId });
    return {
      data: { id, counts },
      events: [
        { name: 'comment.deleted', payload: { commentId: id, taskId: comment.taskId, counts } },
      ],
      audit: {
        action: 'comment.deleted',
        targetType: 'task',
        targetId: comment.taskId,
        metadata: { commentId: id },
      },
    };
  },
);

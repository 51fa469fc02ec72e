import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Transaction } from '@/db/client';
import { taskComments, tasks, users } from '@/db/schema';
import type { TaskStatus } from '@/db/schema/tasks';
import { notFoundError } from '@/lib/errors/app-error';

/** What a card on the board shows, and what a realtime event carries: small, no description. */
export type TaskCard = {
  id: string;
  projectId: string;
  title: string;
  status: TaskStatus;
  position: number;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  createdBy: string | null;
  updatedByName: string | null;
  commentCount: number;
  /** Moves with every comment added or deleted: of two counts, the one with the higher commentsVersion is newer. */
  commentsVersion: number;
  version: number;
  updatedAt: string;
};

export type TaskComment = {
  id: string;
  taskId: string;
  authorId: string | null;
  authorName: string | null;
  body: string;
  version: number;
  createdAt: string;
  edited: boolean;
};

export type TaskDetail = TaskCard & {
  description: string;
  createdByName: string | null;
  createdAt: string;
  comments: TaskComment[];
};

export type BoardMember = { id: string; name: string };
export type Board = {
  project: { id: string; name: string };
  tasks: TaskCard[];
  members: BoardMember[];
};

const assignee = alias(users, 'assignee');
const editor = alias(users, 'editor');

function selectCards(tx: Transaction) {
  return tx
    .select({
      id: tasks.id,
      projectId: tasks.projectId,
      title: tasks.title,
      status: tasks.status,
      position: tasks.position,
      assigneeId: tasks.assigneeId,
      assigneeName: assignee.name,
      dueDate: tasks.dueDate,
      createdBy: tasks.createdBy,
      updatedByName: editor.name,
      commentCount: tasks.commentCount,
      commentsVersion: tasks.commentsVersion,
      version: tasks.version,
      updatedAt: tasks.updatedAt,
    })
    .from(tasks)
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .leftJoin(editor, eq(editor.id, tasks.updatedBy));
}

type CardRow = Omit<TaskCard, 'updatedAt'> & { updatedAt: Date };
const toCard = (row: CardRow): TaskCard => ({ ...row, updatedAt: row.updatedAt.toISOString() });

export async function getTaskCardOrThrow(
  tx: Transaction,
  { tenantId, id }: { tenantId: string; id: string },
): Promise<TaskCard> {
  const [row] = await selectCards(tx).where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id)));
  if (!row) throw notFoundError('This task');
  return toCard(row);
}

export async function getTaskDetailOrThrow(
  tx: Transaction,
  { tenantId, id }: { tenantId: string; id: string },
): Promise<TaskDetail> {
  const creator = alias(users, 'creator');
  const [[extra], card, comments] = await Promise.all([
    tx
      .select({
        description: tasks.description,
        createdByName: creator.name,
        createdAt: tasks.createdAt,
      })
      .from(tasks)
      .leftJoin(creator, eq(creator.id, tasks.createdBy))
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id))),
    getTaskCardOrThrow(tx, { tenantId, id }),
    listComments(tx, { tenantId, taskId: id }),
  ]);
  if (!extra) throw notFoundError('This task');
  return { ...card, ...extra, createdAt: extra.createdAt.toISOString(), comments };
}

const commentColumns = {
  id: taskComments.id,
  taskId: taskComments.taskId,
  authorId: taskComments.authorId,
  authorName: users.name,
  body: taskComments.body,
  version: taskComments.version,
  createdAt: taskComments.createdAt,
  updatedAt: taskComments.updatedAt,
};

type CommentRow = Omit<TaskComment, 'createdAt' | 'edited'> & { createdAt: Date; updatedAt: Date };
const toComment = ({ updatedAt, ...row }: CommentRow): TaskComment => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  edited: row.version > 1 || updatedAt.getTime() !== row.createdAt.getTime(),
});

export async function listComments(
  tx: Transaction,
  { tenantId, taskId }: { tenantId: string; taskId: string },
): Promise<TaskComment[]> {
  const rows = await tx
    .select(commentColumns)
    .from(taskComments)
    .leftJoin(users, eq(users.id, taskComments.authorId))
    .where(and(eq(taskComments.tenantId, tenantId), eq(taskComments.taskId, taskId)))
    .orderBy(asc(taskComments.createdAt));
  return rows.map(toComment);
}

/** A task's comment count as of a comment added or deleted, with the version that orders it (db/schema/tasks.ts). */
export type CommentCounts = { taskId: string; commentCount: number; commentsVersion: number };

export async function getCommentCounts(
  tx: Transaction,
  { tenantId, taskId }: { tenantId: string; taskId: string },
): Promise<CommentCounts> {
  const [row] = await tx
    .select({ commentCount: tasks.commentCount, commentsVersion: tasks.commentsVersion })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId)));
  if (!row) throw notFoundError('This task');
  return { taskId, ...row };
}

export async function getCommentOrThrow(
  tx: Transaction,
  { tenantId, id }: { tenantId: string; id: string },
): Promise<TaskComment> {
  const [row] = await tx
    .select(commentColumns)
    .from(taskComments)
    .leftJoin(users, eq(users.id, taskComments.authorId))
    .where(and(eq(taskComments.tenantId, tenantId), eq(taskComments.id, id)));
  if (!row) throw notFoundError('This comment');
  return toComment(row);
}

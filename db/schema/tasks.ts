import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns';
import { projects } from './projects';
import { tenantIsolationPolicy } from './roles';
import { users } from './users';

export const taskStatuses = ['todo', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/**
 * A card on a project's board. `position` orders the cards of one column; the server computes it from the
 * neighbours under a lock on the project, and a deferrable unique constraint (in the custom migration, and
 * also the index the board reads by) makes a duplicate impossible. The assignee is a member of the same tenant: a composite foreign key to
 * memberships, also in the custom migration, since it sets only `assignee_id` to null on delete.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    tenantId: tenantId(),
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: taskStatuses }).notNull().default('todo'),
    position: doublePrecision('position').notNull(),
    assigneeId: uuid('assignee_id'),
    dueDate: date('due_date'),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    version: integer('version').notNull().default(1),
    /**
     * How many comments the task has, and a counter that moves with every comment added or deleted: both kept
     * by a trigger on task_comments (custom migration; no app code writes them), under the task row's lock,
     * so every transaction that adds or deletes a comment reads the exact figures its commit leaves. Events
     * and board reads carry both; a client keeps the count with the highest `commentsVersion` it has seen,
     * whatever order events and refetches arrive in. Not part of `version`: a comment is not an edit of the
     * task and must not turn someone's edit of it into a conflict.
     */
    commentCount: integer('comment_count').notNull().default(0),
    commentsVersion: integer('comments_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.projectId],
      foreignColumns: [projects.tenantId, projects.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.createdBy], foreignColumns: [users.id] }).onDelete('set null'),
    foreignKey({ columns: [t.updatedBy], foreignColumns: [users.id] }).onDelete('set null'),
    check('tasks_status_valid', sql`${t.status} in ('todo', 'in_progress', 'done')`),
    tenantIsolationPolicy('tasks', t.tenantId),
  ],
);

export type Task = typeof tasks.$inferSelect;

export const taskComments = pgTable(
  'task_comments',
  {
    id: id(),
    tenantId: tenantId(),
    taskId: uuid('task_id').notNull(),
    authorId: uuid('author_id'),
    body: text('body').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('task_comments_task_idx').on(t.tenantId, t.taskId, t.createdAt),
    foreignKey({
      columns: [t.tenantId, t.taskId],
      foreignColumns: [tasks.tenantId, tasks.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.authorId], foreignColumns: [users.id] }).onDelete('set null'),
    tenantIsolationPolicy('task_comments', t.tenantId),
  ],
);

export type TaskComment = typeof taskComments.$inferSelect;

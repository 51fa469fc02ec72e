import { z } from 'zod';
import { taskStatuses } from '@/db/schema/tasks';
import { notFoundError } from '@/lib/errors/app-error';
import { versionSchema } from '@/lib/validation/version';

const uuid = (message: string) => z.string().uuid(message);
const taskId = uuid('This task does not exist.');
const version = versionSchema;
const title = z
  .string()
  .trim()
  .min(1, 'Give the task a title.')
  .max(200, 'Use at most 200 characters.');
const description = z.string().trim().max(5000, 'Use at most 5,000 characters.');
const status = z.enum(taskStatuses, { message: 'Choose To do, In progress or Done.' });
const assigneeId = z
  .union([uuid('Choose a member of this organization.'), z.literal('')])
  .nullable()
  .transform((v) => v || null);
/** A calendar date people plan with: PostgreSQL has no year 0, and nothing is due before 1900. */
const plannableDate = z.iso
  .date('Enter a date like 2026-12-31.')
  .refine((v) => Number(v.slice(0, 4)) >= 1900, 'Enter a date between 1900 and 9999.');
const dueDate = z
  .union([plannableDate, z.literal('')])
  .nullable()
  .transform((v) => v || null);
const neighbour = uuid('The neighbouring task does not exist.').nullable().default(null);

export const createTaskSchema = z.object({
  projectId: uuid('This project does not exist.'),
  title,
  description: description.default(''),
  status: status.default('todo'),
  assigneeId: assigneeId.default(null),
  dueDate: dueDate.default(null),
});

/** Only the fields the user changed travel, with the version they saw. */
export const updateTaskSchema = z
  .object({
    id: taskId,
    version,
    title: title.optional(),
    description: description.optional(),
    assigneeId: assigneeId.optional(),
    dueDate: dueDate.optional(),
  })
  .refine((v) => [v.title, v.description, v.assigneeId, v.dueDate].some((f) => f !== undefined), {
    message: 'Nothing to change.',
    path: ['form'],
  });

/**
 * A move names where the user dropped the card: the column and the cards they saw above and below it. The
 * server computes the position from the neighbours as they are now, never from a number the client sends.
 */
export const moveTaskSchema = z.object({
  id: taskId,
  version,
  status,
  afterId: neighbour,
  beforeId: neighbour,
});

export const deleteTaskSchema = z.object({ id: taskId });

const body = z
  .string()
  .trim()
  .min(1, 'Write a comment first.')
  .max(2000, 'Use at most 2,000 characters.');
const commentId = uuid('This comment does not exist.');

export const addCommentSchema = z.object({ taskId, body });
export const editCommentSchema = z.object({ id: commentId, version, body });
export const deleteCommentSchema = z.object({ id: commentId });

export type CreateTaskInput = z.input<typeof createTaskSchema>;
export type UpdateTaskInput = z.input<typeof updateTaskSchema>;
export type MoveTaskInput = z.input<typeof moveTaskSchema>;

/** Built once: every board read checks its project id with it, and building it cost ~40 µs a request. */
const anyId = z.string().uuid();

/** A malformed id in a URL is a task or project that does not exist, like any other unknown id. */
const idParam = (what: string) => (value: string | undefined) => {
  const parsed = anyId.safeParse(value);
  if (!parsed.success) throw notFoundError(what);
  return parsed.data;
};
export const taskIdParam = idParam('This task');
export const projectIdParam = idParam('This project');

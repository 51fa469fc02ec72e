import type { TaskStatus } from '@/db/schema/tasks';
import type { Board, TaskCard } from '@/lib/tasks/queries';

export const COLUMNS: { status: TaskStatus; title: string }[] = [
  { status: 'todo', title: 'To do' },
  { status: 'in_progress', title: 'In progress' },
  { status: 'done', title: 'Done' },
];

export const columnTitle = (status: TaskStatus) =>
  COLUMNS.find((c) => c.status === status)?.title ?? status;

export function columnCards(tasks: TaskCard[], status: TaskStatus): TaskCard[] {
  return tasks.filter((t) => t.status === status).sort((a, b) => a.position - b.position);
}

/**
 * Applies a task's new state from an event or a server answer. Events can arrive twice or out of order
 * (direct publish, sweeper retries, a refetch in between): only a newer version replaces what the board
 * holds, and a task this tab saw deleted never comes back.
 */
export function upsertTask(board: Board, task: TaskCard, deleted: ReadonlySet<string>): Board {
  if (task.projectId !== board.project.id || deleted.has(task.id)) return board;
  const current = board.tasks.find((t) => t.id === task.id);
  if (current && current.version >= task.version) return board;
  return {
    ...board,
    tasks: current ? board.tasks.map((t) => (t.id === task.id ? task : t)) : [...board.tasks, task],
  };
}

export function removeTask(board: Board, taskId: string): Board {
  return { ...board, tasks: board.tasks.filter((t) => t.id !== taskId) };
}

/** Where a card dropped between two neighbours shows until the server's answer (which computes its own). */
export function provisionalPosition(before: TaskCard | undefined, after: TaskCard | undefined) {
  if (before && after) return (before.position + after.position) / 2;
  if (before) return before.position + 1024;
  if (after) return after.position - 1024;
  return 1024;
}

/**
 * The card's neighbours when it is dropped at `index` of `status`'s column (as this tab sees it, without the
 * card itself): the server places it after `afterId`, or before `beforeId`.
 */
export function dropTarget(tasks: TaskCard[], taskId: string, status: TaskStatus, index: number) {
  const column = columnCards(tasks, status).filter((t) => t.id !== taskId);
  const clamped = Math.max(0, Math.min(index, column.length));
  const above = column[clamped - 1];
  const below = column[clamped];
  return {
    status,
    afterId: above?.id ?? null,
    beforeId: below?.id ?? null,
    position: provisionalPosition(above, below),
  };
}

export type BoardFilter = { assignee: string; search: string };

export function matchesFilter(task: TaskCard, filter: BoardFilter) {
  if (filter.assignee === 'unassigned' && task.assigneeId) return false;
  if (filter.assignee && filter.assignee !== 'unassigned' && task.assigneeId !== filter.assignee)
    return false;
  const search = filter.search.trim().toLowerCase();
  return !search || task.title.toLowerCase().includes(search);
}

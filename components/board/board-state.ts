import type { TaskStatus } from '@/db/schema/tasks';
import type {
  Board,
  BoardMember,
  CommentCounts,
  TaskCard,
  TaskComment,
  TaskDetail,
} from '@/lib/tasks/queries';

export const COLUMNS: { status: TaskStatus; title: string }[] = [
  { status: 'todo', title: 'To do' },
  { status: 'in_progress', title: 'In progress' },
  { status: 'done', title: 'Done' },
];

export const columnTitle = (status: TaskStatus) =>
  COLUMNS.find((c) => c.status === status)?.title ?? status;

/**
 * A person's name as the board shows it. Removal is a status, so someone who left keeps their name on what
 * they created or were assigned, marked as a former member (the board's members are its active ones).
 */
export function personLabel(
  members: BoardMember[],
  id: string | null,
  name: string | null,
): string | null {
  if (!id || name === null) return name;
  return members.some((m) => m.id === id) ? name : `${name} (former member)`;
}

export function columnCards(tasks: TaskCard[], status: TaskStatus): TaskCard[] {
  return tasks.filter((t) => t.status === status).sort((a, b) => a.position - b.position);
}

/**
 * One card from two sources (what the board holds, and an event, a server answer or a refetch): the task's
 * own fields from the higher `version`, its comment count from the higher `commentsVersion`. The two move
 * independently (a comment is not an edit of the task), and events, retries and refetches can arrive in any
 * order, so neither may take the other's older figure along. Returns `held` itself when nothing is newer.
 */
export function mergeCard(held: TaskCard, incoming: TaskCard): TaskCard {
  const fields = incoming.version > held.version ? incoming : held;
  const comments = incoming.commentsVersion > held.commentsVersion ? incoming : held;
  if (fields === held && comments === held) return held;
  return {
    ...fields,
    commentCount: comments.commentCount,
    commentsVersion: comments.commentsVersion,
  };
}

/**
 * Applies a task's new state from an event or a server answer. Events can arrive twice or out of order
 * (direct publish, sweeper retries, a refetch in between): only newer figures replace what the board holds
 * (see mergeCard), and a task this tab saw deleted never comes back.
 */
export function upsertTask(board: Board, task: TaskCard, deleted: ReadonlySet<string>): Board {
  if (task.projectId !== board.project.id || deleted.has(task.id)) return board;
  const current = board.tasks.find((t) => t.id === task.id);
  if (!current) return { ...board, tasks: [...board.tasks, task] };
  const merged = mergeCard(current, task);
  if (merged === current) return board;
  return { ...board, tasks: board.tasks.map((t) => (t.id === task.id ? merged : t)) };
}

/** An open task's details with a card's newer figures (mergeCard), its own fields (description, comments) kept. */
export function mergeCardIntoDetail(detail: TaskDetail, card: TaskCard): TaskDetail {
  const merged = mergeCard(detail, card);
  return merged === detail ? detail : { ...detail, ...merged };
}

/** A task's comment count as a comment event or answer reports it; applied only when newer (mergeCard). */
export function applyCommentCounts(board: Board, counts: CommentCounts): Board {
  const current = board.tasks.find((t) => t.id === counts.taskId);
  if (!current || current.commentsVersion >= counts.commentsVersion) return board;
  return {
    ...board,
    tasks: board.tasks.map((t) =>
      t.id === counts.taskId
        ? { ...t, commentCount: counts.commentCount, commentsVersion: counts.commentsVersion }
        : t,
    ),
  };
}

/**
 * A refetched board (on reconnect, or after a column was renumbered) merged into the one held: the refetch
 * is the truth about what existed when the server read it, but events applied while it was in flight may be
 * newer than that. So each card keeps the newer figures of the two (mergeCard); a card the refetch lacks
 * stays only if an event brought or changed it after the refetch began (it may postdate the server's read),
 * and goes otherwise (deleted while this tab missed the event); a card this tab saw deleted stays gone.
 */
export function mergeRefetchedBoard(
  held: Board | undefined,
  fresh: Board,
  deleted: ReadonlySet<string>,
  changedSinceFetch: (taskId: string) => boolean,
): Board {
  const tasks = fresh.tasks.filter((t) => !deleted.has(t.id));
  if (!held || held.project.id !== fresh.project.id) return { ...fresh, tasks };
  const heldById = new Map(held.tasks.map((t) => [t.id, t]));
  const freshIds = new Set(tasks.map((t) => t.id));
  const merged = tasks.map((t) => {
    const mine = heldById.get(t.id);
    return mine ? mergeCard(mine, t) : t;
  });
  const newer = held.tasks.filter(
    (t) => !freshIds.has(t.id) && !deleted.has(t.id) && changedSinceFetch(t.id),
  );
  return { ...fresh, tasks: [...merged, ...newer] };
}

/** The latest news this tab has of one comment (events and its own answers): `comment` is null once deleted. */
export type CommentNewsEntry = { taskId: string; comment: TaskComment | null; at: number };
/** By comment id. */
export type CommentNews = ReadonlyMap<string, CommentNewsEntry>;

/**
 * A task's details as fetched, brought up to what this tab heard while the fetch was in flight (the read
 * may predate it): the card's fields when the board holds a newer version, and the comments from `news`. A
 * deleted comment stays gone; an edited one keeps its newest version; one the fetch lacks is added only if
 * its news arrived after the fetch began (older news of a comment the server no longer has means it was
 * deleted while this tab missed the event).
 */
export function mergeRefetchedDetail(
  fresh: TaskDetail,
  card: TaskCard | undefined,
  news: CommentNews,
  startedAt: number,
): TaskDetail {
  const comments = new Map(fresh.comments.map((c) => [c.id, c]));
  for (const [id, { taskId, comment, at }] of news) {
    if (taskId !== fresh.id) continue;
    const held = comments.get(id);
    if (!comment) comments.delete(id);
    else if (held ? held.version < comment.version : at >= startedAt) comments.set(id, comment);
  }
  const merged = card?.id === fresh.id ? mergeCardIntoDetail(fresh, card) : fresh;
  return {
    ...merged,
    comments: [...comments.values()].sort((x, y) => x.createdAt.localeCompare(y.createdAt)),
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

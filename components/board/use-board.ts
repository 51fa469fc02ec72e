'use client';

import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { type LiveState, useTenantEvents } from '@/components/realtime/use-tenant-events';
import type { TaskStatus } from '@/db/schema/tasks';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';
import { queryKeys } from '@/lib/query-keys';
import { createTask, moveTask } from '@/lib/tasks/actions';
import type { Board, CommentCounts, TaskCard, TaskComment, TaskDetail } from '@/lib/tasks/queries';
import {
  applyCommentCounts,
  type CommentNewsEntry,
  mergeCardIntoDetail,
  mergeRefetchedBoard,
  mergeRefetchedDetail,
  removeTask,
  upsertTask,
} from './board-state';
import { fetchJson } from './fetch-json';

export type MoveRequest = {
  task: TaskCard;
  status: TaskStatus;
  afterId: string | null;
  beforeId: string | null;
  position: number;
};

/** This tab's own changes, applied to the board and an open task like the events that describe them. */
export type BoardCache = {
  applyTask: (task: TaskCard) => void;
  forgetTask: (taskId: string) => void;
  /** A comment added or edited; `counts` (from adding) is the task's comment count after it. */
  applyComment: (comment: TaskComment, counts?: CommentCounts) => void;
  removeComment: (commentId: string, counts: CommentCounts) => void;
  /** A task's details as just fetched (the fetch began at `startedAt`), merged with what arrived meanwhile. */
  refetchedDetail: (fresh: TaskDetail, startedAt: number) => TaskDetail;
};

/** Records the latest news of a comment (null: deleted), for details fetched while it arrived. */
type CommentHeard = (taskId: string, commentId: string, comment: TaskComment | null) => void;
/** How many comments' news a tab keeps: far more than can arrive during one fetch. */
const COMMENT_NEWS_LIMIT = 500;

/** A move the server refused because someone else changed the task first. */
export type MoveConflict = { request: MoveRequest; current: TaskCard };

/** Applies one realtime event to the board and to an open task's details. */
function applyEvent(
  queryClient: QueryClient,
  tenantId: string,
  boardKey: readonly unknown[],
  deleted: Set<string>,
  touched: (taskId: string) => void,
  heard: CommentHeard,
  name: string,
  data: Record<string, unknown>,
) {
  const setBoard = (fn: (b: Board) => Board) =>
    queryClient.setQueryData<Board>(boardKey, (old) => (old ? fn(old) : old));
  const setDetail = (taskId: string, fn: (d: TaskDetail) => TaskDetail) =>
    queryClient.setQueryData<TaskDetail>(queryKeys.tasks.detail(tenantId, taskId), (old) =>
      old ? fn(old) : old,
    );
  switch (name) {
    case 'task.created':
    case 'task.updated':
    case 'task.moved': {
      const task = data.task as TaskCard;
      touched(task.id);
      setBoard((b) => upsertTask(b, task, deleted));
      setDetail(task.id, (d) => mergeCardIntoDetail(d, task));
      if (data.descriptionChanged) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.detail(tenantId, task.id) });
      }
      return;
    }
    case 'task.deleted': {
      const taskId = data.taskId as string;
      deleted.add(taskId);
      setBoard((b) => removeTask(b, taskId));
      queryClient.removeQueries({ queryKey: queryKeys.tasks.detail(tenantId, taskId) });
      return;
    }
    case 'comment.created':
    case 'comment.updated':
      return applyComment(
        queryClient,
        tenantId,
        boardKey,
        heard,
        data.comment as TaskComment,
        data.counts as CommentCounts | undefined,
      );
    case 'comment.deleted':
      return removeComment(
        queryClient,
        tenantId,
        boardKey,
        heard,
        data.taskId as string,
        data.commentId as string,
        data.counts as CommentCounts | undefined,
      );
    // A member joined, left or was removed: the assignee choices and "former member" labels follow.
    case 'member.changed':
    case 'board.renumbered':
      void queryClient.invalidateQueries({ queryKey: boardKey });
  }
}

/**
 * Adds or updates a comment in an open task, and sets its card's count when the news carries one (events
 * recorded before counts were versioned carry none; the next refetch brings the count).
 */
function applyComment(
  queryClient: QueryClient,
  tenantId: string,
  boardKey: readonly unknown[],
  heard: CommentHeard,
  comment: TaskComment,
  counts: CommentCounts | undefined,
) {
  heard(comment.taskId, comment.id, comment);
  queryClient.setQueryData<TaskDetail>(queryKeys.tasks.detail(tenantId, comment.taskId), (d) => {
    if (!d) return d;
    const current = d.comments.find((c) => c.id === comment.id);
    if (current && current.version >= comment.version) return d;
    const comments = current
      ? d.comments.map((c) => (c.id === comment.id ? comment : c))
      : [...d.comments, comment];
    return { ...d, comments };
  });
  if (counts) setCommentCounts(queryClient, boardKey, counts);
}

function removeComment(
  queryClient: QueryClient,
  tenantId: string,
  boardKey: readonly unknown[],
  heard: CommentHeard,
  taskId: string,
  commentId: string,
  counts: CommentCounts | undefined,
) {
  heard(taskId, commentId, null);
  queryClient.setQueryData<TaskDetail>(queryKeys.tasks.detail(tenantId, taskId), (d) =>
    d ? { ...d, comments: d.comments.filter((c) => c.id !== commentId) } : d,
  );
  if (counts) setCommentCounts(queryClient, boardKey, counts);
}

/**
 * A count replaces the card's only when its version is newer, so an event and this tab's own answer for the
 * same comment count it once, and neither an older event nor an older refetch takes it back.
 */
function setCommentCounts(
  queryClient: QueryClient,
  boardKey: readonly unknown[],
  counts: CommentCounts,
) {
  queryClient.setQueryData<Board>(boardKey, (b) => (b ? applyCommentCounts(b, counts) : b));
}

export function useBoard(tenantId: string, initialBoard: Board) {
  const queryClient = useQueryClient();
  const projectId = initialBoard.project.id;
  const boardKey = queryKeys.projects.board(tenantId, projectId);
  const deleted = useRef(new Set<string>()).current;
  // When news about each task last reached this tab (events and its own answers): a refetch keeps a card it
  // lacks only if that card's news is younger than the refetch itself (see mergeRefetchedBoard).
  const changedAt = useRef(new Map<string, number>()).current;
  const touched = (taskId: string) => changedAt.set(taskId, performance.now());
  const commentNews = useRef(new Map<string, CommentNewsEntry>()).current;
  const heard: CommentHeard = (taskId, commentId, comment) => {
    const known = commentNews.get(commentId);
    // A deletion is final, and an older version of a comment is no news.
    if (known && (!known.comment || (comment && known.comment.version >= comment.version))) return;
    // Newest last, so the oldest goes first when the tab has kept enough.
    commentNews.delete(commentId);
    commentNews.set(commentId, { taskId, comment, at: performance.now() });
    if (commentNews.size > COMMENT_NEWS_LIMIT) commentNews.delete(commentNews.keys().next().value!);
  };
  const board = useQuery({
    queryKey: boardKey,
    queryFn: async () => {
      const started = performance.now();
      const fresh = await fetchJson<Board>(`/api/projects/${projectId}/board`);
      return mergeRefetchedBoard(
        queryClient.getQueryData<Board>(boardKey),
        fresh,
        deleted,
        (taskId) => (changedAt.get(taskId) ?? -1) >= started,
      );
    },
    initialData: initialBoard,
  });
  const [conflict, setConflict] = useState<MoveConflict | null>(null);
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());

  const live: LiveState = useTenantEvents(
    tenantId,
    (name, data) =>
      applyEvent(queryClient, tenantId, boardKey, deleted, touched, heard, name, data),
    // Back from a disconnect: whatever happened meanwhile is in the database, not in missed events.
    () => {
      void queryClient.invalidateQueries({ queryKey: boardKey });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks.all(tenantId) });
    },
  );

  const setBoard = (fn: (b: Board) => Board) =>
    queryClient.setQueryData<Board>(boardKey, (old) => (old ? fn(old) : old));
  const refreshBoard = useCallback(
    () =>
      void queryClient.invalidateQueries({
        queryKey: queryKeys.projects.board(tenantId, projectId),
      }),
    [queryClient, tenantId, projectId],
  );
  // What the task panel changes in this tab goes through the same rules as events (versions, tombstones).
  const applyTask = (task: TaskCard) => {
    touched(task.id);
    setBoard((b) => upsertTask(b, task, deleted));
  };
  const cache: BoardCache = {
    applyTask,
    forgetTask: (taskId) => {
      deleted.add(taskId);
      setBoard((b) => removeTask(b, taskId));
    },
    applyComment: (comment, counts) =>
      applyComment(queryClient, tenantId, boardKey, heard, comment, counts),
    removeComment: (commentId, counts) =>
      removeComment(queryClient, tenantId, boardKey, heard, counts.taskId, commentId, counts),
    refetchedDetail: (fresh, startedAt) =>
      mergeRefetchedDetail(
        fresh,
        queryClient.getQueryData<Board>(boardKey)?.tasks.find((t) => t.id === fresh.id),
        commentNews,
        startedAt,
      ),
  };
  const markPending = (id: string, pending: boolean) =>
    setPendingIds((old) => {
      const next = new Set(old);
      if (pending) next.add(id);
      else next.delete(id);
      return next;
    });

  const move = useMutation({
    mutationFn: (m: MoveRequest) =>
      unwrap(
        moveTask({
          id: m.task.id,
          version: m.task.version,
          status: m.status,
          afterId: m.afterId,
          beforeId: m.beforeId,
        }),
      ),
    // Optimistic: the card sits where it was dropped at once; the server's answer then places it exactly.
    onMutate: (m) => {
      setConflict(null);
      markPending(m.task.id, true);
      setBoard((b) => ({
        ...b,
        tasks: b.tasks.map((t) =>
          t.id === m.task.id ? { ...t, status: m.status, position: m.position } : t,
        ),
      }));
    },
    onSuccess: applyTask,
    onError: (error: ActionFailure, m) => {
      const current = error.current as TaskCard | undefined;
      if (error.code === 'conflict' && current) {
        setConflict({ request: m, current });
        applyTask(current);
        return;
      }
      // Put the card back where it was, unless newer news about it arrived meanwhile.
      setBoard((b) => ({
        ...b,
        tasks: b.tasks.map((t) =>
          t.id === m.task.id && t.version === m.task.version ? m.task : t,
        ),
      }));
      if (error.code === 'not_found') {
        deleted.add(m.task.id);
        setBoard((b) => removeTask(b, m.task.id));
      }
    },
    onSettled: (_data, _error, m) => markPending(m.task.id, false),
  });

  const create = async (input: { title: string; status: TaskStatus }) => {
    const task = await unwrap(createTask({ projectId, ...input }));
    applyTask(task);
    return task;
  };

  return {
    board: board.data,
    refetching: board.isFetching,
    live,
    move,
    create,
    conflict,
    dismissConflict: () => setConflict(null),
    pendingIds,
    cache,
    refreshBoard,
  };
}

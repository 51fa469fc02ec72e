'use client';

import { useEffect, useState } from 'react';
import { LiveIndicator } from '@/components/realtime/live-indicator';
import { usePresence } from '@/components/realtime/use-presence';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import type { Role } from '@/db/schema/memberships';
import type { TaskStatus } from '@/db/schema/tasks';
import { can } from '@/lib/authz/permissions';
import type { Actor } from '@/lib/authz/rules';
import { projectPresenceChannel, tenantPresenceChannel } from '@/lib/realtime/channels';
import type { Board, TaskCard } from '@/lib/tasks/queries';
import { BoardColumn } from './board-column';
import {
  type BoardFilter,
  COLUMNS,
  columnCards,
  columnTitle,
  dropTarget,
  matchesFilter,
} from './board-state';
import { PresenceAvatars } from './presence-avatars';
import type { KeyboardMove } from './task-card';
import { TaskPanel } from './task-panel';
import { useBoard } from './use-board';

/**
 * What the viewer may do on the board, derived from their role as the server rendered it: a role change
 * re-renders the page (router.refresh() on `member.changed`), and the controls follow without a reload.
 * Checks that depend on the item (own task, own comment) are the named rules of lib/authz/rules.ts.
 */
export type BoardPermissions = { actor: Actor; write: boolean; comment: boolean };

const boardPermissions = (actor: Actor): BoardPermissions => ({
  actor,
  write: can(actor.role, 'task:write'),
  comment: can(actor.role, 'comment:write'),
});

const STATUS_ORDER = COLUMNS.map((c) => c.status);

export function BoardClient({
  tenantId,
  userId,
  initialBoard,
  initialTaskId,
  role,
}: {
  tenantId: string;
  userId: string;
  initialBoard: Board;
  initialTaskId: string | null;
  role: Role;
}) {
  const permissions = boardPermissions({ userId, role });
  const state = useBoard(tenantId, initialBoard);
  const board = state.board;
  const [filter, setFilter] = useState<BoardFilter>({ assignee: '', search: '' });
  const [openTaskId, setOpenTaskId] = useState<string | null>(initialTaskId);
  const [draggedId, setDraggedId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  // Everyone online in the organization; past a presence channel's capacity, the people on this board.
  const organization = usePresence(tenantPresenceChannel(tenantId));
  const onBoard = usePresence(
    organization.failed ? projectPresenceChannel(tenantId, board.project.id) : null,
  );
  // Someone online who is not in the board's member list joined since it loaded: refresh the list.
  const unknownMember = firstUnknownMember(organization.members, board.members);
  useEffect(() => {
    if (unknownMember) state.refreshBoard();
  }, [unknownMember, state.refreshBoard]);
  const presence = organization.failed
    ? { label: 'On this board', ...onBoard }
    : { label: 'Online', ...organization };

  // The open task lives in the URL, so a link to it opens it and Back closes it.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (openTaskId) url.searchParams.set('task', openTaskId);
    else url.searchParams.delete('task');
    window.history.replaceState(null, '', url);
  }, [openTaskId]);

  const requestMove = (task: TaskCard, status: TaskStatus, index: number) => {
    const target = dropTarget(board.tasks, task.id, status, index);
    const column = columnCards(board.tasks, task.status);
    const unchanged = task.status === status && column.findIndex((t) => t.id === task.id) === index;
    if (unchanged) return;
    state.move.mutate({ task, ...target });
    setAnnouncement(`Moved ${task.title} to ${columnTitle(status)}, position ${index + 1}.`);
  };

  const keyboardMove = (task: TaskCard, move: KeyboardMove) => {
    const column = columnCards(board.tasks, task.status);
    const index = column.findIndex((t) => t.id === task.id);
    const statusIndex = STATUS_ORDER.indexOf(task.status);
    if (move === 'up' && index > 0) requestMove(task, task.status, index - 1);
    if (move === 'down' && index < column.length - 1) requestMove(task, task.status, index + 1);
    const next = STATUS_ORDER[statusIndex + (move === 'left' ? -1 : move === 'right' ? 1 : 0)];
    if ((move === 'left' || move === 'right') && next && next !== task.status) {
      const target = columnCards(board.tasks, next);
      requestMove(task, next, Math.min(index, target.length));
    }
    // Keep the focus on the card the user is moving, wherever it rendered.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-task-id="${task.id}"]`)?.focus(),
    );
  };

  const visible = board.tasks.filter((t) => matchesFilter(t, filter));
  const openTask = openTaskId ? board.tasks.find((t) => t.id === openTaskId) : undefined;
  const conflict = state.conflict;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="board-search" className="block text-xs font-medium text-slate-600">
              Search by title
            </label>
            <input
              id="board-search"
              type="search"
              value={filter.search}
              onChange={(e) => setFilter((f) => ({ ...f, search: e.target.value }))}
              placeholder="Search tasks"
              className="mt-1 w-56 rounded-md bg-white px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500"
            />
          </div>
          <div>
            <label htmlFor="board-assignee" className="block text-xs font-medium text-slate-600">
              Assignee
            </label>
            <select
              id="board-assignee"
              value={filter.assignee}
              onChange={(e) => setFilter((f) => ({ ...f, assignee: e.target.value }))}
              className="mt-1 rounded-md bg-white px-2 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500"
            >
              <option value="">Everyone</option>
              <option value="unassigned">Unassigned</option>
              {board.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id === userId ? `${m.name} (you)` : m.name}
                </option>
              ))}
            </select>
          </div>
          {(filter.search || filter.assignee) && (
            <Button variant="ghost" onClick={() => setFilter({ assignee: '', search: '' })}>
              Clear filters
            </Button>
          )}
        </div>
        <div className="flex items-center gap-4">
          <PresenceAvatars label={presence.label} members={presence.members} />
          <LiveIndicator state={state.live} />
        </div>
      </div>

      {conflict && (
        <Alert>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <span>
              {conflict.current.updatedByName ?? 'Someone'} changed “{conflict.current.title}”
              before your move arrived; it is now in {columnTitle(conflict.current.status)}.
            </span>
            <span className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() => state.move.mutate({ ...conflict.request, task: conflict.current })}
              >
                Move it again
              </Button>
              <Button variant="ghost" onClick={state.dismissConflict}>
                Keep theirs
              </Button>
            </span>
          </div>
        </Alert>
      )}
      {state.move.error && !conflict && <Alert>{state.move.error.message}</Alert>}

      {permissions.write && (
        <p id="board-keyboard-hint" className="sr-only">
          Alt plus arrow keys move the focused card between and within columns.
        </p>
      )}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>

      <div className="flex flex-col gap-4 md:flex-row md:items-start md:overflow-x-auto md:pb-2">
        {COLUMNS.map(({ status, title }) => (
          <BoardColumn
            key={status}
            status={status}
            title={title}
            cards={columnCards(visible, status)}
            members={board.members}
            totalInColumn={columnCards(board.tasks, status).length}
            canWrite={permissions.write}
            pendingIds={state.pendingIds}
            draggedId={draggedId}
            onDragStart={setDraggedId}
            onDrop={(taskId, index) => {
              setDraggedId(null);
              const task = board.tasks.find((t) => t.id === taskId);
              if (task)
                requestMove(
                  task,
                  status,
                  visibleIndexToColumnIndex(board.tasks, visible, status, task.id, index),
                );
            }}
            onOpen={setOpenTaskId}
            onKeyboardMove={keyboardMove}
            onCreate={(title) => state.create({ title, status })}
          />
        ))}
      </div>

      {openTaskId && (
        <TaskPanel
          key={openTaskId}
          tenantId={tenantId}
          userId={userId}
          taskId={openTaskId}
          card={openTask}
          members={board.members}
          permissions={permissions}
          cache={state.cache}
          onMove={(status) => {
            if (openTask) requestMove(openTask, status, columnCards(board.tasks, status).length);
          }}
          onClose={() => setOpenTaskId(null)}
        />
      )}
    </div>
  );
}

function firstUnknownMember(online: { id: string }[], members: { id: string }[]) {
  return online.find((m) => !members.some((known) => known.id === m.id))?.id ?? null;
}

/**
 * With a filter on, a drop lands between visible cards; the move is expressed against the full column so
 * the hidden cards keep their places.
 */
function visibleIndexToColumnIndex(
  all: TaskCard[],
  visible: TaskCard[],
  status: TaskStatus,
  taskId: string,
  visibleIndex: number,
) {
  const shown = columnCards(visible, status).filter((t) => t.id !== taskId);
  const full = columnCards(all, status).filter((t) => t.id !== taskId);
  const anchor = shown[visibleIndex];
  if (!anchor) {
    const last = shown.at(-1);
    return last ? full.findIndex((t) => t.id === last.id) + 1 : full.length;
  }
  return full.findIndex((t) => t.id === anchor.id);
}

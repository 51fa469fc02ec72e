'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { usePresence } from '@/components/realtime/use-presence';
import type { TaskStatus } from '@/db/schema/tasks';
import { canDeleteTask } from '@/lib/authz/rules';
import { queryKeys } from '@/lib/query-keys';
import { taskPresenceChannel } from '@/lib/realtime/channels';
import type { BoardMember, TaskCard, TaskDetail } from '@/lib/tasks/queries';
import type { BoardPermissions } from './board-client';
import { COLUMNS, personLabel } from './board-state';
import { fetchJson } from './fetch-json';
import { PresenceAvatars } from './presence-avatars';
import { TaskComments } from './task-comments';
import { TaskDeleteButton } from './task-delete-button';
import { TaskEditor } from './task-editor';
import type { BoardCache } from './use-board';

/** The task's side panel: its fields, who else has it open, its comments. Escape or ✕ closes it. */
export function TaskPanel({
  tenantId,
  userId,
  taskId,
  card,
  members,
  permissions,
  cache,
  onMove,
  onClose,
}: {
  tenantId: string;
  userId: string;
  taskId: string;
  card: TaskCard | undefined;
  members: BoardMember[];
  permissions: BoardPermissions;
  cache: BoardCache;
  onMove: (status: TaskStatus) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const detailKey = queryKeys.tasks.detail(tenantId, taskId);
  const detail = useQuery({
    queryKey: detailKey,
    queryFn: async () => {
      const started = performance.now();
      return cache.refetchedDetail(await fetchJson<TaskDetail>(`/api/tasks/${taskId}`), started);
    },
    staleTime: 0,
  });
  const viewers = usePresence(taskPresenceChannel(tenantId, taskId));
  const others = viewers.members.filter((m) => m.id !== userId);
  const panelRef = useRef<HTMLElement>(null);

  useEffect(() => {
    panelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // The board's card is the freshest state of the fields it carries (events update it first).
  const task: TaskDetail | undefined =
    detail.data && card && card.version > detail.data.version
      ? { ...detail.data, ...card }
      : detail.data;
  const gone =
    (detail.error as { status?: number } | null)?.status === 404 || (!card && !!detail.data);
  const canDelete = !!task && canDeleteTask(permissions.actor, task);

  return (
    <aside
      ref={panelRef}
      tabIndex={-1}
      aria-label="Task details"
      className="fixed inset-y-0 right-0 z-20 flex w-full max-w-lg flex-col border-l border-slate-200 bg-white shadow-2xl outline-none"
    >
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="flex min-w-0 items-center gap-3">
          {task && (
            <label className="text-xs font-medium text-slate-600">
              <span className="sr-only">Column</span>
              <select
                aria-label="Column"
                value={task.status}
                disabled={!permissions.write}
                onChange={(e) => onMove(e.target.value as TaskStatus)}
                className="rounded-md bg-slate-50 px-2 py-1 text-xs font-semibold ring-1 ring-slate-200"
              >
                {COLUMNS.map((c) => (
                  <option key={c.status} value={c.status}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <PresenceAvatars label="Also viewing" members={others} max={4} />
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close task"
          className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
        >
          ✕
        </button>
      </header>
      <div className="flex-1 overflow-y-auto px-5 py-4">
        {gone ? (
          <div className="py-10 text-center">
            <p className="font-semibold text-slate-900">This task was deleted</p>
            <p className="mt-1 text-sm text-slate-600">Someone removed it from the board.</p>
          </div>
        ) : detail.isPending ? (
          <div role="status" aria-busy aria-label="Loading task" className="space-y-3">
            <div className="h-6 w-2/3 animate-pulse rounded bg-slate-100" />
            <div className="h-24 animate-pulse rounded bg-slate-100" />
          </div>
        ) : detail.error || !task ? (
          <p role="alert" className="text-sm text-red-700">
            {detail.error?.message ?? 'Could not load this task.'}
          </p>
        ) : (
          <div className="space-y-6">
            <TaskEditor
              key={task.id}
              task={task}
              members={members}
              canEdit={permissions.write}
              onSaved={(saved) => {
                queryClient.setQueryData<TaskDetail>(detailKey, (d) =>
                  d ? { ...d, ...saved } : d,
                );
                cache.applyTask(saved);
              }}
              refetch={() => detail.refetch()}
            />
            <dl className="grid grid-cols-2 gap-2 text-xs text-slate-500">
              <dt>Created by</dt>
              <dd>
                {personLabel(members, task.createdBy, task.createdByName) ?? 'A former member'},{' '}
                {new Date(task.createdAt).toLocaleString()}
              </dd>
              <dt>Last changed</dt>
              <dd>
                {task.updatedByName ?? 'Someone'}, {new Date(task.updatedAt).toLocaleString()}
              </dd>
            </dl>
            <TaskComments task={task} members={members} permissions={permissions} cache={cache} />
            {canDelete && <TaskDeleteButton task={task} cache={cache} onDeleted={onClose} />}
          </div>
        )}
      </div>
    </aside>
  );
}

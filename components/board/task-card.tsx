'use client';

import type { KeyboardEvent } from 'react';
import type { TaskCard } from '@/lib/tasks/queries';
import { Avatar } from './presence-avatars';

export type KeyboardMove = 'left' | 'right' | 'up' | 'down';

const KEY_MOVES: Record<string, KeyboardMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

function formatDue(date: string) {
  return new Date(`${date}T00:00:00`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
  });
}

function isOverdue(task: TaskCard) {
  if (!task.dueDate || task.status === 'done') return false;
  return task.dueDate < new Date().toISOString().slice(0, 10);
}

export function TaskCardView({
  task,
  assigneeLabel,
  canMove,
  pending,
  onOpen,
  onKeyboardMove,
  onDragStart,
}: {
  task: TaskCard;
  /** The assignee's name as the board shows it (see `personLabel`). */
  assigneeLabel: string | null;
  canMove: boolean;
  pending: boolean;
  onOpen: () => void;
  onKeyboardMove: (move: KeyboardMove) => void;
  onDragStart: () => void;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const move = KEY_MOVES[e.key];
    if (!move || !e.altKey || !canMove) return;
    e.preventDefault();
    onKeyboardMove(move);
  };
  return (
    <button
      type="button"
      data-task-id={task.id}
      draggable={canMove}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', task.id);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart();
      }}
      onClick={onOpen}
      onKeyDown={onKeyDown}
      aria-label={task.title}
      aria-describedby={canMove ? 'board-keyboard-hint' : undefined}
      className={`block w-full rounded-lg bg-white p-3 text-left shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-300 focus-visible:outline-2 focus-visible:outline-brand-600 ${canMove ? 'cursor-grab active:cursor-grabbing' : ''} ${pending ? 'opacity-60' : ''}`}
    >
      <span className="block text-sm font-medium text-slate-900 break-words">{task.title}</span>
      <span className="mt-2 flex items-center gap-2 text-xs text-slate-500">
        {task.dueDate && (
          <span
            className={`rounded px-1.5 py-0.5 ${isOverdue(task) ? 'bg-red-50 font-medium text-red-700' : 'bg-slate-100'}`}
          >
            {isOverdue(task) ? 'Overdue · ' : 'Due '}
            {formatDue(task.dueDate)}
          </span>
        )}
        {task.commentCount > 0 && (
          <span className="inline-flex items-center gap-1">
            <CommentIcon />
            {task.commentCount}
            <span className="sr-only">{task.commentCount === 1 ? ' comment' : ' comments'}</span>
          </span>
        )}
        <span className="ml-auto">
          {task.assigneeId && task.assigneeName ? (
            <Avatar
              id={task.assigneeId}
              name={task.assigneeName}
              label={assigneeLabel ?? undefined}
              size="sm"
            />
          ) : (
            <span className="text-slate-400">Unassigned</span>
          )}
        </span>
      </span>
    </button>
  );
}

/** A speech bubble drawn inline, so it looks the same on every system (an emoji depends on the fonts). */
function CommentIcon() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 16 16"
      className="size-3.5"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinejoin="round"
    >
      <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" />
    </svg>
  );
}

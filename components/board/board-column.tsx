'use client';

import { type DragEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { TaskStatus } from '@/db/schema/tasks';
import type { ActionFailure } from '@/lib/actions/unwrap';
import type { BoardMember, TaskCard } from '@/lib/tasks/queries';
import { personLabel } from './board-state';
import { type KeyboardMove, TaskCardView } from './task-card';

/** The index among the column's cards (excluding the dragged one) where the pointer is. */
function dropIndex(list: HTMLElement, clientY: number, draggedId: string | null) {
  const cards = [...list.querySelectorAll<HTMLElement>('[data-task-id]')].filter(
    (el) => el.dataset.taskId !== draggedId,
  );
  const index = cards.findIndex((el) => {
    const box = el.getBoundingClientRect();
    return clientY < box.top + box.height / 2;
  });
  return index === -1 ? cards.length : index;
}

export function BoardColumn({
  status,
  title,
  cards,
  members,
  totalInColumn,
  canWrite,
  pendingIds,
  draggedId,
  onDragStart,
  onDrop,
  onOpen,
  onKeyboardMove,
  onCreate,
}: {
  status: TaskStatus;
  title: string;
  cards: TaskCard[];
  members: BoardMember[];
  totalInColumn: number;
  canWrite: boolean;
  pendingIds: ReadonlySet<string>;
  draggedId: string | null;
  onDragStart: (id: string) => void;
  onDrop: (taskId: string, index: number) => void;
  onOpen: (id: string) => void;
  onKeyboardMove: (task: TaskCard, move: KeyboardMove) => void;
  onCreate: (title: string) => Promise<unknown>;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const [indicator, setIndicator] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [newTitle, setNewTitle] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const headingId = `column-${status}`;

  const onDragOver = (e: DragEvent) => {
    if (!canWrite || !listRef.current) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setIndicator(dropIndex(listRef.current, e.clientY, draggedId));
  };
  const onDropEvent = (e: DragEvent) => {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/plain') || draggedId;
    const index = listRef.current ? dropIndex(listRef.current, e.clientY, id) : 0;
    setIndicator(null);
    if (id) onDrop(id, index);
  };

  const submit = async () => {
    setCreating(true);
    setCreateError(null);
    const sent = newTitle;
    try {
      await onCreate(sent);
      // The task's own event can show its card before this answer arrives, and the user may already be
      // typing the next title: only the title that was sent is cleared.
      setNewTitle((current) => (current === sent ? '' : current));
    } catch (error) {
      const failure = error as ActionFailure;
      setCreateError(failure.fieldErrors?.title ?? failure.message);
    } finally {
      setCreating(false);
    }
  };

  return (
    <section
      aria-labelledby={headingId}
      className="flex min-h-64 w-full flex-col rounded-xl bg-slate-100/80 p-3 md:w-80 md:shrink-0"
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setIndicator(null);
      }}
      onDrop={onDropEvent}
    >
      <header className="mb-3 flex items-center justify-between px-1">
        <h2 id={headingId} className="text-sm font-semibold text-slate-700">
          {title}
        </h2>
        <span className="rounded-full bg-white px-2 py-0.5 text-xs font-medium text-slate-500 ring-1 ring-slate-200">
          {cards.length === totalInColumn ? totalInColumn : `${cards.length} of ${totalInColumn}`}
        </span>
      </header>
      <ol ref={listRef} aria-label={title} className="flex flex-1 flex-col gap-2">
        {cards.map((task, i) => (
          <li key={task.id} className="relative">
            {indicator === i && <DropLine />}
            <TaskCardView
              task={task}
              assigneeLabel={personLabel(members, task.assigneeId, task.assigneeName)}
              canMove={canWrite}
              pending={pendingIds.has(task.id)}
              onOpen={() => onOpen(task.id)}
              onKeyboardMove={(move) => onKeyboardMove(task, move)}
              onDragStart={() => onDragStart(task.id)}
            />
          </li>
        ))}
        {indicator !== null && indicator >= cards.length && cards.length > 0 && (
          <li aria-hidden className="relative">
            <DropLine />
          </li>
        )}
        {cards.length === 0 && (
          <li
            className={`grid flex-1 place-items-center rounded-lg border-2 border-dashed p-6 text-center text-xs ${indicator !== null ? 'border-brand-400 text-brand-700' : 'border-slate-200 text-slate-400'}`}
          >
            {totalInColumn > 0 ? 'No cards match the filter' : 'No tasks here yet'}
          </li>
        )}
      </ol>
      {canWrite &&
        (adding ? (
          <form
            className="mt-3 space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <label className="sr-only" htmlFor={`new-task-${status}`}>
              New task in {title}
            </label>
            <textarea
              id={`new-task-${status}`}
              // biome-ignore lint/a11y/noAutofocus: the user just asked to type a title here
              autoFocus
              rows={2}
              value={newTitle}
              maxLength={200}
              onChange={(e) => setNewTitle(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  void submit();
                }
                if (e.key === 'Escape') setAdding(false);
              }}
              aria-invalid={createError ? true : undefined}
              aria-describedby={createError ? `new-task-${status}-error` : undefined}
              placeholder="What needs doing?"
              className="block w-full resize-none rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500"
            />
            {createError && (
              <p id={`new-task-${status}-error`} className="text-xs font-medium text-red-600">
                {createError}
              </p>
            )}
            <div className="flex gap-2">
              <Button type="submit" pending={creating} aria-label={`Add task to ${title}`}>
                Add task
              </Button>
              <Button type="button" variant="ghost" onClick={() => setAdding(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <button
            type="button"
            onClick={() => setAdding(true)}
            className="mt-3 rounded-md px-2 py-1.5 text-left text-sm font-medium text-slate-600 hover:bg-white hover:text-slate-900"
          >
            + Add a task to {title}
          </button>
        ))}
    </section>
  );
}

function DropLine() {
  return <span className="absolute -top-1.5 right-0 left-0 h-0.5 rounded bg-brand-500" />;
}

'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';
import { updateTask } from '@/lib/tasks/actions';
import type { BoardMember, TaskCard, TaskDetail } from '@/lib/tasks/queries';
import { personLabel } from './board-state';

type Draft = { title: string; description: string; assigneeId: string; dueDate: string };
type Changes = Partial<{
  title: string;
  description: string;
  assigneeId: string | null;
  dueDate: string | null;
}>;

const FIELD_LABELS: Record<keyof Draft, string> = {
  title: 'Title',
  description: 'Description',
  assigneeId: 'Assignee',
  dueDate: 'Due date',
};

const draftOf = (t: TaskDetail): Draft => ({
  title: t.title,
  description: t.description,
  assigneeId: t.assigneeId ?? '',
  dueDate: t.dueDate ?? '',
});

const sameDraft = (a: Draft, b: Draft) =>
  a.title === b.title &&
  a.description === b.description &&
  a.assigneeId === b.assigneeId &&
  a.dueDate === b.dueDate;

function changesBetween(base: Draft, draft: Draft): Changes {
  const changes: Changes = {};
  if (draft.title !== base.title) changes.title = draft.title;
  if (draft.description !== base.description) changes.description = draft.description;
  if (draft.assigneeId !== base.assigneeId) changes.assigneeId = draft.assigneeId || null;
  if (draft.dueDate !== base.dueDate) changes.dueDate = draft.dueDate || null;
  return changes;
}

/**
 * Edits a task against the version the user started from. While the user has no unsaved changes, others'
 * changes flow in; with unsaved changes, a save on a stale version comes back as a conflict that names who
 * changed the task and lets the user apply their changes on top of the new state or discard them.
 */
export function TaskEditor({
  task,
  members,
  canEdit,
  onSaved,
  refetch,
}: {
  task: TaskDetail;
  members: BoardMember[];
  canEdit: boolean;
  onSaved: (task: TaskCard) => void;
  refetch: () => Promise<{ data?: TaskDetail }>;
}) {
  const [base, setBase] = useState(task);
  const [draft, setDraft] = useState<Draft>(draftOf(task));
  const [conflict, setConflict] = useState<{ who: string; theirs: Draft } | null>(null);
  const changes = changesBetween(draftOf(base), draft);
  const dirty = Object.keys(changes).length > 0;

  // Without unsaved changes, the form follows the task as others change it (a description arrives by a
  // refetch after the version did, so compare the fields too).
  useEffect(() => {
    if (dirty) return;
    const next = draftOf(task);
    if (task.version !== base.version || !sameDraft(next, draftOf(base))) {
      setBase(task);
      setDraft(next);
    }
  }, [task, base, dirty]);

  const save = useMutation({
    mutationFn: (input: { version: number; changes: Changes }) =>
      unwrap(updateTask({ id: task.id, version: input.version, ...input.changes })),
    onSuccess: (saved) => {
      setConflict(null);
      onSaved(saved);
      const next = { ...task, ...saved, description: draft.description };
      setBase(next);
      setDraft(draftOf(next));
    },
    onError: async (error: ActionFailure) => {
      const current = error.current as TaskCard | undefined;
      if (error.code !== 'conflict' || !current) return;
      const fresh = (await refetch()).data;
      setConflict({
        who: current.updatedByName ?? 'Someone',
        theirs: draftOf({ ...task, ...fresh, ...current }),
      });
    },
  });

  const fieldErrors = conflict ? undefined : (save.error as ActionFailure | null)?.fieldErrors;
  const stale = dirty && task.version > base.version && !conflict;

  const reapply = () => {
    // On top of the state the user has now seen: their changed fields, the latest version.
    setBase(task);
    save.mutate({ version: task.version, changes });
  };
  const discard = () => {
    setConflict(null);
    setBase(task);
    setDraft(draftOf(task));
  };

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ version: base.version, changes });
      }}
    >
      {conflict && (
        <div
          role="alert"
          className="space-y-3 rounded-lg bg-amber-50 p-4 text-sm ring-1 ring-amber-200"
        >
          <p className="font-semibold text-amber-900">
            {conflict.who} changed this task while you were editing it.
          </p>
          <ul className="space-y-1 text-amber-900">
            {(Object.keys(changes) as (keyof Draft)[]).map((field) => (
              <li key={field}>
                <span className="font-medium">{FIELD_LABELS[field]}:</span> theirs “
                {display(field, conflict.theirs[field], members)}”, yours “
                {display(field, draft[field], members)}”
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <Button type="button" onClick={reapply} pending={save.isPending}>
              Apply my changes on top
            </Button>
            <Button type="button" variant="secondary" onClick={discard}>
              Discard my changes
            </Button>
          </div>
        </div>
      )}
      {stale && (
        <Alert tone="info">
          {task.updatedByName ?? 'Someone'} changed this task since you started editing. Saving will
          ask what to keep.
        </Alert>
      )}
      <Field
        label="Title"
        value={draft.title}
        disabled={!canEdit}
        maxLength={200}
        onChange={(e) => setDraft((d) => ({ ...d, title: e.target.value }))}
        error={fieldErrors?.title}
      />
      <div>
        <label htmlFor="task-description" className="block text-sm font-medium text-slate-800">
          Description
        </label>
        <textarea
          id="task-description"
          rows={5}
          value={draft.description}
          disabled={!canEdit}
          maxLength={5000}
          onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))}
          placeholder={canEdit ? 'Add details, links, acceptance criteria…' : 'No description.'}
          aria-invalid={fieldErrors?.description ? true : undefined}
          className="mt-1.5 block w-full rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500 disabled:bg-slate-50"
        />
        {fieldErrors?.description && (
          <p className="mt-1.5 text-xs font-medium text-red-600">{fieldErrors.description}</p>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="task-assignee" className="block text-sm font-medium text-slate-800">
            Assignee
          </label>
          <select
            id="task-assignee"
            value={draft.assigneeId}
            disabled={!canEdit}
            onChange={(e) => setDraft((d) => ({ ...d, assigneeId: e.target.value }))}
            className="mt-1.5 block w-full rounded-md bg-white px-2 py-2 text-sm shadow-sm ring-1 ring-slate-300 disabled:bg-slate-50"
          >
            <option value="">Unassigned</option>
            {/* Tasks assigned to a former member stay assigned until someone changes them. */}
            {task.assigneeId && !members.some((m) => m.id === task.assigneeId) && (
              <option value={task.assigneeId}>
                {personLabel(members, task.assigneeId, task.assigneeName) ?? 'A former member'}
              </option>
            )}
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          {fieldErrors?.assigneeId && (
            <p className="mt-1.5 text-xs font-medium text-red-600">{fieldErrors.assigneeId}</p>
          )}
        </div>
        <Field
          label="Due date"
          type="date"
          value={draft.dueDate}
          disabled={!canEdit}
          onChange={(e) => setDraft((d) => ({ ...d, dueDate: e.target.value }))}
          error={fieldErrors?.dueDate}
        />
      </div>
      {save.error && !conflict && !fieldErrors && <Alert>{save.error.message}</Alert>}
      {canEdit && (
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} disabled={!dirty || !!conflict}>
            Save changes
          </Button>
          {dirty && !conflict && (
            <Button type="button" variant="ghost" onClick={discard}>
              Cancel
            </Button>
          )}
        </div>
      )}
    </form>
  );
}

function display(field: keyof Draft, value: string, members: BoardMember[]) {
  if (field === 'assigneeId') return members.find((m) => m.id === value)?.name ?? 'Unassigned';
  if (!value) return field === 'dueDate' ? 'No date' : '(empty)';
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

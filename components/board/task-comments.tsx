'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { type ActionFailure, unwrap } from '@/lib/actions/unwrap';
import { canDeleteComment, canEditComment } from '@/lib/authz/rules';
import { addComment, deleteComment, editComment } from '@/lib/tasks/actions';
import type { BoardMember, TaskComment, TaskDetail } from '@/lib/tasks/queries';
import type { BoardPermissions } from './board-client';
import { personLabel } from './board-state';
import { Avatar } from './presence-avatars';
import type { BoardCache } from './use-board';

type Shared = { cache: BoardCache };

export function TaskComments({
  task,
  members,
  permissions,
  cache,
}: Shared & { task: TaskDetail; members: BoardMember[]; permissions: BoardPermissions }) {
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: (text: string) => unwrap(addComment({ taskId: task.id, body: text })),
    onSuccess: ({ comment, counts }, sent) => {
      cache.applyComment(comment, counts);
      // The comment's own event can show it before this answer arrives, and the user may already be typing
      // the next one: only the text that was sent is cleared.
      setBody((current) => (current === sent ? '' : current));
    },
  });
  const addError = add.error as ActionFailure | null;

  return (
    <section
      aria-labelledby="comments-heading"
      className="space-y-3 border-t border-slate-200 pt-4"
    >
      <h3 id="comments-heading" className="text-sm font-semibold text-slate-900">
        Comments
      </h3>
      {task.comments.length === 0 ? (
        <p className="text-sm text-slate-500">No comments yet.</p>
      ) : (
        <ol aria-label="Comments" className="space-y-3">
          {task.comments.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              author={personLabel(members, comment.authorId, comment.authorName)}
              canEdit={canEditComment(permissions.actor, comment)}
              canDelete={canDeleteComment(permissions.actor, comment)}
              cache={cache}
            />
          ))}
        </ol>
      )}
      {permissions.comment && (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(body);
          }}
        >
          <label htmlFor="new-comment" className="sr-only">
            Add a comment
          </label>
          <textarea
            id="new-comment"
            rows={3}
            value={body}
            maxLength={2000}
            onChange={(e) => setBody(e.target.value)}
            placeholder="Add a comment"
            aria-invalid={addError ? true : undefined}
            aria-describedby={addError ? 'new-comment-error' : undefined}
            className="block w-full rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500"
          />
          {addError && (
            <p id="new-comment-error" className="text-xs font-medium text-red-600">
              {addError.fieldErrors?.body ?? addError.message}
            </p>
          )}
          <Button type="submit" pending={add.isPending}>
            Comment
          </Button>
        </form>
      )}
    </section>
  );
}

function CommentItem({
  comment,
  author: authorLabel,
  canEdit,
  canDelete,
  cache,
}: Shared & {
  comment: TaskComment;
  author: string | null;
  canEdit: boolean;
  canDelete: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(comment.body);
  const edit = useMutation({
    mutationFn: () => unwrap(editComment({ id: comment.id, version: comment.version, body })),
    onSuccess: (saved) => {
      cache.applyComment(saved);
      setEditing(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(deleteComment({ id: comment.id })),
    onSuccess: ({ counts }) => cache.removeComment(comment.id, counts),
  });
  const editError = edit.error as ActionFailure | null;
  const author = authorLabel ?? 'A former member';

  return (
    <li className="flex gap-3">
      <Avatar id={comment.authorId ?? comment.id} name={author} size="sm" />
      <div className="min-w-0 flex-1">
        <p className="text-xs text-slate-500">
          <span className="font-semibold text-slate-800">{author}</span> ·{' '}
          <time dateTime={comment.createdAt}>{new Date(comment.createdAt).toLocaleString()}</time>
          {comment.edited && ' · edited'}
        </p>
        {editing ? (
          <form
            className="mt-1 space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              edit.mutate();
            }}
          >
            <label htmlFor={`edit-${comment.id}`} className="sr-only">
              Edit comment
            </label>
            <textarea
              id={`edit-${comment.id}`}
              rows={3}
              value={body}
              maxLength={2000}
              onChange={(e) => setBody(e.target.value)}
              className="block w-full rounded-md bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 outline-none focus:ring-2 focus:ring-brand-500"
            />
            {editError && (
              <p className="text-xs font-medium text-red-600">
                {editError.fieldErrors?.body ?? editError.message}
              </p>
            )}
            <div className="flex gap-2">
              <Button type="submit" pending={edit.isPending}>
                Save comment
              </Button>
              <Button type="button" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <p className="mt-0.5 whitespace-pre-wrap break-words text-sm text-slate-800">
            {comment.body}
          </p>
        )}
        {remove.error && <Alert>{remove.error.message}</Alert>}
        {!editing && (canEdit || canDelete) && (
          <div className="mt-1 flex gap-3 text-xs">
            {canEdit && (
              <button
                type="button"
                className="font-medium text-slate-600 hover:text-slate-900"
                onClick={() => {
                  setBody(comment.body);
                  setEditing(true);
                }}
              >
                Edit
              </button>
            )}
            {canDelete && (
              <button
                type="button"
                className="font-medium text-red-700 hover:text-red-900"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm('Delete this comment?')) remove.mutate();
                }}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

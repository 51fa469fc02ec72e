'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { unwrap } from '@/lib/actions/unwrap';
import { deleteTask } from '@/lib/tasks/actions';
import type { TaskDetail } from '@/lib/tasks/queries';
import type { BoardCache } from './use-board';

export function TaskDeleteButton({
  task,
  cache,
  onDeleted,
}: {
  task: TaskDetail;
  cache: BoardCache;
  onDeleted: () => void;
}) {
  const remove = useMutation({
    mutationFn: () => unwrap(deleteTask({ id: task.id })),
    onSuccess: () => {
      cache.forgetTask(task.id);
      onDeleted();
    },
  });
  return (
    <div className="space-y-2 border-t border-slate-200 pt-4">
      {remove.error && <Alert>{remove.error.message}</Alert>}
      <Button
        variant="danger"
        pending={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete “${task.title}” and its comments? This cannot be undone.`))
            remove.mutate();
        }}
      >
        Delete task
      </Button>
    </div>
  );
}

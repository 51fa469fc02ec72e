'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/card';
import { unwrap } from '@/lib/actions/unwrap';
import { deleteTask } from '@/lib/tasks/actions';
import type { Board, TaskDetail } from '@/lib/tasks/queries';

export function TaskDeleteButton({
  task,
  boardKey,
  onDeleted,
}: {
  task: TaskDetail;
  boardKey: readonly unknown[];
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(deleteTask({ id: task.id })),
    onSuccess: () => {
      queryClient.setQueryData<Board>(boardKey, (b) =>
        b ? { ...b, tasks: b.tasks.filter((t) => t.id !== task.id) } : b,
      );
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

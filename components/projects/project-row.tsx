'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { unwrap } from '@/lib/actions/unwrap';
import { renameProject } from '@/lib/projects/actions';
import type { ProjectSummary } from '@/lib/projects/queries';
import { queryKeys } from '@/lib/query-keys';
import type { ProjectPermissions } from './projects-client';

export function ProjectRow({
  project,
  tenantId,
  permissions,
  onDelete,
  deleting,
}: {
  project: ProjectSummary;
  tenantId: string;
  permissions: ProjectPermissions;
  onDelete: () => void;
  deleting: boolean;
}) {
  const queryClient = useQueryClient();
  const key = queryKeys.projects.list(tenantId);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);

  const rename = useMutation({
    mutationFn: () => unwrap(renameProject({ id: project.id, name, version: project.version })),
    onSuccess: (updated) => {
      queryClient.setQueryData<ProjectSummary[]>(key, (old = []) =>
        old.map((p) => (p.id === updated.id ? updated : p)),
      );
      setEditing(false);
    },
    onError: (error) => {
      // On a conflict, show the current row so the user decides with the latest name in view.
      const current = (error as { current?: ProjectSummary }).current;
      if (current)
        queryClient.setQueryData<ProjectSummary[]>(key, (old = []) =>
          old.map((p) => (p.id === current.id ? current : p)),
        );
    },
  });
  const renameError = rename.error as (Error & { fieldErrors?: Record<string, string> }) | null;

  if (editing) {
    return (
      <li className="px-5 py-4">
        <form
          className="flex flex-col gap-3 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate();
          }}
        >
          <Field
            className="flex-1"
            label={`Rename ${project.name}`}
            value={name}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            error={renameError?.fieldErrors?.name ?? renameError?.message}
          />
          <div className="flex gap-2">
            <Button type="submit" pending={rename.isPending}>
              Save
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setEditing(false);
                setName(project.name);
                rename.reset();
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className="flex items-center justify-between gap-4 px-5 py-4">
      <div className="min-w-0">
        <Link
          href={`/projects/${project.id}`}
          className="block truncate font-medium text-slate-900 hover:text-brand-700 hover:underline"
        >
          {project.name}
        </Link>
        <p className="text-xs text-slate-500">
          Created {new Date(project.createdAt).toLocaleDateString()}
          {project.createdByName ? ` by ${project.createdByName}` : ''}
        </p>
      </div>
      <div className="flex shrink-0 gap-2">
        {permissions.update && (
          <Button
            variant="secondary"
            onClick={() => {
              setName(project.name);
              setEditing(true);
            }}
            aria-label={`Rename ${project.name}`}
          >
            Rename
          </Button>
        )}
        {permissions.delete && (
          <Button
            variant="danger"
            pending={deleting}
            aria-label={`Delete ${project.name}`}
            onClick={() => {
              if (window.confirm(`Delete “${project.name}”? This cannot be undone.`)) onDelete();
            }}
          >
            Delete
          </Button>
        )}
      </div>
    </li>
  );
}

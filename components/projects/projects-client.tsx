'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { LiveIndicator } from '@/components/realtime/live-indicator';
import { useTenantEvents } from '@/components/realtime/use-tenant-events';
import { Button } from '@/components/ui/button';
import { Alert, Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { unwrap } from '@/lib/actions/unwrap';
import { createProject, deleteProject } from '@/lib/projects/actions';
import type { ProjectSummary } from '@/lib/projects/queries';
import { queryKeys } from '@/lib/query-keys';
import { ProjectRow } from './project-row';

export type ProjectPermissions = { create: boolean; update: boolean; delete: boolean };

async function fetchProjects(): Promise<ProjectSummary[]> {
  const response = await fetch('/api/projects', { cache: 'no-store' });
  if (!response.ok) throw new Error('Could not load projects.');
  return ((await response.json()) as { projects: ProjectSummary[] }).projects;
}

export function ProjectsClient({
  tenantId,
  initialProjects,
  permissions,
}: {
  tenantId: string;
  initialProjects: ProjectSummary[];
  permissions: ProjectPermissions;
}) {
  const queryClient = useQueryClient();
  const key = queryKeys.projects.list(tenantId);
  const projects = useQuery({
    queryKey: key,
    queryFn: fetchProjects,
    initialData: initialProjects,
  });
  const [name, setName] = useState('');

  // Other members' changes arrive live; a version check keeps an older event from undoing a newer state.
  const live = useTenantEvents(
    tenantId,
    (event, data) => {
      queryClient.setQueryData<ProjectSummary[]>(key, (old = []) => {
        if (event === 'project.deleted') return old.filter((p) => p.id !== data.projectId);
        const incoming = data.project as ProjectSummary | undefined;
        if (!incoming || (event !== 'project.created' && event !== 'project.updated')) return old;
        const current = old.find((p) => p.id === incoming.id);
        if (!current) return event === 'project.created' ? [incoming, ...old] : old;
        return current.version >= incoming.version
          ? old
          : old.map((p) => (p.id === incoming.id ? incoming : p));
      });
    },
    () => queryClient.invalidateQueries({ queryKey: key }),
  );

  const create = useMutation({
    mutationFn: (input: { name: string }) => unwrap(createProject(input)),
    onSuccess: (project) => {
      queryClient.setQueryData<ProjectSummary[]>(key, (old = []) => [
        project,
        ...old.filter((p) => p.id !== project.id),
      ]);
      setName('');
    },
  });

  const remove = useMutation({
    mutationFn: (id: string) => unwrap(deleteProject({ id })),
    // Optimistic: the row disappears at once and comes back if the server refuses.
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<ProjectSummary[]>(key);
      queryClient.setQueryData<ProjectSummary[]>(key, (old = []) => old.filter((p) => p.id !== id));
      return { previous };
    },
    onError: (_error, _id, context) => queryClient.setQueryData(key, context?.previous),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  const createErrors = (create.error as { fieldErrors?: Record<string, string> } | null)
    ?.fieldErrors;
  const list = projects.data ?? [];

  return (
    <div className="max-w-4xl space-y-6">
      <div className="flex justify-end">
        <LiveIndicator state={live} />
      </div>
      {permissions.create && (
        <Card className="p-5">
          <form
            className="flex flex-col gap-3 sm:flex-row sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name });
            }}
          >
            <Field
              className="flex-1"
              label="New project name"
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={
                createErrors?.name ??
                (create.error && !createErrors ? create.error.message : undefined)
              }
              placeholder="e.g. Website relaunch"
            />
            <Button type="submit" pending={create.isPending}>
              Create project
            </Button>
          </form>
        </Card>
      )}
      {remove.error && <Alert>{remove.error.message}</Alert>}
      {list.length === 0 ? (
        <Card className="p-10 text-center">
          <p className="text-base font-semibold text-slate-900">No projects yet</p>
          <p className="mt-1 text-sm text-slate-600">
            {permissions.create
              ? 'Create the first one above; your whole organization will see it.'
              : 'When your team creates projects, they appear here.'}
          </p>
        </Card>
      ) : (
        <Card>
          <ul aria-label="Projects" className="divide-y divide-slate-100">
            {list.map((project) => (
              <ProjectRow
                key={project.id}
                project={project}
                tenantId={tenantId}
                permissions={permissions}
                onDelete={() => remove.mutate(project.id)}
                deleting={remove.isPending && remove.variables === project.id}
              />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

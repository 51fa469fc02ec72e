/** Every TanStack Query key in one place, so invalidations and realtime updates name the same caches. */
export const queryKeys = {
  /** The signed-in user's organizations (the switcher): the same in every organization they open. */
  myOrganizations: () => ['me', 'organizations'] as const,
  projects: {
    all: (tenantId: string) => ['tenant', tenantId, 'projects'] as const,
    list: (tenantId: string) => [...queryKeys.projects.all(tenantId), 'list'] as const,
    board: (tenantId: string, projectId: string) =>
      [...queryKeys.projects.all(tenantId), projectId, 'board'] as const,
  },
  tasks: {
    all: (tenantId: string) => ['tenant', tenantId, 'tasks'] as const,
    detail: (tenantId: string, taskId: string) =>
      [...queryKeys.tasks.all(tenantId), taskId] as const,
  },
};

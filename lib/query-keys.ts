/** Every TanStack Query key in one place, so invalidations and realtime updates name the same caches. */
export const queryKeys = {
  projects: {
    all: (tenantId: string) => ['tenant', tenantId, 'projects'] as const,
    list: (tenantId: string) => [...queryKeys.projects.all(tenantId), 'list'] as const,
  },
};

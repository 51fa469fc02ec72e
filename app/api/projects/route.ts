import { tenantRoute } from '@/lib/http/tenant-route';
import { listProjects } from '@/lib/projects/queries';

export const GET = tenantRoute('project:read', async ({ tx, member }) => ({
  projects: await listProjects(tx, member.tenant.id),
}));

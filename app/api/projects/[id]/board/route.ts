import { tenantRoute } from '@/lib/http/tenant-route';
import { getBoardOrThrow } from '@/lib/tasks/queries';
import { projectIdParam } from '@/lib/tasks/schemas';

export const GET = tenantRoute('project:read', ({ tx, member, params }) =>
  getBoardOrThrow(tx, { tenantId: member.tenant.id, projectId: projectIdParam(params.id) }),
);

import { notFoundError } from '@/lib/errors/app-error';
import { JsonText, tenantRoute } from '@/lib/http/tenant-route';
import { getBoardJson } from '@/lib/tasks/queries';
import { projectIdParam } from '@/lib/tasks/schemas';

export const GET = tenantRoute('project:read', async ({ tx, member, params }) => {
  const json = await getBoardJson(tx, {
    tenantId: member.tenant.id,
    projectId: projectIdParam(params.id),
  });
  if (json === null) throw notFoundError('This project');
  return new JsonText(json);
});

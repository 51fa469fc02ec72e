import { notFoundError } from '@/lib/errors/app-error';
import { JsonText, memberRoute } from '@/lib/http/tenant-route';
import { readBoardJson } from '@/lib/tasks/board-cache';
import { projectIdParam } from '@/lib/tasks/schemas';

export const GET = memberRoute('project:read', async ({ member, params }) => {
  const json = await readBoardJson(member, projectIdParam(params.id));
  if (json === null) throw notFoundError('This project');
  return new JsonText(json);
});

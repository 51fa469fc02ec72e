import { actionRoute, tenantRoute } from '@/lib/http/tenant-route';
import { deleteTask, updateTask } from '@/lib/tasks/actions';
import { getTaskDetailOrThrow } from '@/lib/tasks/queries';
import { taskIdParam } from '@/lib/tasks/schemas';

export const GET = tenantRoute('project:read', ({ tx, member, params }) =>
  getTaskDetailOrThrow(tx, { tenantId: member.tenant.id, id: taskIdParam(params.id) }),
);

/** `{ version, title?, description?, assigneeId?, dueDate? }`; a stale version answers 409 with the current task. */
export const PATCH = actionRoute(updateTask);
export const DELETE = actionRoute(deleteTask);

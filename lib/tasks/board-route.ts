import 'server-only';
import { notFoundError } from '@/lib/errors/app-error';
import { JsonText, type MemberRouteSpec } from '@/lib/http/member-body';
import { readBoardJson } from './board-cache';
import { projectIdParam } from './schemas';

/**
 * GET /api/projects/[id]/board, the most-read route of the product: the project's board as JSON, straight
 * from the board cache or the database. Answered by the project's server itself (lib/http/direct-routes.ts);
 * the route file under app/ serves the same spec through Next.js.
 */
export const boardRoute: MemberRouteSpec = {
  permission: 'project:read',
  handler: async ({ member, params }) => {
    const json = await readBoardJson(member, projectIdParam(params.id));
    if (json === null) throw notFoundError('This project');
    return new JsonText(json);
  },
};
